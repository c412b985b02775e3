"""Rules of the review: per-item status and progress, the review meeting, and completion.

Pure (no AWS, no clock of its own: ``now`` is always passed in) so the handlers, the notify
service and the tests share one copy. A meeting request's own rules (times in its zone, place,
link, text, guests) run once, in its model's validators (``functions.review.models``): a bad
request is one 422 validation problem naming every field. What the model cannot know (today's
date, who may attend) is checked here, as a 422 :class:`RuleViolation` naming each field; a
step the cycle's state (or the meeting's) does not allow is a 409 :class:`IllegalTransition`
naming the current state.

Decisions (issue #8):

- **Times.** A meeting's start and end are wall times in an IANA zone (what people agree on
  the phone), stored as UTC instants plus the zone. A wall time that does not exist (the
  spring-forward gap) is refused; an ambiguous one (the fall-back hour) is taken as its first
  occurrence (``fold=0``, as Python and most calendar programs do). A time sent with an
  explicit UTC offset is taken as that instant, provided the offset is the zone's at that
  instant: that is how a client picks the second occurrence of an ambiguous hour, and a
  mismatch (a time zone and an offset that disagree) is refused rather than guessed.
- **Review date.** The meeting's local calendar date in the meeting's own zone: where the
  meeting was held is where its date is (DOMAIN.md says "the affiliate's time zone"; the
  meeting is scheduled by the affiliate, usually in its zone, and issue #8 fixes the
  meeting's zone, which also holds for an affiliate reviewing a program in another zone).
- **Calendar identity.** One meeting per cycle, with one UID for its whole life (derived from
  the cycle id once, then stored) and a SEQUENCE: 0 when scheduled, +1 on every reschedule or
  cancellation, and on scheduling again after a cancellation (same UID: calendar programs
  update the one entry instead of showing a second meeting).
- **After the fact.** A meeting whose start has passed may be recorded (the review happened
  before the system knew); it gets no invite, because nobody should be invited to the past.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from shared.domain.cycle_states import Action, CycleState, transition
from shared.domain.formats import normalize_email
from shared.errors import IllegalTransition, RuleViolation

if TYPE_CHECKING:  # the model runs the request's rules below; these take the model it made
    from functions.review.models import MeetingIn


# =========================================================================== review date
def review_date(start: datetime, zone: ZoneInfo) -> date:
    """The review date: the meeting's local calendar date in its zone.

    Badges run three years from this date, so it is computed here only. A 23:30 meeting in
    Chicago is stored as 05:30Z the next day; its review date is still the Chicago date.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("review_date needs an aware datetime (an instant), not a wall time")
    return start.astimezone(zone).date()


# =========================================================================== per-item review
class ReviewStatus(StrEnum):
    """The reviewer's status of one item; items without a record need review."""

    NEEDS_REVIEW = "needs_review"
    REVIEWED = "reviewed"
    FLAGGED = "flagged"  # the program should look at it again; always says why


#: Longest note (to the program, or internal), in characters: notes, not documents.
MAX_NOTE_CHARS = 4000
FIELD_STATUS = "body.status"
FIELD_NOTE_TO_PROGRAM = "body.note_to_program"
FIELD_INTERNAL_NOTE = "body.internal_note"


def check_item_review(
    status: ReviewStatus | str, note_to_program: str | None, internal_note: str | None
) -> ReviewStatus:
    """The rules an item's review model cannot know alone; returns the status as the enum.

    A flag tells the program to look again, so it must say why, in the note the program sees
    (an internal note alone would leave the program with a flag and no reason).
    """
    try:
        parsed = ReviewStatus(status)
    except ValueError:
        allowed = ", ".join(s.value for s in ReviewStatus)
        raise RuleViolation(
            f"Unknown review status {status!r}: use one of {allowed}.", field=FIELD_STATUS
        ) from None
    for field, note in (
        (FIELD_NOTE_TO_PROGRAM, note_to_program),
        (FIELD_INTERNAL_NOTE, internal_note),
    ):
        if note is not None and len(note) > MAX_NOTE_CHARS:
            raise RuleViolation(
                f"The note is {len(note)} characters long; at most {MAX_NOTE_CHARS} are kept.",
                field=field,
            )
    if parsed is ReviewStatus.FLAGGED and not (note_to_program or "").strip():
        raise RuleViolation(
            "A flagged item needs a note to the program saying what to look at.",
            field=FIELD_NOTE_TO_PROGRAM,
        )
    return parsed


