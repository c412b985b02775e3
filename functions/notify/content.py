"""What a message shows, read from the table (events are thin: ids, states, dates).

Only names, dates, links and the affiliate's own words to the program (the return comment,
a badge's revocation reason) are read: never an answer, a review note, plan text or a goal's
title. A goal is shown by its number in the plan and its target date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from functions.notify import store
from functions.notify.recipients import (
    Audience,
    Recipient,
    affiliate_staff,
    program_staff,
)
from shared.adapters.storage import presigned_get
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
from shared.events.assessment import AssessmentReturned, CycleOpened
from shared.events.badge import (
    BadgeExpired,
    BadgeExpiringSoon,
    BadgeIssued,
    BadgeRevoked,
)
from shared.events.directory import InvitationCreated, MemberInvited
from shared.events.plan import GoalCompleted, GoalSentBack, PlanFinalized
from shared.events.reminders import AssessmentDueSoon, AssessmentOverdue, OverdueDigestDue
from shared.events.report import ResearchExportReady
from shared.events.review import ReviewCompleted, ReviewMeetingChange
from shared.observability import logger
from shared.store.tenancy import members_of

if TYPE_CHECKING:
    from functions.notify.messages import Message

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


@dataclass(frozen=True)
class Links:
    app_url: str  # the web app, where people log in and work
    api_url: str  # the public API (badge verification links and images)
    reports_bucket: str = ""  # the private bucket of the research export (its link)


@dataclass(frozen=True)
class Source:
    """What a message's content builder reads: the table, the event, the cycle it names (if
    any), and the facts gathered so far (recipients, the values every message shows)."""

    table: Table
    event: Envelope
    links: Links
    facts: Facts
    cycle: Record | None = None

    def data_as(self, model: type[D]) -> D:
        """The event's data as ``model`` (the message's event type carries it)."""
        return self.event.data_as(model)

    @property
    def values(self) -> dict[str, Any]:
        return self.facts.values


#: The events that name a due date (the cycle's own shows otherwise).
DUE_DATED = (CycleOpened, AssessmentDueSoon, AssessmentOverdue)
#: The events about a badge.
BADGE_EVENTS = (BadgeIssued, BadgeExpiringSoon, BadgeExpired, BadgeRevoked)
BadgeData = BadgeIssued | BadgeExpiringSoon | BadgeExpired | BadgeRevoked
D = TypeVar("D", bound=BaseModel)

#: A message's own content: what it shows beyond the program's name and links.
Content = Callable[[Source], None]
#: Whether an event still has its message when it is delivered (see :func:`always`).
Current = Callable[[Table, Envelope], bool]


def gather(table: Table, event: Envelope, message: Message, links: Links) -> Facts | None:
    """The facts of ``message`` for ``event``, or None when there is nothing to send (the
    program is gone, an invitation to an affiliate, an event a later one superseded): who
    receives it, then what it shows (the message's own ``content`` builder)."""
    cycle: Record | None = None
    if message.audience is Audience.INVITEE:
        facts = _invitee(table, event, links)
    elif message.audience is Audience.DIGEST_AFFILIATE_STAFF:
        facts = _digest_staff(table, event)
    elif message.audience is Audience.REQUESTER:
        facts = _requester(table, event)
    elif not message.current(table, event):
        logger.info("superseded: not sent", extra={"event_type": event.event_type})
        return None
    else:
        facts, cycle = _program_facts(table, event, message, links)
    if facts is not None:
        message.content(Source(table, event, links, facts, cycle))
    return facts


def _program_facts(
    table: Table, event: Envelope, message: Message, links: Links
) -> tuple[Facts | None, Record | None]:
    """The program's staff or its affiliates' staff, and what every message about the program
    shows (its name, the app, the cycle's due date and page)."""
    # Every event about a program names it (and its cycle, if any) in its data or envelope.
    data = event.typed_data()
    program_id = getattr(data, "program_id", None) or event.program_id
    program = store.program(table, str(program_id))
    if program is None:
        return None, None
    if message.audience is Audience.PROGRAM_STAFF:
        recipients = program_staff(table, program)
    else:
        recipients = affiliate_staff(table, [str(a) for a in program["affiliate_ids"]])
    values: dict[str, Any] = {"program_name": program["name"], "app_url": links.app_url}
    facts = Facts(recipients, values, _affiliates(table, recipients))
    cycle_id = getattr(data, "cycle_id", None) or event.cycle_id
    cycle = store.cycle(table, str(cycle_id)) if cycle_id else None
    if cycle is not None:
        values["due_date"] = _day(cycle.get("due_date"))
        values["cycle_url"] = f"{links.app_url}/cycles/{quote(str(cycle_id), safe='')}"
    return facts, cycle


# =========================================================================== content builders
# One per message of the table (``messages.MESSAGES``): each adds what its templates show.
def nothing(source: Source) -> None:
    """A message that shows only what every message about the program shows."""


def due_date(source: Source) -> None:
    """The due date the event names (a reminder's), else the cycle's."""
    values, data = source.values, source.event.typed_data()
    named = data.due_date if isinstance(data, DUE_DATED) else None
    values["due_date"] = _day(named) or values.get("due_date")


def return_comment(source: Source) -> None:
    """The affiliate's comment to the program (what it asks to change): not assessment text."""
    if source.cycle is not None:
        source.values["comment"] = source.cycle.get("return_comment") or ""


def submission(source: Source) -> None:
    """When this submission happened (a later resubmission rewrites the cycle's field)."""
    if source.cycle is not None:
        source.values["submitted_at"] = _instant(source.event.occurred_at)


def meeting(source: Source) -> None:
    """The meeting version the event names: its time, place, agenda and people together."""
    record = meeting_version(source.table, source.event) or {}
    values = source.values
    source.facts.meeting = record
    values["start"] = _instant(str(record["start"]))
    values["end"] = _instant(str(record["end"]))
    values["meeting_zone"] = str(record["time_zone"])
    online = record.get("mode") == "online"
    values["place"] = (record.get("link") if online else record.get("address")) or ""
    values["online"] = online
    # Moved into the past to record it as held: the update puts calendars on that time.
    values["held"] = values["start"] <= _instant(source.event.occurred_at)


def review_date(source: Source) -> None:
    source.values["review_date"] = _day(source.data_as(ReviewCompleted).review_date)


def goal_count(source: Source) -> None:
    source.values["goal_count"] = len(source.data_as(PlanFinalized).goal_ids)


def goal(source: Source) -> None:
    data = source.event.typed_data()
    assert isinstance(data, (GoalCompleted, GoalSentBack))  # the messages that show a goal
    source.values["goal"] = goal_summary(source.table, data.cycle_id, data.goal_id)


def badge(source: Source) -> None:
    """The badge's level and dates."""
    _badge(source)


def _badge(source: Source) -> Record:
    """The badge's level and dates (and the record, for the builders that show more)."""
    data, values = _badge_data(source.event), source.values
    record = store.badge(source.table, data.badge_id) or {}
    values["level_name"] = LEVEL_NAMES.get(str(record.get("level")), "NQMS badge")
    named = None if isinstance(data, BadgeRevoked) else data.valid_until
    values["valid_until"] = _day(named or record.get("valid_until"))
    values["days_left"] = data.days_left if isinstance(data, BadgeExpiringSoon) else None
    return record


def badge_issued(source: Source) -> None:
    """The badge, its verification link and image, and the snippet for the program's site."""
    record, values, links = _badge(source), source.values, source.links
    if record.get("verify_token"):
        values["verify_url"] = verify_link(links.api_url, str(record["verify_token"]))
        values["image_url"] = image_link(links.api_url, str(record["badge_id"]))
        # What the program pastes into its website: the badge list's own snippet.
        alt = alt_text(values["level_name"], str(record.get("program_name") or ""))
        values["image_alt"] = alt
        values["image_size"] = (IMAGE_WIDTH, IMAGE_HEIGHT)
        values["snippet"] = embed_snippet(values["verify_url"], values["image_url"], alt)


def badge_revoked(source: Source) -> None:
    """The badge, and the affiliate's own words to the program about it (not assessment text)."""
    record = _badge(source)
    source.values["revoked_on"] = _day(record.get("revoked_at"))
    source.values["reason"] = str(record.get("revoked_reason") or "")


#: How long the research export's emailed link works (a day; bounded by the signing role's
#: session in AWS). GET /research-exports/{exportId} gives a new one.
EXPORT_LINK_SECONDS = 24 * 3600


def research_export(source: Source) -> None:
    """The export's link (presigned GET of the CSV), its size and where to get a new link."""
    data = source.data_as(ResearchExportReady)
    record = store.research_export(source.table, data.export_id) or {}
    source.values["rows"] = record.get("rows")
    source.values["export_id"] = data.export_id
    source.values["download_url"] = presigned_get(
        source.links.reports_bucket,
        store.research_export_file(data.export_id, "export.csv"),
        None,
        f"nqms-research-export-{data.export_id}.csv",
        "text/csv; charset=utf-8",
        EXPORT_LINK_SECONDS,
    )


def invitation(source: Source) -> None:
    data = source.event.typed_data()
    source.values["new_account"] = isinstance(data, MemberInvited) and data.new_user


def digest(source: Source) -> None:
    """The affiliate's overdue assessments and goals, by program."""
    table, data = source.table, source.data_as(OverdueDigestDue)
    cycle_ids = list(data.cycle_ids)
    goal_refs = [(g.cycle_id, g.goal_id) for g in data.goals]
    cycles = {
        str(c["cycle_id"]): c
        for c in store.cycles_among(table, {*cycle_ids, *(g[0] for g in goal_refs)})
    }
    programs = {
        str(p["program_id"]): p
        for p in store.programs_among(table, [str(c["program_id"]) for c in cycles.values()])
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
    source.values.update({"week_of": _day(data.week_of), "assessments": overdue, "goals": goals})


# =========================================================================== still current?
# Every message is built from the version of the data its event names, never a later one (no
# later version's place with this version's time): an event a later change superseded sends
# nothing (the later change's own event says it).
def always(table: Table, event: Envelope) -> bool:
    """The event's message is sent whatever happened since."""
    return True


def meeting_is_current(table: Table, event: Envelope) -> bool:
    """A review meeting keeps each version (``store.meeting_copies``), so each of its
    events describes its own. A meeting *scheduled* in the past (recorded after it was held)
    is in nobody's calendar: no invite. A meeting *moved* into the past was in calendars at its
    planned time: the update is sent, so calendars end on the time it was held."""
    if meeting_version(table, event) is None:
        return False
    past = _instant(event.data_as(ReviewMeetingChange).start) <= _instant(event.occurred_at)
    return not (event.event_type == "ReviewMeetingScheduled" and past)


def return_is_current(table: Table, event: Envelope) -> bool:
    """A return is named by its time, and a later return supersedes it."""
    data = event.data_as(AssessmentReturned)
    if not data.returned_at:
        return True
    cycle = store.cycle(table, data.cycle_id) or {}
    return bool(cycle.get("returned_at") == data.returned_at)


def still_answerable(table: Table, event: Envelope) -> bool:
    """A reminder for an assessment submitted (or archived) since no longer applies."""
    data = event.typed_data()
    assert isinstance(data, (AssessmentDueSoon, AssessmentOverdue))  # the reminders
    cycle = store.cycle(table, data.cycle_id) or {}
    return str(cycle.get("state")) in {s.value for s in ANSWERABLE}


def badge_still_held(table: Table, event: Envelope) -> bool:
    """An expiry notice for a badge revoked (its own email says so) or renewed since would
    mislead ("renew it")."""
    record = store.badge(table, _badge_data(event).badge_id) or {}
    return not (record.get("revoked") or record.get("superseded_by"))


# =========================================================================== shared reads
def meeting_version(table: Table, event: Envelope) -> Record | None:
    """The meeting as the event's version (UID, SEQUENCE) had it: its kept copy, or (for an
    event written before copies were kept) the meeting itself while it is at that version."""
    data = event.data_as(ReviewMeetingChange)
    cycle_id, sequence = data.cycle_id, data.sequence
    for record in store.meeting_copies(table, cycle_id, sequence):
        if (str(record["uid"]), int(record["sequence"])) == (data.uid, sequence):
            return record
    return None


def goal_summary(table: Table, cycle_id: str, goal_id: str) -> dict[str, Any]:
    """A goal as an email may show it: its number in the plan and its target date (the title
    and notes are plan text)."""
    goal, goal_set = store.goal_with_set(table, cycle_id, goal_id)
    order = [str(g) for g in goal_set.get("active") or []]
    number = order.index(goal_id) + 1 if goal_id in order else None
    return {
        "number": number,
        "item_code": goal.get("item_code"),
        "target_date": _day(goal.get("target_date")),
    }


def _invitee(table: Table, event: Envelope, links: Links) -> Facts | None:
    data = event.typed_data()
    assert isinstance(data, (MemberInvited, InvitationCreated))  # the invitations
    if data.scope != "program" or data.scope_id is None:
        return None  # the table sends invitations to programs only
    user_id, program_id = data.user_id, data.scope_id
    if event.event_type == "MemberInvited":
        record = store.membership(table, user_id, program_id)
    else:
        record = store.invitation(table, user_id, program_id)
    program = store.program(table, program_id)
    if record is None or program is None:
        return None
    recipient = Recipient(
        user_id,
        str(record["email"]),
        str(record.get("name") or ""),
        str(program["primary_affiliate_id"]),
    )
    values = {"program_name": program["name"], "app_url": links.app_url}
    return Facts([recipient], values, _affiliates(table, [recipient]))


def _requester(table: Table, event: Envelope) -> Facts | None:
    """The national staff member who asked for the research export (their membership)."""
    data = event.data_as(ResearchExportReady)
    member = store.national_membership(table, data.requested_by)
    if member is None:  # no longer national staff: nobody to send the link to
        return None
    recipient = Recipient(
        data.requested_by, str(member["email"]), str(member.get("name") or ""), ""
    )
    return Facts([recipient], {})


def _digest_staff(table: Table, event: Envelope) -> Facts:
    affiliate_id = event.data_as(OverdueDigestDue).affiliate_id
    recipients = [
        Recipient(m.user_id, m.email, str(m.item.get("name") or ""), affiliate_id)
        for m in members_of(table, "affiliate", affiliate_id)
    ]
    return Facts(recipients, {}, _affiliates(table, recipients))


def _affiliates(table: Table, recipients: list[Recipient]) -> dict[str, Record]:
    wanted = sorted({r.affiliate_id for r in recipients})
    return {str(a["affiliate_id"]): a for a in store.affiliates_among(table, wanted)}


def _badge_data(event: Envelope) -> BadgeData:
    data = event.typed_data()
    assert isinstance(data, BADGE_EVENTS)  # the messages about a badge
    return data


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
