"""Review rules: the review date at midnight and DST edges, meeting validation naming each
field (the request's model, then the rules that need today and the attendees), the meeting's
calendar identity (UID, SEQUENCE), per-item status and progress, and the
guards of every step by the cycle's state and the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from functions.review.models import MeetingIn
from functions.review.rules import (
    MAX_GUESTS,
    Meeting,
    MeetingMode,
    MeetingProblem,
    MeetingStatus,
    ReviewStatus,
    cancel_meeting,
    check_item_review,
    complete_review,
    meeting_problems,
    meeting_uid,
    reschedule_meeting,
    review_date,
    review_progress,
    schedule_meeting,
    starts_review,
    state_after_review_action,
)
from shared.domain.cycle_states import CycleState
from shared.edge.problems import validation_problem
from shared.errors import IllegalTransition, RuleViolation

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
STAFF = frozenset({"user-program-1", "user-affiliate-1", "user-affiliate-2"})
LINK = "https://meet.example.org/nqms-review"


def draft(
    start: datetime = datetime(2026, 1, 20, 10, 0),
    end: datetime | None = None,
    time_zone: str = "America/Chicago",
    **changes: object,
) -> dict[str, object]:
    """A meeting request's body (``staff`` and ``guests`` go under ``attendees``)."""
    attendees = {"staff": changes.pop("staff", ["user-program-1"])}
    if "guests" in changes:
        attendees["guests"] = changes.pop("guests")
    fields: dict[str, object] = {
        "time_zone": time_zone,
        "start": start,
        "end": end if end is not None else start + timedelta(hours=2),
        "mode": MeetingMode.IN_PERSON,
        "address": "Youth Center, 12 Main St, Omaha, NE",
        "attendees": attendees,
    }
    fields.update(changes)
    return fields


def request(fields: dict[str, object] | None = None) -> MeetingIn:
    return MeetingIn.model_validate(fields or draft())


def scheduled(d: dict[str, object] | None = None, cycle_id: str = "01JCYCLE") -> Meeting:
    return schedule_meeting(
        cycle_id,
        request(d),
        state=CycleState.IN_REVIEW,
        existing=None,
        now=NOW,
        eligible_staff=STAFF,
    )


def fields_of(problems: list[MeetingProblem]) -> dict[str, str]:
    return {p.field: p.code for p in problems}


def refused(fields: dict[str, object]) -> list[dict[str, str]]:
    """The errors of the 422 the API answers the request with: its model's validation
    problem if the model refuses it, else the review's rules' (empty: accepted)."""
    try:
        meeting = MeetingIn.model_validate(fields)
    except ValidationError as invalid:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in invalid.errors()]
        problem = validation_problem(errors)
        assert problem["field"] == problem["errors"][0]["field"]
        return list(problem["errors"])
    return [p.as_dict() for p in meeting_problems(meeting, now=NOW, eligible_staff=STAFF)]


def problems_of(fields: dict[str, object]) -> dict[str, str]:
    return {e["field"]: e["code"] for e in refused(fields)}


# =========================================================================== review date
CHICAGO, NEW_YORK = ZoneInfo("America/Chicago"), ZoneInfo("America/New_York")


def test_a_late_evening_meeting_stored_as_next_day_utc_keeps_its_local_date() -> None:
    # 23:30 in Chicago (CST, -6) is 05:30Z the next day.
    start = datetime(2026, 1, 20, 5, 30, tzinfo=UTC)
    assert review_date(start, CHICAGO) == date(2026, 1, 19)


def test_a_meeting_just_after_local_midnight_is_on_the_new_day() -> None:
    # 00:15 in Chicago is 06:15Z the same day; 00:15 in Kolkata (+5:30) is 18:45Z the day before.
    assert review_date(datetime(2026, 1, 20, 6, 15, tzinfo=UTC), CHICAGO) == date(2026, 1, 20)
    kolkata = datetime(2026, 3, 9, 18, 45, tzinfo=UTC)
    assert review_date(kolkata, ZoneInfo("Asia/Kolkata")) == date(2026, 3, 10)
    # Local midnight in Kolkata is 18:30Z: a minute before, it is still the 9th there.
    before_midnight = datetime(2026, 3, 9, 18, 29, tzinfo=UTC)
    assert review_date(before_midnight, ZoneInfo("Asia/Kolkata")) == date(2026, 3, 9)


