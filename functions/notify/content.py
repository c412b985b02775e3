"""What a message shows, read from the table (events are thin: ids, states, dates).

Only names, dates, links and the affiliate's own words to the program (the return comment,
a badge's revocation reason) are read: never an answer, a review note, plan text or a goal's
title. A goal is shown by its number in the plan and its target date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from functions.notify.messages import Audience, Message
from functions.notify.recipients import Recipient, affiliate_staff, members, program_staff
from shared import keys
from shared.adapters.table import Table
from shared.domain.badge_links import (
    IMAGE_HEIGHT,
    IMAGE_WIDTH,
    LEVEL_NAMES,
    alt_text,
    embed_snippet,
    image_link,
    verify_link,
)
from shared.domain.cycle_states import ANSWERABLE
from shared.domain.formats import is_known_zone
from shared.events import Envelope
from shared.observability import logger

Record = dict[str, Any]


@dataclass
class Facts:
    """One message of one event: what every recipient's copy shows, and who they are."""

    recipients: list[Recipient]
    values: dict[str, Any] = field(default_factory=dict)
    #: The affiliates named in the messages, by id (name, contact, time zone).
    affiliates: dict[str, Record] = field(default_factory=dict)
    #: The review meeting, for an invite.
    meeting: Record | None = None


def gather(table: Table, event: Envelope, message: Message, links: Links) -> Facts | None:
    """The facts of ``message`` for ``event``, or None when there is nothing to send (the
    program is gone, an invitation to an affiliate)."""
    data: dict[str, Any] = dict(event.data)
    if message.audience is Audience.INVITEE:
        return _invitation(table, event, links)
    if message.audience is Audience.DIGEST_AFFILIATE_STAFF:
        return _digest(table, event)
    if not current(table, event):
        logger.info("superseded: not sent", extra={"event_type": event.event_type})
        return None
    program = table.get(keys.program(str(data.get("program_id") or event.program_id)))
    if program is None:
        return None
    if message.audience is Audience.PROGRAM_STAFF:
        recipients = program_staff(table, program)
    else:
        recipients = affiliate_staff(table, [str(a) for a in program["affiliate_ids"]])
    values: dict[str, Any] = {"program_name": program["name"], "app_url": links.app_url}
    facts = Facts(recipients, values, _affiliates(table, recipients))
    cycle_id = data.get("cycle_id") or event.cycle_id
    cycle = table.get(keys.cycle(str(cycle_id))) if cycle_id else None
    if cycle is not None:
        values["due_date"] = _day(cycle.get("due_date"))
        values["cycle_url"] = f"{links.app_url}/cycles/{quote(str(cycle_id), safe='')}"
    _specific(table, event, facts, cycle, links)
    return facts


@dataclass(frozen=True)
class Links:
    app_url: str  # the web app, where people log in and work
    api_url: str  # the public API (badge verification links and images)


