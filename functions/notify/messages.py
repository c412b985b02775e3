"""THE table of notifications: which event sends which message to whom, and what it shows.

docs/notifications.md carries the same table (a unit test compares them), and
the template's notify rule routes exactly these event types (another test). A message kind
names its templates (``templates/<kind>.html``, ``.txt``, ``.subject``) and its row names the
content builder that reads what they show (``content``), and when an event a later change
superseded no longer sends it (``current``). An optional message names the preference that
turns it off (``reminders``), or that turns it on (``digest``: the weekly digest is opt-in).
Who receives each audience, and the preferences, are in ``recipients``.
"""

from __future__ import annotations

from dataclasses import dataclass

from functions.notify import content
from functions.notify.content import Content, Current
from functions.notify.recipients import DEFAULTS, Audience, Preference

_NOTHING, _ALWAYS = content.nothing, content.always


@dataclass(frozen=True)
class Message:
    event_type: str
    audience: Audience
    kind: str
    #: What the message shows beyond the program's name, the app and the cycle's page.
    content: Content = _NOTHING
    optional: Preference | None = None
    #: A calendar invite (.ics) is attached.
    invite: bool = False
    #: Whether the event still has this message when it is delivered.
    current: Current = _ALWAYS


P, A = Audience.PROGRAM_STAFF, Audience.AFFILIATE_STAFF
REMINDERS, DIGEST = Preference.REMINDERS, Preference.DIGEST


def _meeting(event_type: str, kind: str) -> Message:
    """A message about the review meeting: to the program's staff, with the invite."""
    return Message(
        event_type, P, kind, content.meeting, invite=True, current=content.meeting_is_current
    )


def _expiry(event_type: str, audience: Audience, kind: str) -> Message:
    """A badge's expiry, unless the badge was revoked or renewed since."""
    return Message(event_type, audience, kind, content.badge, current=content.badge_still_held)


MESSAGES: tuple[Message, ...] = (
    Message("MemberInvited", Audience.INVITEE, "invitation", content.invitation),
    Message("InvitationCreated", Audience.INVITEE, "invitation", content.invitation),
    Message("CycleOpened", P, "cycle-opened", content.due_date),
    Message(
        "AssessmentReturned",
        P,
        "assessment-returned",
        content.return_comment,
        current=content.return_is_current,
    ),
    _meeting("ReviewMeetingScheduled", "meeting-scheduled"),
    _meeting("ReviewMeetingRescheduled", "meeting-rescheduled"),
    _meeting("ReviewMeetingCancelled", "meeting-cancelled"),
    Message("ReviewCompleted", P, "review-completed", content.review_date),
    Message("PlanFinalized", P, "plan-finalized", content.goal_count),
    Message("GoalSentBack", P, "goal-sent-back", content.goal),
    Message("BadgeIssued", P, "badge-issued", content.badge_issued),
    _expiry("BadgeExpiringSoon", P, "badge-expiring-soon"),
    _expiry("BadgeExpired", P, "badge-expired"),
    Message("BadgeRevoked", P, "badge-revoked", content.badge_revoked),
    Message(
        "AssessmentDueSoon",
        P,
        "assessment-due-soon",
        content.due_date,
        REMINDERS,
        current=content.still_answerable,
    ),
    Message(
        "AssessmentOverdue",
        P,
        "assessment-overdue",
        content.due_date,
        REMINDERS,
        current=content.still_answerable,
    ),
    Message("AssessmentSubmitted", A, "assessment-submitted", content.submission),
    Message("GoalCompleted", A, "goal-completed", content.goal),
    _expiry("BadgeExpiringSoon", A, "badge-expiring-soon"),
    Message(
        "OverdueDigestDue",
        Audience.DIGEST_AFFILIATE_STAFF,
        "overdue-digest",
        content.digest,
        DIGEST,
    ),
    Message(
        "ResearchExportReady", Audience.REQUESTER, "research-export-ready", content.research_export
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