def test_half_hour_zone_with_daylight_time_adelaide() -> None:
    # Adelaide is +10:30 in January (daylight time): 23:45 local is 13:15Z the same day,
    # and 00:10 local on the 21st is 13:40Z on the 20th.
    adelaide = ZoneInfo("Australia/Adelaide")
    assert review_date(datetime(2026, 1, 20, 13, 15, tzinfo=UTC), adelaide) == date(2026, 1, 20)
    assert review_date(datetime(2026, 1, 20, 13, 40, tzinfo=UTC), adelaide) == date(2026, 1, 21)


def test_across_the_date_line_one_instant_is_two_dates() -> None:
    instant = datetime(2026, 4, 30, 19, 0, tzinfo=UTC)
    assert review_date(instant, ZoneInfo("Pacific/Kiritimati")) == date(2026, 5, 1)  # +14
    assert review_date(instant, ZoneInfo("Pacific/Pago_Pago")) == date(2026, 4, 30)  # -11


def test_dst_days_in_new_york() -> None:
    # Spring forward (8 March 2026, 02:00 -> 03:00): 03:30 EDT is 07:30Z.
    assert review_date(datetime(2026, 3, 8, 7, 30, tzinfo=UTC), NEW_YORK) == date(2026, 3, 8)
    # Fall back (1 November 2026): both 01:30s, and 23:30 EST (04:30Z on the 2nd).
    for instant in (
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
        datetime(2026, 11, 2, 4, 30, tzinfo=UTC),
    ):
        assert review_date(instant, NEW_YORK) == date(2026, 11, 1)
    assert review_date(datetime(2026, 11, 2, 5, 0, tzinfo=UTC), NEW_YORK) == date(2026, 11, 2)


def test_review_date_refuses_a_wall_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        review_date(datetime(2026, 1, 20, 10, 0), CHICAGO)


ZONES = [
    "America/Chicago",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Europe/London",
]


@given(
    zone=st.sampled_from(ZONES),
    wall=st.datetimes(min_value=datetime(2026, 1, 6), max_value=datetime(2027, 12, 1)),
)
def test_a_meeting_scheduled_at_any_local_time_has_that_local_date(
    zone: str, wall: datetime
) -> None:
    wall = wall.replace(second=0, microsecond=0)
    problems = problems_of(draft(wall, time_zone=zone))
    if problems:  # only a wall time the clocks skip is refused
        assert problems == {"body.start": "nonexistent_local_time"} or (
            problems == {"body.end": "nonexistent_local_time"}
        )
        return
    meeting = scheduled(draft(wall, time_zone=zone))
    assert meeting.start.tzinfo is UTC
    assert meeting.review_date == wall.date()
    assert meeting.local_start.replace(tzinfo=None) == wall


# =========================================================================== meeting times
def test_a_late_meeting_is_stored_in_utc_and_dated_locally() -> None:
    meeting = scheduled(draft(datetime(2026, 1, 20, 23, 30), end=datetime(2026, 1, 21, 0, 30)))
    assert meeting.start == datetime(2026, 1, 21, 5, 30, tzinfo=UTC)
    assert meeting.review_date == date(2026, 1, 20)


def test_a_local_time_the_clocks_skip_is_refused_naming_the_field() -> None:
    [problem] = refused(draft(datetime(2026, 3, 8, 2, 30), time_zone="America/New_York"))
    assert (problem["field"], problem["code"]) == ("body.start", "nonexistent_local_time")
    assert "2026-03-08T02:30" in problem["message"]


def test_an_ambiguous_local_time_is_its_first_occurrence_unless_an_offset_says_otherwise() -> None:
    wall = datetime(2026, 11, 1, 1, 30)
    end = datetime(2026, 11, 1, 4, 0)
    first = scheduled(draft(wall, end=end, time_zone="America/New_York"))
    assert first.start == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = scheduled(
        draft(
            wall.replace(tzinfo=timezone(timedelta(hours=-5))),
            end=end,
            time_zone="America/New_York",
        )
    )
    assert second.start == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert first.review_date == second.review_date == date(2026, 11, 1)


def test_an_offset_that_is_not_the_zones_is_refused() -> None:
    wrong = datetime(2026, 1, 20, 10, 0, tzinfo=timezone(timedelta(hours=-5)))  # Chicago is -6
    problems = problems_of(draft(wrong))
    assert problems == {"body.start": "offset_mismatch", "body.end": "offset_mismatch"}


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus_Mons", "america/chicago", "localtime", "Factory", "", "../etc/passwd"]
)
def test_an_unknown_time_zone_is_refused_naming_the_field(zone: str) -> None:
    problems = problems_of(draft(time_zone=zone))
    assert problems == {"body.time_zone": "unknown_time_zone"}


