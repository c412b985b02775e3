"""Review API through its Lambda handler: queue, reviewer, per-item review, meeting, completion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from shared import clock
from shared.identity import Grant
from tests.integration.test_assessment import (
    INSTRUMENT,
    World,
    answer_all,
    open_cycle,
    world,
)
from tests.integration.test_assessment import call as assessment_call
from tests.integration.test_directory import call as directory_call
from tests.support.apigw import api_event
from tests.support.lambdas import (
    LambdaContext,
    User,
    dynamodb_requests,
    header,
    invoke,
    outbox_events,
    table_items,
)
from tests.support.people import audit_entries, national

__all__ = ["world"]  # the fixture, imported to be used here

REVIEW = "/cycles/{cycleId}/review"
ITEM = "/cycles/{cycleId}/review/items/{itemCode}"
REVIEWER = "/cycles/{cycleId}/review/reviewer"
MEETING = "/cycles/{cycleId}/review/meeting"
COMPLETE = "/cycles/{cycleId}/review/complete"


def call(
    method: str, resource: str, user: User | None, params: dict[str, str] | None = None, **kw: Any
) -> tuple[int, Any, dict[str, Any]]:
    from functions.review.handler import lambda_handler

    return invoke(lambda_handler, method, resource, user, params, **kw)


def invite(user: User, cycle_id: str) -> tuple[int, dict[str, Any]]:
    """The meeting's .ics: status and raw response (the body is a calendar, not JSON)."""
    from functions.review.handler import lambda_handler

    params = {"cycleId": cycle_id}
    event = api_event("GET", MEETING + ".ics", params, claims=user.claims)
    response = lambda_handler(event, LambdaContext())
    return response["statusCode"], response


def submitted_cycle(world: World, program_id: str | None = None, staff: User | None = None) -> str:
    """A submitted cycle of ``program_id`` (the world's program), answered by its ``staff``."""
    cycle_id = str(open_cycle(world, program_id)["cycle_id"])
    answer_all(staff or world.alice, cycle_id)
    status, cycle, _ = assessment_call(
        "POST", "/cycles/{cycleId}/submit", staff or world.alice, {"cycleId": cycle_id}
    )
    assert (status, cycle["state"]) == (200, "submitted"), cycle
    return cycle_id


def review(
    user: User, cycle_id: str, code: str, body: dict[str, Any], if_match: str | None = None
) -> tuple[int, Any, dict[str, Any]]:
    headers = {"If-Match": if_match} if if_match else None
    params = {"cycleId": cycle_id, "itemCode": code}
    return call("PUT", ITEM, user, params, body=body, headers=headers)


@pytest.fixture
def reviewer(world: World) -> User:
    status, me, _ = directory_call("GET", "/me", world.va_staff)
    assert status == 200, me
    (affiliate_id,) = [m["scope_id"] for m in me["memberships"] if m["scope"] == "affiliate"]
    status, member, _ = directory_call(
        "POST",
        "/affiliates/{affiliateId}/members",
        world.admin,
        {"affiliateId": affiliate_id},
        body={"email": "rita@va.example", "name": "Rita"},
    )
    assert status == 201, member
    return User(member["user_id"], "rita@va.example", ["affiliate-staff"])


def test_assigning_a_reviewer_starts_the_review_once(world: World, reviewer: User) -> None:
    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}

    status, assigned, _ = call(
        "PUT", REVIEWER, world.va_staff, params, body={"user_id": reviewer.sub}
    )
    assert status == 200, assigned
    assert assigned["state"] == "in_review"
    assert assigned["reviewer"]["user_id"] == reviewer.sub
    (started,) = outbox_events("ReviewStarted")
    assert started["cycle_id"] == cycle_id
    assert started["data"]["started_by"] == world.va_staff.sub

    # Reassigning keeps the cycle in review: no second ReviewStarted.
    body = {"user_id": world.va_staff.sub}
    status, again, _ = call("PUT", REVIEWER, reviewer, params, body=body)
    assert (status, again["state"]) == (200, "in_review"), again
    assert len(outbox_events("ReviewStarted")) == 1
    assert len(outbox_events("ReviewerAssigned")) == 2
    status, read, _ = call("GET", REVIEW, world.alice, params)
    assert (status, read["reviewer"]["user_id"]) == (200, world.va_staff.sub)