@dataclass(frozen=True)
class ReviewProgress:
    """How far the review is: counts over the instrument's items."""

    reviewed: int
    flagged: int
    needs_review: int
    total: int

    @property
    def done(self) -> int:
        """Items the reviewer has looked at (reviewed or flagged)."""
        return self.reviewed + self.flagged


def review_progress(
    item_keys: Iterable[str], statuses: Mapping[str, ReviewStatus | str]
) -> ReviewProgress:
    """Progress of a review over the instrument's items (``item_keys``, e.g. 92 of them).

    ``statuses`` maps item keys to the reviewer's status; an item without one needs review.
    A status for a key the instrument does not have is ignored, so the counts always add up
    to the instrument's item count.
    """
    counts = dict.fromkeys(ReviewStatus, 0)
    total = 0
    for key in set(item_keys):
        total += 1
        counts[ReviewStatus(statuses.get(key, ReviewStatus.NEEDS_REVIEW))] += 1
    return ReviewProgress(
        reviewed=counts[ReviewStatus.REVIEWED],
        flagged=counts[ReviewStatus.FLAGGED],
        needs_review=counts[ReviewStatus.NEEDS_REVIEW],
        total=total,
    )


# =========================================================================== state guards
#: States in which the affiliate reviews items and schedules, moves or cancels the meeting.
REVIEWABLE: frozenset[CycleState] = frozenset({CycleState.SUBMITTED, CycleState.IN_REVIEW})


def state_after_review_action(state: CycleState | str) -> CycleState:
    """The cycle's state after a review action (an item status, a meeting change).

    The first one moves a submitted cycle to in review (``ReviewStarted``); later ones leave
    it there. Anything else (open, returned, completed, archived, ...) is a 409 naming the
    current state.
    """
    current = CycleState(state)
    if current is CycleState.SUBMITTED:
        return transition(current, Action.START_REVIEW)
    if current is CycleState.IN_REVIEW:
        return current
    raise IllegalTransition(
        f"The review cannot be changed while the cycle is {current.value}.",
        current_state=current.value,
    )


def starts_review(state: CycleState | str) -> bool:
    """Whether a review action in ``state`` starts the review (and emits ``ReviewStarted``)."""
    return CycleState(state) is CycleState.SUBMITTED


# =========================================================================== meeting
class MeetingMode(StrEnum):
    IN_PERSON = "in_person"  # often on site, at the program
    ONLINE = "online"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


#: Domain part of meeting UIDs (RFC 5545 recommends ``unique@domain``). The UID is stored
#: with the meeting when first scheduled, so changing this never changes an existing UID.
UID_DOMAIN = "nqms.example"
#: Longest meeting; longer is taken for a typo (a whole on-site day fits easily).
MAX_DURATION = timedelta(hours=12)
#: How far back a meeting may be recorded after the fact, and how far ahead scheduled.
MAX_PAST = timedelta(days=366)
MAX_AHEAD = timedelta(days=2 * 366)
MAX_STAFF_ATTENDEES = 30
MAX_GUESTS = 20
MAX_ADDRESS_CHARS = 500
MAX_LINK_CHARS = 2000
MAX_AGENDA_CHARS = 4000

FIELD_START = "body.start"
FIELD_STAFF = "body.attendees.staff"

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and newline are text; CR is not
_UID_PART_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def meeting_uid(cycle_id: str, domain: str = UID_DOMAIN) -> str:
    """The calendar UID of a cycle's review meeting: one per cycle, stable for its life."""
    if not _UID_PART_RE.match(cycle_id):
        raise ValueError(f"cycle id {cycle_id!r} cannot be part of a calendar UID")
    return f"review-{cycle_id}@{domain}"