@pytest.mark.parametrize("minutes", [0, -30])
def test_the_end_must_be_after_the_start(minutes: int) -> None:
    start = datetime(2026, 1, 20, 10, 0)
    problems = problems_of(draft(start, end=start + timedelta(minutes=minutes)))
    assert problems == {"body.end": "end_not_after_start"}


def test_a_meeting_ending_at_the_fall_back_hour_counts_real_time() -> None:
    # 01:30 EDT to 01:15 (fold 0, EDT) ends before it starts, although on the wall 01:15 comes
    # again an hour later: the wall time is read as its first occurrence, consistently.
    problems = problems_of(
        draft(
            datetime(2026, 11, 1, 1, 30),
            end=datetime(2026, 11, 1, 1, 15),
            time_zone="America/New_York",
        )
    )
    assert problems == {"body.end": "end_not_after_start"}


def test_overlong_and_out_of_range_meetings_are_refused() -> None:
    start = datetime(2026, 1, 20, 8, 0)
    too_long = problems_of(draft(start, end=start + timedelta(hours=13)))
    assert too_long == {"body.end": "too_long"}
    far = problems_of(draft(datetime(2029, 1, 20, 8, 0)))
    assert far == {"body.start": "out_of_range"}


def test_every_problem_is_reported_at_once_in_one_422() -> None:
    # What the request alone shows wrong: one validation problem naming every field.
    problems = refused(
        draft(
            time_zone="Nowhere/Atlantis",
            mode=MeetingMode.ONLINE,
            link="http://meet.example.org/x",
            staff=["user-program-1", "stranger"],
            guests=["ok@example.org", "not an email"],
        )
    )
    assert {e["field"]: e["code"] for e in problems} == {
        "body.time_zone": "unknown_time_zone",
        "body.link": "invalid_link",
        "body.attendees.guests[1]": "invalid_email",
    }
    assert problems[0]["field"] == "body.time_zone"
    # What only today's date and the program's staff show wrong: one rule violation.
    with pytest.raises(RuleViolation) as raised:
        scheduled(draft(datetime(2029, 1, 20, 8, 0), staff=["user-program-1", "stranger", "x"]))
    error = raised.value
    assert error.status == 422
    assert error.extensions["field"] == "body.start"
    assert {e["field"]: e["code"] for e in error.extensions["errors"]} == {
        "body.start": "out_of_range",
        "body.attendees.staff[1]": "not_eligible",
        "body.attendees.staff[2]": "not_eligible",
    }


# =========================================================================== place and people
def test_in_person_needs_an_address_and_online_needs_an_https_link() -> None:
    assert problems_of(draft(address="   ")) == {"body.address": "missing"}
    assert problems_of(draft(mode="online", address=None)) == {"body.link": "missing"}
    online = scheduled(draft(mode="online", address=None, link=LINK))
    assert online.mode is MeetingMode.ONLINE
    assert online.link == LINK


@pytest.mark.parametrize(
    "link",
    [
        "http://meet.example.org/x",
        "javascript:alert(1)",
        "https://",
        "https://user:secret@meet.example.org/x",
        "https://meet.example.org/a b",
        "https://[::1",
    ],
)
def test_a_link_that_is_not_a_plain_https_url_is_refused(link: str) -> None:
    problems = problems_of(draft(mode="online", link=link))
    assert problems == {"body.link": "invalid_link"}


def test_an_unknown_mode_is_refused() -> None:
    problems = problems_of(draft(mode="carrier_pigeon"))
    assert problems == {"body.mode": "literal_error"}


def test_attendees_are_deduplicated_and_guest_addresses_compared_without_case() -> None:
    meeting = scheduled(
        draft(
            staff=["user-program-1", " user-affiliate-1", "user-program-1"],
            guests=["Board.Chair@Example.ORG", "board.chair@example.org", " guest@mail.example "],
        )
    )
    assert meeting.staff == ("user-program-1", "user-affiliate-1")
    assert meeting.guests == ("Board.Chair@example.org", "guest@mail.example")


def test_staff_of_other_tenants_and_too_many_guests_are_refused() -> None:
    not_ours = problems_of(draft(staff=["user-of-another-affiliate"]))
    assert not_ours == {"body.attendees.staff[0]": "not_eligible"}
    crowd = [f"guest{i}@example.org" for i in range(MAX_GUESTS + 1)]
    assert problems_of(draft(guests=crowd)) == {"body.attendees.guests": "too_many"}


@pytest.mark.parametrize(
    "address",
    ["a@b", "@example.org", "a@@example.org", "a b@example.org", "a@example.org\r\nBcc: x@y.z"],
)
def test_guest_addresses_must_be_email_addresses(address: str) -> None:
    problems = problems_of(draft(guests=[address]))
    assert problems == {"body.attendees.guests[0]": "invalid_email"}