def test_only_staff_of_a_serving_affiliate_may_be_assigned(world: World) -> None:
    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    for stranger in (world.ne_staff, world.alice):
        body = {"user_id": stranger.sub}
        status, problem, _ = call("PUT", REVIEWER, world.va_staff, params, body=body)
        assert (status, problem["field"]) == (422, "body.user_id"), problem
    assert outbox_events("ReviewStarted") == []


def test_item_reviews_are_versioned_and_a_stale_write_gets_the_current_one(
    world: World,
) -> None:
    cycle_id = submitted_cycle(world)
    answers_before = [i for i in table_items() if i["sk"]["S"].startswith("ANSWER#")]
    flag = {"status": "flagged", "note_to_program": "Attach the policy.", "internal_note": "Weak."}

    status, first, response = review(world.va_staff, cycle_id, "A1", flag)
    assert (status, first["version"], header(response, "ETag")) == (200, 1, '"1"'), first
    assert len(outbox_events("ReviewStarted")) == 1  # the first item started the review
    status, cycle, _ = assessment_call(
        "GET", "/cycles/{cycleId}", world.va_staff, {"cycleId": cycle_id}
    )
    assert cycle["state"] == "in_review"

    reviewed = {"status": "reviewed", "note_to_program": None, "internal_note": "Fine now."}
    status, second, _ = review(world.va_staff, cycle_id, "A1", reviewed, '"1"')
    assert (status, second["version"], second["status"]) == (200, 2, "reviewed"), second

    status, stale, _ = review(world.va_staff, cycle_id, "A1", flag, '"1"')
    assert status == 409, stale
    assert stale["current"]["status"] == "reviewed"
    assert stale["current_version"] == 2
    status, blind, _ = review(world.va_staff, cycle_id, "A1", flag)  # no version: create only
    assert (status, blind["current_version"]) == (409, 2), blind

    # The program's answers never change.
    assert [i for i in table_items() if i["sk"]["S"].startswith("ANSWER#")] == answers_before
    assert len(outbox_events("ReviewStarted")) == 1
    assert sorted(e["data"]["version"] for e in outbox_events("ItemReviewed")) == [1, 2]


def test_a_flag_needs_a_note_to_the_program(world: World) -> None:
    cycle_id = submitted_cycle(world)
    body = {"status": "flagged", "internal_note": "Only for us."}
    status, problem, _ = review(world.va_staff, cycle_id, "A1", body)
    assert (status, problem["field"]) == (422, "body.note_to_program"), problem


def test_the_program_sees_statuses_and_its_notes_never_internal_ones(world: World) -> None:
    cycle_id = submitted_cycle(world)
    flag = {"status": "flagged", "note_to_program": "Attach the policy.", "internal_note": "Weak."}
    assert review(world.va_staff, cycle_id, "A1", flag)[0] == 200
    assert review(world.va_staff, cycle_id, "A2", {"status": "reviewed"})[0] == 200
    params = {"cycleId": cycle_id}

    status, staff_view, _ = call("GET", REVIEW, world.va_staff, params)
    assert status == 200, staff_view
    assert staff_view["state"] == "in_review"
    assert staff_view["progress"] == {
        "reviewed": 1,
        "flagged": 1,
        "needs_review": len(INSTRUMENT.items) - 2,
        "total": len(INSTRUMENT.items),
    }
    assert [i["item_code"] for i in staff_view["items"]] == ["A1", "A2"]
    assert staff_view["items"][0]["internal_note"] == "Weak."

    status, program_view, _ = call("GET", REVIEW, world.alice, params)
    assert status == 200, program_view
    assert program_view["progress"] == staff_view["progress"]
    flagged = program_view["items"][0]
    assert (flagged["status"], flagged["note_to_program"]) == ("flagged", "Attach the policy.")
    assert all(i["internal_note"] is None for i in program_view["items"])
    assert "Weak." not in str(program_view)
    audited = [i for i in table_items() if i["pk"]["S"].startswith("AUDIT#")]
    assert any(f"cycle:{cycle_id}/review" == i.get("target", {}).get("S") for i in audited)