@dataclass(frozen=True)
class MeetingProblem:
    """One thing wrong with a meeting, in the shape of a problem's field error."""

    field: str
    message: str
    code: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "code": self.code}


class MeetingRefused(ValueError):
    """What a meeting field's rule refuses: its code and message (the model names the field)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Meeting:
    """A cycle's review meeting as kept: UTC instants, its zone, and its calendar identity."""

    uid: str
    sequence: int
    status: MeetingStatus
    time_zone: str
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    mode: MeetingMode
    address: str | None
    link: str | None
    staff: tuple[str, ...]  # user ids of program and affiliate staff
    guests: tuple[str, ...]  # email addresses, deduplicated
    agenda: str | None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.zone)

    @property
    def review_date(self) -> date:
        return review_date(self.start, self.zone)

    def has_started(self, now: datetime) -> bool:
        """Whether the meeting's start has passed (it may then be recorded as held)."""
        return self.start <= now

    def wants_invite(self, now: datetime) -> bool:
        """Whether to send an invite: only for a meeting still ahead (none for the past)."""
        return not self.has_started(now)


# --------------------------------------------------------------------------- the request's rules
# Each one takes a field's value and returns it as kept, or raises MeetingRefused; the
# request's model runs them (so a bad request is one 422 naming every field it can check alone).
def meeting_instant(value: datetime, time_zone: str) -> datetime:
    """The UTC instant of a wall time (or offset time) in the zone."""
    zone = ZoneInfo(time_zone)
    value = value.replace(microsecond=0)  # calendars keep whole seconds; so do we
    if value.tzinfo is not None:
        instant = value.astimezone(UTC)
        expected = instant.astimezone(zone).utcoffset()
        if value.utcoffset() != expected:
            raise MeetingRefused(
                "offset_mismatch",
                f"The offset {value.strftime('%z')} is not {zone.key}'s at that time "
                f"({instant.astimezone(zone).strftime('%z')}); send the local time without "
                "an offset, or the right offset.",
            )
        return instant
    local = value.replace(tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None, fold=0) != value.replace(fold=0):
        raise MeetingRefused(
            "nonexistent_local_time",
            f"{value.isoformat(timespec='minutes')} does not exist in {zone.key} "
            "(the clocks skip it when daylight saving time starts).",
        )
    return instant