def test_free_text_is_kept_with_its_lines_and_bounded() -> None:
    meeting = scheduled(draft(agenda="1. Welcome\r\n2. Strengths; areas, goals\n"))
    assert meeting.agenda == "1. Welcome\n2. Strengths; areas, goals"
    assert problems_of(draft(agenda="x" * 4001)) == {"body.agenda": "too_long"}
    assert problems_of(draft(address="12 Main St\x00")) == {"body.address": "control_characters"}


# =========================================================================== UID and SEQUENCE
def test_one_uid_for_the_meetings_life_and_a_sequence_that_counts_every_change() -> None:
    meeting = scheduled(cycle_id="01JCYCLE")
    assert meeting.uid == "review-01JCYCLE@nqms.example" == meeting_uid("01JCYCLE")
    assert (meeting.sequence, meeting.status) == (0, MeetingStatus.SCHEDULED)
    for hour in (11, 14):
        meeting = reschedule_meeting(
            meeting,
            request(draft(datetime(2026, 1, 22, hour, 0))),
            state=CycleState.IN_REVIEW,
            now=NOW,
            eligible_staff=STAFF,
        )
    assert (meeting.uid, meeting.sequence) == ("review-01JCYCLE@nqms.example", 2)
    assert meeting.start == datetime(2026, 1, 22, 20, 0, tzinfo=UTC)
    cancelled = cancel_meeting(meeting, state=CycleState.IN_REVIEW)
    assert (cancelled.status, cancelled.sequence, cancelled.uid) == (
        MeetingStatus.CANCELLED,
        3,
        meeting.uid,
    )
    again = schedule_meeting(
        "01JCYCLE",
        request(draft()),
        state=CycleState.IN_REVIEW,
        existing=cancelled,
        now=NOW,
        eligible_staff=STAFF,
    )
    assert (again.status, again.sequence, again.uid) == (MeetingStatus.SCHEDULED, 4, meeting.uid)


def test_different_cycles_get_different_uids_and_odd_ids_are_refused() -> None:
    assert scheduled(cycle_id="A").uid != scheduled(cycle_id="B").uid
    with pytest.raises(ValueError, match="calendar UID"):
        meeting_uid("bad id\r\nX-INJECT:1")


def test_a_refused_change_leaves_the_meeting_as_it_was() -> None:
    meeting = scheduled()
    with pytest.raises(RuleViolation):
        reschedule_meeting(
            meeting,
            request(draft(staff=["user-of-another-affiliate"])),
            state=CycleState.IN_REVIEW,
            now=NOW,
            eligible_staff=STAFF,
        )
    assert meeting.sequence == 0


def test_meeting_steps_that_do_not_fit_the_meetings_status_are_409s() -> None:
    meeting = scheduled()
    with pytest.raises(IllegalTransition, match="already scheduled"):
        schedule_meeting(
            "01JCYCLE",
            request(draft()),
            state=CycleState.IN_REVIEW,
            existing=meeting,
            now=NOW,
            eligible_staff=STAFF,
        )
    cancelled = cancel_meeting(meeting, state=CycleState.IN_REVIEW)
    with pytest.raises(IllegalTransition, match="already cancelled"):
        cancel_meeting(cancelled, state=CycleState.IN_REVIEW)
    with pytest.raises(IllegalTransition, match="cancelled") as raised:
        reschedule_meeting(
            cancelled, request(draft()), state=CycleState.IN_REVIEW, now=NOW, eligible_staff=STAFF
        )
    assert raised.value.status == 409
    assert raised.value.extensions["meeting_status"] == "cancelled"


@pytest.mark.parametrize(
    "state",
    [CycleState.OPEN, CycleState.RETURNED, CycleState.REVIEW_COMPLETED, CycleState.ARCHIVED],
)
def test_no_meeting_for_an_unsubmitted_returned_completed_or_archived_cycle(
    state: CycleState,
) -> None:
    with pytest.raises(IllegalTransition) as raised:
        schedule_meeting(
            "01JCYCLE", request(draft()), state=state, existing=None, now=NOW, eligible_staff=STAFF
        )
    assert raised.value.extensions["current_state"] == state.value
    with pytest.raises(IllegalTransition):
        cancel_meeting(scheduled(), state=state)


