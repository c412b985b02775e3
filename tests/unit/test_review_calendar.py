"""The review meeting's invite (RFC 5545), read back the way a calendar program reads it:
with ``icalendar.Calendar.from_ical``."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from functions.review.calendar import Person, render_invite
from functions.review.models import MeetingIn
from functions.review.rules import (
    Meeting,
    MeetingMode,
    cancel_meeting,
    reschedule_meeting,
    schedule_meeting,
)
from shared.domain.cycle_states import CycleState

NOW = datetime(2026, 1, 5, 12, 0, 30, tzinfo=UTC)
STAFF = frozenset({"user-program-1"})
ORGANIZER = Person("reviewer@mentor-nebraska.example", "Reviewer, Alex")
ATTENDEES = [
    Person("director@program.example", 'Jo "JD" Doe; Director: Ops'),
    Person("board@program.example", None, required=False),
]
LINK = "https://meet.example.org/nqms-review?id=42&lang=en"


def make(
    start: datetime = datetime(2026, 1, 20, 10, 0),
    time_zone: str = "America/Chicago",
    **changes: Any,
) -> MeetingIn:
    fields: dict[str, Any] = {
        "time_zone": time_zone,
        "start": start,
        "end": start + timedelta(hours=2),
        "mode": MeetingMode.IN_PERSON,
        "address": "Youth Center, 12 Main St; Suite 4\nOmaha, NE 68102",
        "agenda": "1. Welcome, introductions; goals\n2. Strengths and areas for improvement",
        "attendees": {"staff": ["user-program-1"]},
    }
    fields.update(changes)
    return MeetingIn.model_validate(fields)


def schedule(draft: MeetingIn | None = None) -> Meeting:
    return schedule_meeting(
        "01JCYCLE",
        draft or make(),
        state=CycleState.IN_REVIEW,
        existing=None,
        now=NOW,
        eligible_staff=STAFF,
    )


def move(meeting: Meeting, draft: MeetingIn) -> Meeting:
    return reschedule_meeting(
        meeting, draft, state=CycleState.IN_REVIEW, now=NOW, eligible_staff=STAFF
    )


def render(meeting: Meeting, program_name: str = "Big Brothers Big Sisters of Omaha") -> bytes:
    return render_invite(
        meeting, program_name=program_name, organizer=ORGANIZER, attendees=ATTENDEES, now=NOW
    )


def parse(ics: bytes) -> tuple[Calendar, Any]:
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_an_invite_is_a_request_with_the_meetings_identity_and_times() -> None:
    calendar, event = parse(render(schedule()))
    assert str(calendar["version"]) == "2.0"
    assert "NQMS" in str(calendar["prodid"])
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["uid"]) == "review-01JCYCLE@nqms.example"
    assert event.decoded("sequence") == 0
    assert event.decoded("dtstamp") == datetime(2026, 1, 5, 12, 0, 30, tzinfo=UTC)
    assert str(event["summary"]) == "NQMS review meeting: Big Brothers Big Sisters of Omaha"


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(datetime(2026, 1, 20, 10, 0), 16), (datetime(2026, 7, 14, 10, 0), 15)],
    ids=["winter-CST", "summer-CDT"],
)
def test_start_is_local_time_in_the_meetings_zone_with_its_vtimezone(
    day: datetime, utc_hour: int
) -> None:
    calendar, event = parse(render(schedule(make(day))))
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "America/Chicago"
    assert (start.hour, start.minute) == (10, 0)
    assert start.astimezone(UTC) == day.replace(hour=utc_hour, tzinfo=UTC)
    assert event.decoded("dtend").astimezone(UTC) == day.replace(hour=utc_hour + 2, tzinfo=UTC)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    assert calendar.get_missing_tzids() == set()


def test_the_vtimezone_alone_gives_the_right_offset() -> None:
    """A calendar program that does not know the zone's name relies on the VTIMEZONE."""
    ics = render(schedule(make(datetime(2026, 7, 14, 10, 0), time_zone="Asia/Kolkata")))
    calendar, _ = parse(ics)
    (timezone,) = calendar.walk("VTIMEZONE")
    observances = timezone.walk("STANDARD") + timezone.walk("DAYLIGHT")
    offsets = {o.decoded("tzoffsetto") for o in observances}
    assert offsets == {timedelta(hours=5, minutes=30)}
    assert b"TZOFFSETTO:+0530" in ics


def test_rescheduling_keeps_the_uid_and_raises_the_sequence() -> None:
    first = schedule()
    second = move(first, make(datetime(2026, 1, 21, 9, 0)))
    third = move(second, make(datetime(2026, 7, 14, 10, 0)))
    uids, sequences = [], []
    for meeting in (first, second, third):
        _, event = parse(render(meeting))
        uids.append(str(event["uid"]))
        sequences.append(event.decoded("sequence"))
    assert len(set(uids)) == 1
    assert sequences == [0, 1, 2]
    _, event = parse(render(third))
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 7, 14, 15, 0, tzinfo=UTC)