def _specific(
    table: Table, event: Envelope, facts: Facts, cycle: Record | None, links: Links
) -> None:
    data: dict[str, Any] = dict(event.data)
    values = facts.values
    kind = event.event_type
    if kind in ("CycleOpened", "AssessmentDueSoon", "AssessmentOverdue"):
        values["due_date"] = _day(data.get("due_date")) or values.get("due_date")
    elif kind == "AssessmentReturned" and cycle is not None:
        # The affiliate's comment to the program (what it asks to change): not assessment text.
        values["comment"] = cycle.get("return_comment") or ""
    elif kind == "AssessmentSubmitted" and cycle is not None:
        # When this submission happened (a later resubmission rewrites the cycle's field).
        values["submitted_at"] = _instant(event.occurred_at)
    elif kind.startswith("ReviewMeeting"):
        # The meeting version the event names: its time, place, agenda and people together.
        meeting = meeting_version(table, event) or {}
        facts.meeting = meeting
        values["start"] = _instant(str(meeting["start"]))
        values["end"] = _instant(str(meeting["end"]))
        values["meeting_zone"] = str(meeting["time_zone"])
        online = meeting.get("mode") == "online"
        values["place"] = (meeting.get("link") if online else meeting.get("address")) or ""
        values["online"] = online
        # Moved into the past to record it as held: the update puts calendars on that time.
        values["held"] = values["start"] <= _instant(event.occurred_at)
    elif kind == "ReviewCompleted":
        values["review_date"] = _day(data.get("review_date"))
    elif kind == "PlanFinalized":
        values["goal_count"] = len(list(data.get("goal_ids") or []))
    elif kind in ("GoalSentBack", "GoalCompleted"):
        values["goal"] = goal_summary(table, str(data["cycle_id"]), str(data["goal_id"]))
    elif kind.startswith("Badge"):
        badge = table.get(keys.badge(str(data["badge_id"]))) or {}
        values["level_name"] = LEVEL_NAMES.get(str(badge.get("level")), "NQMS badge")
        values["valid_until"] = _day(data.get("valid_until") or badge.get("valid_until"))
        values["days_left"] = data.get("days_left")
        if kind == "BadgeIssued" and badge.get("verify_token"):
            values["verify_url"] = verify_link(links.api_url, str(badge["verify_token"]))
            values["image_url"] = image_link(links.api_url, str(badge["badge_id"]))
            # What the program pastes into its website: the badge list's own snippet.
            alt = alt_text(values["level_name"], str(badge.get("program_name") or ""))
            values["image_alt"] = alt
            values["image_size"] = (IMAGE_WIDTH, IMAGE_HEIGHT)
            values["snippet"] = embed_snippet(values["verify_url"], values["image_url"], alt)
        elif kind == "BadgeRevoked":
            # The affiliate's own words to the program about its badge (not assessment text).
            values["revoked_on"] = _day(badge.get("revoked_at"))
            values["reason"] = str(badge.get("revoked_reason") or "")


def current(table: Table, event: Envelope) -> bool:
    """Whether ``event`` still has a message: every message is built from the version of the
    data its event names, never a later one (no later version's place with this version's
    time). A review meeting keeps each version (``keys.review_meeting_version``), so each of
    its events describes its own; a return is named by its time, and a later return
    supersedes it (its own event sends the newer comment). A reminder for an assessment
    submitted since, or an expiry notice for a badge revoked or renewed since, is not sent.

    A meeting *scheduled* in the past (recorded after it was held) is in nobody's calendar:
    no invite. A meeting *moved* into the past was in calendars at its planned time: the
    update is sent, so calendars end on the time it was held.
    """
    data: dict[str, Any] = dict(event.data)
    kind = event.event_type
    if kind.startswith("ReviewMeeting"):
        if meeting_version(table, event) is None:
            return False
        past = _instant(str(data["start"])) <= _instant(event.occurred_at)
        return not (kind == "ReviewMeetingScheduled" and past)
    if kind == "AssessmentReturned" and data.get("returned_at"):
        cycle = table.get(keys.cycle(str(data["cycle_id"]))) or {}
        return bool(cycle.get("returned_at") == data["returned_at"])
    if kind in ("AssessmentDueSoon", "AssessmentOverdue"):
        # Submitted (or archived) since the reminder was published: it no longer applies.
        cycle = table.get(keys.cycle(str(data["cycle_id"]))) or {}
        return str(cycle.get("state")) in {s.value for s in ANSWERABLE}
    if kind in ("BadgeExpiringSoon", "BadgeExpired"):
        # Revoked (its own email says so) or renewed since: "renew it" would mislead.
        badge = table.get(keys.badge(str(data["badge_id"]))) or {}
        return not (badge.get("revoked") or badge.get("superseded_by"))
    return True


def meeting_version(table: Table, event: Envelope) -> Record | None:
    """The meeting as the event's version (UID, SEQUENCE) had it: its kept copy, or (for an
    event written before copies were kept) the meeting itself while it is at that version."""
    data: dict[str, Any] = dict(event.data)
    cycle_id, sequence = str(data["cycle_id"]), int(data["sequence"])
    for key in (keys.review_meeting_version(cycle_id, sequence), keys.review_meeting(cycle_id)):
        record = table.get(key)
        if record is not None and (str(record["uid"]), int(record["sequence"])) == (
            str(data["uid"]),
            sequence,
        ):
            return record
    return None