def test_program_staff_get_403_on_writes_and_others_404(world: World, reviewer: User) -> None:
    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    status, problem, _ = review(world.alice, cycle_id, "A1", {"status": "reviewed"})
    assert (status, problem["missing_permission"]) == (403, "reviewItem"), problem
    body = {"user_id": reviewer.sub}
    status, problem, _ = call("PUT", REVIEWER, world.alice, params, body=body)
    assert (status, problem["missing_permission"]) == (403, "assignReviewer"), problem
    for outsider in (world.ne_staff, world.carol):
        assert call("GET", REVIEW, outsider, params)[0] == 404
        assert review(outsider, cycle_id, "A1", {"status": "reviewed"})[0] == 404
        assert call("PUT", REVIEWER, outsider, params, body=body)[0] == 404


def test_an_unsubmitted_cycle_is_not_reviewed(world: World, reviewer: User) -> None:
    cycle_id = str(open_cycle(world)["cycle_id"])
    status, problem, _ = review(world.va_staff, cycle_id, "A1", {"status": "reviewed"})
    assert (status, problem["current_state"]) == (409, "open"), problem
    assert "open" in problem["detail"]
    body = {"user_id": reviewer.sub}
    status, problem, _ = call("PUT", REVIEWER, world.va_staff, {"cycleId": cycle_id}, body=body)
    assert (status, problem["current_state"]) == (409, "open"), problem
    assert outbox_events("ReviewStarted") == []


def test_reading_a_whole_review_is_a_bounded_number_of_requests(world: World) -> None:
    cycle_id = submitted_cycle(world)
    for item in INSTRUMENT.items:
        assert review(world.va_staff, cycle_id, item.code, {"status": "reviewed"})[0] == 200
    with dynamodb_requests() as calls:
        status, read, _ = call("GET", REVIEW, world.va_staff, {"cycleId": cycle_id})
        reading = dict(calls)
        calls.clear()
        status_write, _, _ = review(
            world.va_staff, cycle_id, "A1", {"status": "flagged", "note_to_program": "Why?"}, '"1"'
        )
        writing = dict(calls)
    assert status == 200
    assert read["progress"]["reviewed"] == len(INSTRUMENT.items)
    assert status_write == 200
    # The caller's memberships, the cycle, one query of the review, the audit entry.
    assert reading.get("Query", 0) <= 2, reading
    assert sum(reading.values()) <= 4, reading
    # The memberships, the cycle, one transaction.
    assert sum(writing.values()) <= 3, writing


# =========================================================================== meeting


def meeting_body(days_ahead: int, hour: int, **changes: Any) -> dict[str, Any]:
    day = date.today() + timedelta(days=days_ahead)
    body: dict[str, Any] = {
        "time_zone": "America/Chicago",
        "start": f"{day.isoformat()}T{hour:02d}:00:00",
        "end": f"{day.isoformat()}T{hour + 2:02d}:00:00",
        "mode": "in_person",
        "address": "12 Main St, Richmond",
        "agenda": "Walk through the flagged items.",
    }
    return {**body, **changes}