def meeting_end(start: datetime, end: datetime) -> datetime:
    """The end (an instant) if it comes after the start, and not too long after."""
    if end <= start:
        raise MeetingRefused("end_not_after_start", "The meeting must end after it starts.")
    if end - start > MAX_DURATION:
        hours = int(MAX_DURATION.total_seconds() // 3600)
        raise MeetingRefused("too_long", f"A meeting lasts at most {hours} hours.")
    return end


def meeting_text(value: str | None, limit: int) -> str | None:
    """Free text as kept: stripped, CRLF as LF, no control characters, bounded; blank is None."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n").strip()
    if not text:
        return None
    if _CONTROL_RE.search(text) or "\r" in text:
        raise MeetingRefused("control_characters", "Control characters are not allowed.")
    if len(text) > limit:
        raise MeetingRefused("too_long", f"At most {limit} characters.")
    return text


def meeting_address(mode: str | None, value: str | None) -> str | None:
    """The address as kept; an in-person meeting has one."""
    address = meeting_text(value, MAX_ADDRESS_CHARS)
    if mode == MeetingMode.IN_PERSON and address is None:
        raise MeetingRefused("missing", "An in-person meeting needs an address.")
    return address


def meeting_link(mode: str | None, value: str | None) -> str | None:
    """A plain https URL with a host and no credentials (blank is None); an online meeting
    has one."""
    link = (value or "").strip() or None
    if link is None:
        if mode == MeetingMode.ONLINE:
            raise MeetingRefused("missing", "An online meeting needs a link (https://...).")
        return None
    reason = _link_problem(link)
    if reason:
        raise MeetingRefused("invalid_link", reason)
    return link


def _link_problem(link: str) -> str | None:
    if len(link) > MAX_LINK_CHARS:
        return f"The link is longer than {MAX_LINK_CHARS} characters."
    if any(c.isspace() for c in link) or _CONTROL_RE.search(link):
        return "The link may not contain spaces or control characters."
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        return "The link is not a valid URL."
    if parts.scheme != "https":
        return "The link must start with https://."
    if not host:
        return "The link needs a host (https://meet.example.org/...)."
    if parts.username is not None or parts.password is not None:
        return "The link may not carry a user name or password."
    return None


def meeting_guests(addresses: Sequence[str]) -> tuple[tuple[str, ...], list[MeetingProblem]]:
    """Guests by email, deduplicated ignoring case (the first spelling is kept), and the
    problems, each naming ``guests[index]`` or ``guests``."""
    kept: list[str] = []
    problems: list[MeetingProblem] = []
    seen: set[str] = set()
    for index, raw in enumerate(addresses):
        email = normalize_email(raw)
        if email is None:
            problems.append(
                MeetingProblem(f"guests[{index}]", "Not an email address.", "invalid_email")
            )
            continue
        if email.casefold() in seen:
            continue
        seen.add(email.casefold())
        kept.append(email)
    if len(kept) > MAX_GUESTS:
        problems.append(MeetingProblem("guests", f"At most {MAX_GUESTS} guests.", "too_many"))
    return tuple(kept), problems


# --------------------------------------------------------------------------- the review's rules
def meeting_problems(
    request: MeetingIn, *, now: datetime, eligible_staff: Collection[str]
) -> list[MeetingProblem]:
    """What the request's model cannot know: whether the meeting is within reach of today
    (``now``, the injectable clock) and whether each staff attendee may attend (empty: fine).

    ``eligible_staff`` holds the user ids of the program's staff and of the staff of every
    affiliate serving it (the logic reads them); anyone else is not an attendee by id.
    """
    problems: list[MeetingProblem] = []
    if not now - MAX_PAST <= request.start <= now + MAX_AHEAD:
        problems.append(
            MeetingProblem(
                FIELD_START,
                f"The meeting must start within {MAX_PAST.days} days before and "
                f"{MAX_AHEAD.days} days after today.",
                "out_of_range",
            )
        )
    _staff(request.staff, eligible_staff, problems)
    return problems


def _staff(
    ids: Sequence[str], eligible: Collection[str], problems: list[MeetingProblem]
) -> tuple[str, ...]:
    kept: list[str] = []
    for index, raw in enumerate(ids):
        user_id = raw.strip()
        if user_id in kept:
            continue
        if user_id not in eligible:
            problems.append(
                MeetingProblem(
                    f"{FIELD_STAFF}[{index}]",
                    "Not a staff member of this program or of an affiliate serving it.",
                    "not_eligible",
                )
            )
            continue
        kept.append(user_id)
    if len(kept) > MAX_STAFF_ATTENDEES:
        problems.append(
            MeetingProblem(
                FIELD_STAFF, f"At most {MAX_STAFF_ATTENDEES} staff attendees.", "too_many"
            )
        )
    return tuple(kept)


def _checked_staff(
    request: MeetingIn, now: datetime, eligible_staff: Collection[str]
) -> tuple[str, ...]:
    """The staff attendees as kept; one 422 naming every field if the review's rules refuse."""
    problems = meeting_problems(request, now=now, eligible_staff=eligible_staff)
    if problems:
        first = problems[0]
        raise RuleViolation(
            first.message, field=first.field, errors=[problem.as_dict() for problem in problems]
        )
    return _staff(request.staff, eligible_staff, [])


def _meeting_allowed(state: CycleState | str) -> None:
    current = CycleState(state)
    if current not in REVIEWABLE:
        raise IllegalTransition(
            f"No review meeting can be scheduled, moved or cancelled while the cycle is "
            f"{current.value}.",
            current_state=current.value,
        )


def schedule_meeting(
    cycle_id: str,
    request: MeetingIn,
    *,
    state: CycleState | str,
    existing: Meeting | None,
    now: datetime,
    eligible_staff: Collection[str],
    uid_domain: str = UID_DOMAIN,
) -> Meeting:
    """A new meeting (SEQUENCE 0), or the cycle's cancelled one scheduled again (same UID,
    SEQUENCE + 1). A cycle has one meeting: a scheduled one is moved with reschedule."""
    _meeting_allowed(state)
    if existing is not None and existing.status is MeetingStatus.SCHEDULED:
        raise IllegalTransition(
            "The review meeting is already scheduled; reschedule it instead.",
            current_state=CycleState(state).value,
            meeting_status=existing.status.value,
        )
    staff = _checked_staff(request, now, eligible_staff)
    uid = existing.uid if existing is not None else meeting_uid(cycle_id, uid_domain)
    sequence = existing.sequence + 1 if existing is not None else 0
    return _meeting(uid, sequence, request, staff)


def reschedule_meeting(
    meeting: Meeting,
    request: MeetingIn,
    *,
    state: CycleState | str,
    now: datetime,
    eligible_staff: Collection[str],
) -> Meeting:
    """The same meeting (same UID) with new details and SEQUENCE + 1."""
    _meeting_allowed(state)
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise IllegalTransition(
            "The review meeting was cancelled; schedule it again instead.",
            current_state=CycleState(state).value,
            meeting_status=meeting.status.value,
        )
    staff = _checked_staff(request, now, eligible_staff)
    return _meeting(meeting.uid, meeting.sequence + 1, request, staff)


def cancel_meeting(meeting: Meeting, *, state: CycleState | str) -> Meeting:
    """The meeting cancelled, SEQUENCE + 1 (calendars drop it on METHOD:CANCEL)."""
    _meeting_allowed(state)
    if meeting.status is MeetingStatus.CANCELLED:
        raise IllegalTransition(
            "The review meeting is already cancelled.",
            current_state=CycleState(state).value,
            meeting_status=meeting.status.value,
        )
    return replace(meeting, status=MeetingStatus.CANCELLED, sequence=meeting.sequence + 1)


def _meeting(uid: str, sequence: int, request: MeetingIn, staff: tuple[str, ...]) -> Meeting:
    return Meeting(
        uid=uid,
        sequence=sequence,
        status=MeetingStatus.SCHEDULED,
        time_zone=request.time_zone,
        start=request.start,
        end=request.end,
        mode=MeetingMode(request.mode),
        address=request.address,
        link=request.link,
        staff=staff,
        guests=tuple(request.guests),
        agenda=request.agenda,
    )


# =========================================================================== completion
def complete_review(state: CycleState | str, meeting: Meeting | None, now: datetime) -> date:
    """The review date, if the review may be completed now; a 409 naming the state if not.

    Completion records that the meeting was held: so there must be a meeting, not cancelled,
    whose start has passed by ``now`` (the injectable clock), on a cycle in review.
    """
    current = CycleState(state)
    transition(current, Action.COMPLETE_REVIEW)  # in review only; else 409 naming the state
    if meeting is None or meeting.status is MeetingStatus.CANCELLED:
        raise IllegalTransition(
            "The review cannot be completed without a held review meeting; schedule one.",
            current_state=current.value,
            meeting_status=meeting.status.value if meeting is not None else None,
        )
    if not meeting.has_started(now):
        raise IllegalTransition(
            "The review can be completed once the review meeting has started "
            f"({meeting.local_start.isoformat(timespec='minutes')} {meeting.time_zone}).",
            current_state=current.value,
            meeting_status=meeting.status.value,
            meeting_start=meeting.start.isoformat().replace("+00:00", "Z"),
        )
    return meeting.review_date