def goal_summary(table: Table, cycle_id: str, goal_id: str) -> dict[str, Any]:
    """A goal as an email may show it: its number in the plan and its target date (the title
    and notes are plan text)."""
    goal = table.get(keys.plan_goal(cycle_id, goal_id)) or {}
    goal_set = table.get(keys.plan_goal_set(cycle_id)) or {}
    order = [str(g) for g in goal_set.get("active") or []]
    number = order.index(goal_id) + 1 if goal_id in order else None
    return {
        "number": number,
        "item_code": goal.get("item_code"),
        "target_date": _day(goal.get("target_date")),
    }


def _invitation(table: Table, event: Envelope, links: Links) -> Facts | None:
    data: dict[str, Any] = dict(event.data)
    if data.get("scope") != "program":
        return None  # the table sends invitations to programs only
    user_id, program_id = str(data["user_id"]), str(data["scope_id"])
    if event.event_type == "MemberInvited":
        record = table.get(keys.membership(user_id, "program", program_id))
    else:
        record = table.get(keys.invitation(user_id, "program", program_id))
    program = table.get(keys.program(program_id))
    if record is None or program is None:
        return None
    recipient = Recipient(
        user_id,
        str(record["email"]),
        str(record.get("name") or ""),
        str(program["primary_affiliate_id"]),
    )
    values = {
        "program_name": program["name"],
        "app_url": links.app_url,
        "new_account": event.event_type == "MemberInvited" and bool(data.get("new_user")),
    }
    return Facts([recipient], values, _affiliates(table, [recipient]))


def _digest(table: Table, event: Envelope) -> Facts | None:
    data: dict[str, Any] = dict(event.data)
    affiliate_id = str(data["affiliate_id"])
    recipients = [
        Recipient(str(m["user_id"]), str(m["email"]), str(m.get("name") or ""), affiliate_id)
        for m in members(table, "affiliate", affiliate_id)
    ]
    cycle_ids = [str(c) for c in data.get("cycle_ids") or []]
    goal_refs = [(str(g["cycle_id"]), str(g["goal_id"])) for g in data.get("goals") or []]
    cycles = {
        str(c["cycle_id"]): c
        for c in table.batch_get([keys.cycle(c) for c in {*cycle_ids, *(g[0] for g in goal_refs)}])
    }
    programs = {
        str(p["program_id"]): p
        for p in table.batch_get([keys.program(str(c["program_id"])) for c in cycles.values()])
    }

    def program_name(cycle_id: str) -> str:
        cycle = cycles.get(cycle_id) or {}
        return str((programs.get(str(cycle.get("program_id"))) or {}).get("name") or "")

    overdue = [
        {"program_name": program_name(c), "due_date": _day(cycles[c].get("due_date"))}
        for c in cycle_ids
        if c in cycles
    ]
    goals = [{"program_name": program_name(c), **goal_summary(table, c, g)} for c, g in goal_refs]
    values = {"week_of": _day(data.get("week_of")), "assessments": overdue, "goals": goals}
    return Facts(recipients, values, _affiliates(table, recipients))


def _affiliates(table: Table, recipients: list[Recipient]) -> dict[str, Record]:
    wanted = sorted({r.affiliate_id for r in recipients})
    return {str(a["affiliate_id"]): a for a in table.batch_get([keys.affiliate(a) for a in wanted])}


def _day(value: Any) -> str | None:
    return str(value)[:10] if value else None


def _instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def zone_of(name: str | None, fallback: str) -> ZoneInfo:
    """A recipient's zone: theirs if it is a known one, else the affiliate's, else UTC (known
    as every time-zone field knows it: ``shared.domain.formats``)."""
    for candidate in (name, fallback):
        if candidate and is_known_zone(candidate):
            return ZoneInfo(candidate)
    return ZoneInfo("UTC")