def test_one_meeting_keeps_its_uid_and_counts_its_changes(world: World) -> None:
    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    attendees = {"staff": [world.alice.sub], "guests": ["g@x.example"]}
    body = meeting_body(30, 10, attendees=attendees)
    status, scheduled, _ = call("POST", MEETING, world.va_staff, params, body=body)
    assert status == 200, scheduled
    assert (scheduled["sequence"], scheduled["status"]) == (0, "scheduled")
    assert scheduled["start"].endswith(("-06:00", "-05:00"))  # Chicago time
    assert len(outbox_events("ReviewStarted")) == 1  # the meeting started the review

    version = scheduled["version"]
    for sequence, hour in ((1, 13), (2, 15)):
        moved = meeting_body(31, hour, attendees=attendees)  # a reschedule sends it whole
        headers = {"If-Match": f'"{version}"'}
        status, rescheduled, _ = call(
            "PUT", MEETING, world.va_staff, params, body=moved, headers=headers
        )
        assert status == 200, rescheduled
        assert (rescheduled["uid"], rescheduled["sequence"]) == (scheduled["uid"], sequence)
        version = rescheduled["version"]
    assert rescheduled["start"].startswith(f"{date.today() + timedelta(days=31)}T15:00")
    stale = {"If-Match": f'"{scheduled["version"]}"'}
    status, problem, _ = call(
        "PUT", MEETING, world.va_staff, params, body=meeting_body(32, 9), headers=stale
    )
    assert (status, problem["current"]["sequence"]) == (409, 2), problem

    status, read, _ = call("GET", REVIEW, world.alice, params)  # the program reads it too
    assert (status, read["meeting"]["sequence"], read["meeting"]["uid"]) == (
        200,
        2,
        scheduled["uid"],
    ), read
    status, response = invite(world.alice, cycle_id)
    assert status == 200, response
    assert str(header(response, "Content-Type")).startswith("text/calendar")
    calendar = Calendar.from_ical(response["body"])
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (scheduled["uid"], 2)
    start = event.decoded("DTSTART")
    assert (str(start.tzinfo), start.hour) == ("America/Chicago", 15)
    invited = {str(a).removeprefix("mailto:") for a in event.get("ATTENDEE", [])}
    assert invited == {world.alice.email, "g@x.example"}
    status, cancelled, _ = call("POST", MEETING + "/cancel", world.va_staff, params)
    assert (status, cancelled["status"], cancelled["sequence"]) == (200, "cancelled", 3)
    assert cancelled["uid"] == scheduled["uid"]
    assert len(outbox_events("ReviewMeetingRescheduled")) == 2
    (cancel,) = outbox_events("ReviewMeetingCancelled")
    assert cancel["data"]["sequence"] == 3
    assert "agenda" not in cancel["data"]
    status, response = invite(world.alice, cycle_id)
    assert status == 200, response
    assert str(Calendar.from_ical(response["body"])["METHOD"]) == "CANCEL"


def test_a_bad_meeting_names_the_field(world: World) -> None:
    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    unknown = meeting_body(30, 10, time_zone="America/Atlantis")
    status, problem, _ = call("POST", MEETING, world.va_staff, params, body=unknown)
    assert status == 422, problem  # the one time-zone type every field takes (shared)
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("body.time_zone", "unknown_time_zone")
    ], problem
    backwards = meeting_body(30, 10)
    backwards["end"] = backwards["start"].replace("T10:", "T09:")
    status, problem, _ = call("POST", MEETING, world.va_staff, params, body=backwards)
    assert (status, problem["field"]) == (422, "body.end"), problem
    assert outbox_events("ReviewStarted") == []


def test_only_the_affiliates_schedule_and_never_before_submission(world: World) -> None:
    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    status, problem, _ = call("POST", MEETING, world.alice, params, body=meeting_body(30, 10))
    assert (status, problem["missing_permission"]) == (403, "scheduleReviewMeeting"), problem
    assert call("POST", MEETING, world.ne_staff, params, body=meeting_body(30, 10))[0] == 404
    open_id = str(open_cycle(world, world.other_program)["cycle_id"])
    status, problem, _ = call(
        "POST", MEETING, world.va_staff, {"cycleId": open_id}, body=meeting_body(30, 10)
    )
    assert (status, problem["current_state"]) == (409, "open"), problem