def test_a_meeting_in_the_past_is_recorded_without_an_invite() -> None:
    past = scheduled(draft(datetime(2025, 12, 15, 10, 0)))  # before NOW: recorded after the fact
    assert past.has_started(NOW)
    assert not past.wants_invite(NOW)
    ahead = scheduled()
    assert ahead.wants_invite(NOW)
    assert not ahead.wants_invite(ahead.start)


# =========================================================================== per-item review
def test_a_flag_needs_a_note_the_program_sees() -> None:
    with pytest.raises(RuleViolation) as raised:
        check_item_review("flagged", None, "internal only")
    assert raised.value.extensions["field"] == "body.note_to_program"
    with pytest.raises(RuleViolation):
        check_item_review(ReviewStatus.FLAGGED, "   ", None)
    assert check_item_review("flagged", "Add the screening policy.", None) is ReviewStatus.FLAGGED
    assert check_item_review("reviewed", None, None) is ReviewStatus.REVIEWED


def test_unknown_statuses_and_overlong_notes_are_refused() -> None:
    with pytest.raises(RuleViolation) as unknown:
        check_item_review("approved", None, None)
    assert unknown.value.extensions["field"] == "body.status"
    with pytest.raises(RuleViolation) as long_note:
        check_item_review("reviewed", None, "x" * 4001)
    assert long_note.value.extensions["field"] == "body.internal_note"


def test_progress_counts_over_the_instruments_items() -> None:
    keys = [f"item-{n}" for n in range(92)]
    statuses: dict[str, ReviewStatus | str] = {f"item-{n}": "reviewed" for n in range(40)}
    statuses |= {f"item-{n}": ReviewStatus.FLAGGED for n in range(40, 45)}
    statuses["item-50"] = ReviewStatus.NEEDS_REVIEW
    statuses["retired-item"] = ReviewStatus.REVIEWED  # not in this instrument: not counted
    progress = review_progress(keys, statuses)
    assert (progress.reviewed, progress.flagged, progress.needs_review, progress.total) == (
        40,
        5,
        47,
        92,
    )
    assert progress.done == 45
    assert review_progress(keys, {}).needs_review == 92


# =========================================================================== state guards
def test_the_first_review_action_starts_the_review() -> None:
    assert starts_review(CycleState.SUBMITTED)
    assert state_after_review_action("submitted") is CycleState.IN_REVIEW
    assert not starts_review(CycleState.IN_REVIEW)
    assert state_after_review_action(CycleState.IN_REVIEW) is CycleState.IN_REVIEW
    for state in (
        CycleState.OPEN,
        CycleState.RETURNED,
        CycleState.REVIEW_COMPLETED,
        CycleState.ARCHIVED,
    ):
        with pytest.raises(IllegalTransition) as raised:
            state_after_review_action(state)
        assert raised.value.extensions["current_state"] == state.value


# =========================================================================== completion
def test_completion_waits_for_the_meetings_start_and_returns_the_local_date() -> None:
    meeting = scheduled(draft(datetime(2026, 1, 20, 23, 30), end=datetime(2026, 1, 21, 1, 0)))
    with pytest.raises(IllegalTransition) as early:
        complete_review(CycleState.IN_REVIEW, meeting, meeting.start - timedelta(seconds=1))
    assert early.value.status == 409
    assert early.value.extensions["current_state"] == "in_review"
    assert early.value.extensions["meeting_start"] == "2026-01-21T05:30:00Z"
    assert "2026-01-20T23:30-06:00 America/Chicago" in early.value.detail
    assert complete_review(CycleState.IN_REVIEW, meeting, meeting.start) == date(2026, 1, 20)
    assert complete_review("in_review", meeting, meeting.start + timedelta(days=3)) == date(
        2026, 1, 20
    )


def test_completion_needs_a_meeting_that_was_not_cancelled() -> None:
    later = NOW + timedelta(days=60)
    with pytest.raises(IllegalTransition, match="without a held review meeting"):
        complete_review(CycleState.IN_REVIEW, None, later)
    cancelled = cancel_meeting(scheduled(), state=CycleState.IN_REVIEW)
    with pytest.raises(IllegalTransition) as raised:
        complete_review(CycleState.IN_REVIEW, cancelled, later)
    assert raised.value.extensions["meeting_status"] == "cancelled"


@pytest.mark.parametrize(
    "state",
    [CycleState.SUBMITTED, CycleState.RETURNED, CycleState.REVIEW_COMPLETED, CycleState.ARCHIVED],
)
def test_completion_only_from_in_review(state: CycleState) -> None:
    with pytest.raises(IllegalTransition) as raised:
        complete_review(state, scheduled(), NOW + timedelta(days=60))
    assert raised.value.extensions["current_state"] == state.value
