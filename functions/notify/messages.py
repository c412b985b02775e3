"""THE table of notifications: which event sends which message to whom.

docs/notifications.md carries the same table (a unit test compares them), and
the template's notify rule routes exactly these event types (another test). A message kind
names its templates (``templates/<kind>.html``, ``.txt``, ``.subject``). An optional message
names the preference that turns it off (``reminders``), or that turns it on (``digest``: the
weekly digest is opt-in).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    #: Every staff member of the event's program (membership records of the program).
    PROGRAM_STAFF = "program staff"
    #: Staff of every affiliate serving the program (primary and secondary).
    AFFILIATE_STAFF = "affiliate staff"
    #: The person invited to a program (a new account, or an existing one asked to join).
    INVITEE = "invitee"
    #: Staff of the one affiliate the digest is for.
    DIGEST_AFFILIATE_STAFF = "staff of the digest's affiliate"


class Preference(StrEnum):
    REMINDERS = "reminders"  # on unless turned off
    DIGEST = "digest"  # off unless turned on (opt-in)


#: Whether an optional message is sent to someone who never chose.
DEFAULTS: Mapping[Preference, bool] = {Preference.REMINDERS: True, Preference.DIGEST: False}


@dataclass(frozen=True)
class Message:
    event_type: str
    audience: Audience
    kind: str
    optional: Preference | None = None
    #: A calendar invite (.ics) is attached.
    invite: bool = False


P, A = Audience.PROGRAM_STAFF, Audience.AFFILIATE_STAFF

MESSAGES: tuple[Message, ...] = (
    Message("MemberInvited", Audience.INVITEE, "invitation"),
    Message("InvitationCreated", Audience.INVITEE, "invitation"),
    Message("CycleOpened", P, "cycle-opened"),
    Message("AssessmentReturned", P, "assessment-returned"),
    Message("ReviewMeetingScheduled", P, "meeting-scheduled", invite=True),
    Message("ReviewMeetingRescheduled", P, "meeting-rescheduled", invite=True),
    Message("ReviewMeetingCancelled", P, "meeting-cancelled", invite=True),
    Message("ReviewCompleted", P, "review-completed"),
    Message("PlanFinalized", P, "plan-finalized"),
    Message("GoalSentBack", P, "goal-sent-back"),
    Message("BadgeIssued", P, "badge-issued"),
    Message("BadgeExpiringSoon", P, "badge-expiring-soon"),
    Message("BadgeExpired", P, "badge-expired"),
    Message("BadgeRevoked", P, "badge-revoked"),
    Message("AssessmentDueSoon", P, "assessment-due-soon", Preference.REMINDERS),
    Message("AssessmentOverdue", P, "assessment-overdue", Preference.REMINDERS),
    Message("AssessmentSubmitted", A, "assessment-submitted"),
    Message("GoalCompleted", A, "goal-completed"),
    Message("BadgeExpiringSoon", A, "badge-expiring-soon"),
    Message(
        "OverdueDigestDue", Audience.DIGEST_AFFILIATE_STAFF, "overdue-digest", Preference.DIGEST
    ),
)


def messages_for(event_type: str) -> tuple[Message, ...]:
    return tuple(m for m in MESSAGES if m.event_type == event_type)


def event_types() -> list[str]:
    """The event types the notifier consumes (its rule's ``detail-type`` list), in order."""
    return list(dict.fromkeys(m.event_type for m in MESSAGES))


def kinds() -> list[str]:
    return list(dict.fromkeys(m.kind for m in MESSAGES))


def optional_label(message: Message) -> str:
    """The "optional" column of docs/notifications.md."""
    if message.optional is None:
        return "no"
    return message.optional.value if DEFAULTS[message.optional] else f"{message.optional} (opt-in)"