# =========================================================================== queue
def affiliate_of(user: User) -> str:
    status, me, _ = directory_call("GET", "/me", user)
    assert status == 200, me
    (affiliate_id,) = [m["scope_id"] for m in me["memberships"] if m["scope"] == "affiliate"]
    return str(affiliate_id)


def queue(user: User, **query: str) -> tuple[int, Any]:
    status, body, _ = call("GET", "/reviews", user, query=query or None)
    return status, body


def rows(user: User, **query: str) -> list[str]:
    status, page = queue(user, **query)
    assert status == 200, page
    return [row["cycle_id"] for row in page["items"]]


def test_the_queue_lists_waiting_reviews_oldest_first_with_their_progress(
    world: World, reviewer: User
) -> None:
    first = submitted_cycle(world)
    second = submitted_cycle(world, world.other_program, world.carol)
    assert rows(world.va_staff) == [first, second]

    flag = {"status": "flagged", "note_to_program": "Attach the policy."}
    assert review(world.va_staff, first, "A1", flag)[0] == 200
    assert review(world.va_staff, first, "A2", {"status": "reviewed"})[0] == 200
    body = {"user_id": reviewer.sub}
    assert call("PUT", REVIEWER, world.va_staff, {"cycleId": first}, body=body)[0] == 200

    status, page = queue(world.va_staff)
    assert status == 200, page
    row = page["items"][0]
    assert (row["cycle_id"], row["state"], row["reviewer_id"]) == (first, "in_review", reviewer.sub)
    assert row["program_name"] == "Big Futures"
    assert row["progress"] == {
        "reviewed": 1,
        "flagged": 1,
        "needs_review": len(INSTRUMENT.items) - 2,
        "total": len(INSTRUMENT.items),
    }
    assert (row["overdue"], page["items"][1]["state"]) == (False, "submitted")
    assert rows(world.va_staff, state="submitted") == [second]
    assert rows(reviewer, assignedToMe="true") == [first]
    assert rows(world.va_staff, assignedToMe="true") == []
    assert rows(world.va_staff, overdue="true") == []
    with clock.use_clock(clock.OffsetClock(timedelta(days=400))):
        assert rows(world.va_staff, overdue="true") == [first, second]

    # Returned, it leaves the queue; resubmitted, it comes back last, its progress kept.
    params = {"cycleId": first}
    status, _, _ = assessment_call(
        "POST", "/cycles/{cycleId}/return", world.va_staff, params, body={"comment": "Redo C."}
    )
    assert status == 200
    assert rows(world.va_staff) == [second]
    status, _, _ = assessment_call("POST", "/cycles/{cycleId}/submit", world.alice, params)
    assert status == 200
    status, page = queue(world.va_staff)
    assert [r["cycle_id"] for r in page["items"]] == [second, first]
    assert page["items"][1]["progress"]["flagged"] == 1

    # Pages: one row each, the cursor carries on; a cursor of another filter is refused.
    status, one = queue(world.va_staff, limit="1")
    assert [r["cycle_id"] for r in one["items"]] == [second], one
    status, two = queue(world.va_staff, limit="1", next=one["next"])
    assert [r["cycle_id"] for r in two["items"]] == [first], two
    status, problem = queue(world.va_staff, limit="1", next=one["next"], state="submitted")
    assert status == 400, problem