def test_a_cancelled_meeting_renders_as_a_cancel_of_the_same_event() -> None:
    meeting = schedule()
    calendar, event = parse(render(cancel_meeting(meeting, state=CycleState.IN_REVIEW)))
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == meeting.uid
    assert event.decoded("sequence") == 1
    assert {str(a) for a in event["attendee"]} == {
        "mailto:director@program.example",
        "mailto:board@program.example",
    }


def test_text_with_commas_semicolons_and_newlines_is_escaped_and_reads_back() -> None:
    meeting = schedule()
    ics = render(meeting, program_name="Mentors, Inc.; Omaha")
    _, event = parse(ics)
    assert str(event["location"]) == "Youth Center, 12 Main St; Suite 4\nOmaha, NE 68102"
    assert str(event["description"]) == meeting.agenda
    assert str(event["summary"]) == "NQMS review meeting: Mentors, Inc.; Omaha"
    unfolded = ics.replace(b"\r\n ", b"")
    assert b"LOCATION:Youth Center\\, 12 Main St\\; Suite 4\\nOmaha\\, NE 68102\r\n" in unfolded


def test_organizer_and_attendees_are_mailto_with_their_roles_and_escaped_names() -> None:
    _, event = parse(render(schedule()))
    organizer = event["organizer"]
    assert str(organizer) == "mailto:reviewer@mentor-nebraska.example"
    assert organizer.params["CN"] == "Reviewer, Alex"
    director, board = event["attendee"]
    assert str(director) == "mailto:director@program.example"
    assert director.params["CN"] == 'Jo "JD" Doe; Director: Ops'
    assert (director.params["ROLE"], director.params["PARTSTAT"], director.params["RSVP"]) == (
        "REQ-PARTICIPANT",
        "NEEDS-ACTION",
        "TRUE",
    )
    assert board.params["ROLE"] == "OPT-PARTICIPANT"
    assert "CN" not in board.params


def test_an_address_listed_twice_or_the_organizer_is_one_line() -> None:
    ics = render_invite(
        schedule(),
        program_name="P",
        organizer=ORGANIZER,
        attendees=[*ATTENDEES, Person("Director@Program.example"), ORGANIZER],
        now=NOW,
    )
    _, event = parse(ics)
    assert len(event["attendee"]) == 2


def test_an_online_meeting_has_its_link_as_location_url_and_in_the_description() -> None:
    meeting = schedule(make(mode="online", address=None, link=LINK))
    _, event = parse(render(meeting))
    assert str(event["location"]) == LINK
    assert str(event["url"]) == LINK
    assert str(event["description"]).endswith(f"Join: {LINK}")


def test_long_lines_are_folded_at_75_octets_and_unfold_to_the_text() -> None:
    agenda = "Überprüfung der Ziele, Stärken; Verbesserungen 🎯 " * 12
    meeting = schedule(make(agenda=agenda))
    ics = render(meeting)
    lines = ics.split(b"\r\n")
    assert lines[-1] == b""  # every line ends with CRLF
    assert max(len(line) for line in lines) <= 75
    assert sum(1 for line in lines if line.startswith(b" ")) > 5
    _, event = parse(ics)
    assert str(event["description"]) == agenda.strip()


def test_a_meeting_in_utc_uses_utc_times_and_no_vtimezone() -> None:
    ics = render(schedule(make(time_zone="UTC")))
    calendar, event = parse(ics)
    assert calendar.walk("VTIMEZONE") == []
    assert b"DTSTART:20260120T100000Z" in ics
    assert event.decoded("dtstart") == datetime(2026, 1, 20, 10, 0, tzinfo=UTC)


def test_an_invite_needs_an_aware_now_and_real_addresses() -> None:
    with pytest.raises(ValueError, match="aware"):
        render_invite(
            schedule(),
            program_name="P",
            organizer=ORGANIZER,
            attendees=[],
            now=datetime(2026, 1, 5),
        )
    with pytest.raises(ValueError, match="email"):
        render_invite(
            schedule(),
            program_name="P",
            organizer=ORGANIZER,
            attendees=[Person("x@example.org\r\nATTENDEE:mailto:evil@example.org")],
            now=NOW,
        )


def test_the_calendar_module_imports_without_icalendar() -> None:
    """icalendar costs ~100 ms of import: only rendering an invite may pay it."""
    code = (
        "import sys, functions.review.calendar, functions.review.rules; "
        "sys.exit('icalendar' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own check
        [sys.executable, "-c", code], check=False, capture_output=True, cwd=root
    )
    assert result.returncode == 0, result.stderr.decode()