def test_the_queue_is_the_callers_affiliates_and_audited(world: World) -> None:
    cycle_id = submitted_cycle(world)
    va = affiliate_of(world.va_staff)
    assert rows(world.va_staff, affiliateId=va) == [cycle_id]
    assert rows(world.ne_staff) == []  # its own queue: nothing of Virginia's
    status, problem = queue(world.ne_staff, affiliateId=va)
    assert status == 404, problem
    status, problem = queue(world.alice)
    assert (status, problem["missing_permission"]) == (403, "listReviews"), problem
    results = national(Grant.RESULTS)
    assert rows(results) == [cycle_id]  # every affiliate's queue
    assert rows(results, affiliateId=va) == [cycle_id]
    status, problem = queue(national(Grant.ADMIN))
    assert status == 403, problem

    entries = audit_entries("listReviews")
    assert len(entries) == 4  # one per page read (refusals read nothing)
    assert {e["pk"].split("#")[1] for e in entries} == {"AFFILIATE", "NATIONAL"}
    assert {e["actor_id"] for e in entries} == {world.va_staff.sub, world.ne_staff.sub, results.sub}


def test_a_program_served_by_two_affiliates_is_in_both_queues(world: World) -> None:
    ne = affiliate_of(world.ne_staff)
    va = affiliate_of(world.va_staff)
    body = {
        "name": "Twin Rivers Mentoring",
        "contact": {"name": "Dana Cole", "email": "dana@twin.example"},
        "matching_since": "2015-01-01",
        "primary_affiliate_id": va,
        "secondary_affiliate_ids": [ne],
    }
    status, program, _ = directory_call("POST", "/programs", world.va_staff, body=body)
    assert status == 201, program
    params = {"programId": program["program_id"]}
    status, member, _ = directory_call(
        "POST",
        "/programs/{programId}/members",
        world.va_staff,
        params,
        body={"email": "dana@twin.example", "name": "Dana"},
    )
    assert status == 201, member
    dana = User(member["user_id"], "dana@twin.example", ["program-staff"])
    cycle_id = submitted_cycle(world, program["program_id"], dana)
    assert rows(world.va_staff) == [cycle_id]
    assert rows(world.ne_staff) == [cycle_id]
    # A Nebraska reviewer reviews a Virginia program it serves; both queues count it.
    assert review(world.ne_staff, cycle_id, "A1", {"status": "reviewed"})[0] == 200
    for staff in (world.va_staff, world.ne_staff):
        status, page = queue(staff)
        assert page["items"][0]["progress"]["reviewed"] == 1, page


def requests_of_reading_the_queue(user: User) -> tuple[int, Counter[str]]:
    with dynamodb_requests() as calls:
        status, page = queue(user)
    assert status == 200, page
    return len(page["items"]), calls


def test_reading_the_queue_is_one_query_whatever_its_length(world: World) -> None:
    submitted_cycle(world)
    length, one = requests_of_reading_the_queue(world.va_staff)
    second = open_cycle(world, world.other_program)["cycle_id"]
    answer_all(world.carol, second)
    assert (
        assessment_call("POST", "/cycles/{cycleId}/submit", world.carol, {"cycleId": second})[0]
        == 200
    )
    longer, two = requests_of_reading_the_queue(world.va_staff)
    assert (length, longer) == (1, 2)
    # The caller's memberships, one query of the queue, the audit entry: for any length.
    assert one == two == Counter({"Query": 2, "PutItem": 1}), (one, two)


# =========================================================================== completion
@contextmanager
def days_later(days: int) -> Iterator[None]:
    with clock.use_clock(clock.OffsetClock(timedelta(days=days))):
        yield


def test_completion_waits_for_the_meeting_and_records_the_review_date(world: World) -> None:
    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    status, problem, _ = call("POST", COMPLETE, world.va_staff, params)
    assert (status, problem["current_state"]) == (409, "submitted"), problem
    # 22:30 in Chicago is 04:30 (or 03:30) the next day in UTC: the review date is Chicago's.
    day = date.today() + timedelta(days=10)
    late = meeting_body(10, 9, start=f"{day}T22:30:00", end=f"{day}T23:45:00")
    status, meeting, _ = call("POST", MEETING, world.va_staff, params, body=late)
    assert status == 200, meeting
    status, problem, _ = call("POST", COMPLETE, world.va_staff, params)
    assert (status, problem["current_state"]) == (409, "in_review"), problem
    assert "meeting_start" in problem

    # Two days after the meeting's local date: past its start (the next UTC day, up to 04:30)
    # whatever the time of day the test runs at.
    with days_later(12):
        status, problem, _ = call("POST", COMPLETE, world.alice, params)
        assert (status, problem["missing_permission"]) == (403, "completeReview"), problem
        assert call("POST", COMPLETE, world.ne_staff, params)[0] == 404
        status, done, _ = call("POST", COMPLETE, world.va_staff, params)
        assert status == 200, done
        assert (done["state"], done["review_date"]) == ("review_completed", day.isoformat())
        assert done["completed_by"] == world.va_staff.sub
        (completed,) = outbox_events("ReviewCompleted")
        assert completed["data"]["review_date"] == day.isoformat()
        assert completed["data"]["meeting_uid"] == meeting["uid"]
        assert rows(world.va_staff) == []  # out of the queue

        status, problem, _ = call("POST", COMPLETE, world.va_staff, params)
        assert (status, problem["current_state"]) == (409, "review_completed"), problem
        moved = meeting_body(12, 10)
        headers = {"If-Match": f'"{meeting["version"]}"'}
        status, problem, _ = call(
            "PUT", MEETING, world.va_staff, params, body=moved, headers=headers
        )
        assert (status, problem["current_state"]) == (409, "review_completed"), problem
        status, read, _ = call("GET", REVIEW, world.alice, params)
        assert read["completion"]["review_date"] == day.isoformat(), read


def test_a_meeting_held_before_it_was_recorded_completes_at_once(world: World) -> None:
    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    status, meeting, _ = call("POST", MEETING, world.va_staff, params, body=meeting_body(-2, 10))
    assert status == 200, meeting
    status, done, _ = call("POST", COMPLETE, world.va_staff, params)
    assert status == 200, done
    assert done["review_date"] == (date.today() - timedelta(days=2)).isoformat()


def test_a_cancelled_meeting_completes_nothing(world: World) -> None:
    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    assert call("POST", MEETING, world.va_staff, params, body=meeting_body(-2, 10))[0] == 200
    assert call("POST", MEETING + "/cancel", world.va_staff, params)[0] == 200
    status, problem, _ = call("POST", COMPLETE, world.va_staff, params)
    assert (status, problem["meeting_status"]) == (409, "cancelled"), problem
    assert outbox_events("ReviewCompleted") == []


def test_two_reviewers_first_actions_both_land(
    world: World, reviewer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rita read the cycle as submitted; meanwhile her colleague's first item review started
    the review. Her first action (another item) still lands, and the review starts once."""
    from shared import keys
    from shared.adapters.table import default_table
    from shared.store import cycles

    cycle_id = submitted_cycle(world)
    stored = default_table().get(keys.cycle(cycle_id))
    assert stored is not None
    as_rita_read_it = [cycles.CycleRecord.from_item(stored)]  # submitted
    assert review(world.va_staff, cycle_id, "A1", {"status": "reviewed"})[0] == 200
    real = cycles.authorized_cycle

    def stale_first(*args: Any) -> cycles.CycleRecord:
        return as_rita_read_it.pop() if as_rita_read_it else real(*args)

    monkeypatch.setattr(cycles, "authorized_cycle", stale_first)  # as the review logic calls it
    flag = {"status": "flagged", "note_to_program": "Who signs it?"}
    status, saved, _ = review(reviewer, cycle_id, "A2", flag)
    assert status == 200, saved
    assert as_rita_read_it == []  # the stale read was used, then the cycle read again
    assert len(outbox_events("ReviewStarted")) == 1
    status, read, _ = call("GET", REVIEW, world.va_staff, {"cycleId": cycle_id})
    assert [i["item_code"] for i in read["items"]] == ["A1", "A2"]
