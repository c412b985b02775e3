"""A review through the gateway, from a submitted assessment to a completed review: the queue,
the reviewer, per-item statuses (one stale write refused), a flag the program sees without the
internal note, a meeting moved twice (one UID, SEQUENCE 2, the calendar in the right zone),
completion refused before the meeting and accepted once the stack's clock is moved past its
start (no waiting); the program's staff get 403 on what they may not do, another affiliate's
staff 404 everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

from infra.local.http import ApiClient
from tests.e2e.conftest import Session
from tests.e2e.journeys import VA_STAFF, program_with_staff, submitted_cycle

NE_STAFF = "staff@mentor-ne.example"
CHICAGO = ZoneInfo("America/Chicago")


def _queue_row(client: ApiClient, cycle_id: str, query: str = "") -> dict[str, Any] | None:
    page = client.get(f"/reviews?limit=100{query}")
    assert page.status == 200, page.body
    return next((row for row in page.json["items"] if row["cycle_id"] == cycle_id), None)


def _meeting(start: datetime, **changes: Any) -> dict[str, Any]:
    """A meeting at ``start`` (Chicago wall time) for an hour, on site."""
    body = {
        "time_zone": "America/Chicago",
        "start": start.replace(tzinfo=None).isoformat(timespec="seconds"),
        "end": (start + timedelta(hours=1)).replace(tzinfo=None).isoformat(timespec="seconds"),
        "mode": "in_person",
        "address": "100 Main St, Richmond, VA",
        "agenda": "Walk through the flagged items.",
    }
    return {**body, **changes}


def test_a_submitted_assessment_is_reviewed_and_the_review_completed(local: Session) -> None:
    program_id, (ana,) = program_with_staff(local, "Shenandoah Mentors", "ana")
    cycle_id = submitted_cycle(local, program_id, ana)
    va, ne = local.as_user(VA_STAFF), local.as_user(NE_STAFF)
    review = f"/cycles/{cycle_id}/review"

    # The queue: waiting, with the program's name and nothing reviewed of 92.
    row = _queue_row(va, cycle_id)
    assert row is not None
    assert (row["state"], row["reviewer_id"]) == ("submitted", None)
    assert row["program_name"].startswith("Shenandoah Mentors")
    assert row["progress"] == {"reviewed": 0, "flagged": 0, "needs_review": 92, "total": 92}

    # Virginia's staff member takes it: the review starts.
    me = va.get("/me").json["user_id"]
    assigned = va.request("PUT", f"{review}/reviewer", {"user_id": me})
    assert (assigned.status, assigned.json["state"]) == (200, "in_review"), assigned.body
    assert _queue_row(va, cycle_id, "&assignedToMe=true") is not None

    # Per item: a flag with both notes; a stale write to A2 is refused with the current one.
    flag = {"status": "flagged", "note_to_program": "Attach the policy.", "internal_note": "Weak."}
    assert va.request("PUT", f"{review}/items/A1", flag).status == 200
    assert va.request("PUT", f"{review}/items/A2", {"status": "reviewed"}).status == 200
    flagged_a2 = {"status": "flagged", "note_to_program": "Who signs it?"}
    headers = {"If-Match": '"1"'}
    assert va.request("PUT", f"{review}/items/A2", flagged_a2, headers).status == 200
    stale = va.request("PUT", f"{review}/items/A2", {"status": "reviewed"}, headers)
    assert stale.status == 409, stale.body
    assert stale.json["current"]["status"] == "flagged"
    row = _queue_row(va, cycle_id)
    assert row is not None
    assert (row["progress"]["flagged"], row["progress"]["reviewed"]) == (2, 0)

    # The program sees the flag and the note addressed to it, never the internal note.
    seen = ana.get(review)
    assert seen.status == 200, seen.body
    a1 = next(item for item in seen.json["items"] if item["item_code"] == "A1")
    assert (a1["status"], a1["note_to_program"], a1["internal_note"]) == (
        "flagged",
        "Attach the policy.",
        None,
    )
    assert "Weak." not in seen.body.decode()

    # Meeting: bad input names the field; scheduled, then moved twice (the last to start in
    # half an hour: completion is refused until the stack's clock is moved past it).
    soon = datetime.now(CHICAGO).replace(microsecond=0)
    unknown_zone = va.post(f"{review}/meeting", _meeting(soon, time_zone="America/Atlantis"))
    assert unknown_zone.status == 422, unknown_zone.body
    assert [e["field"] for e in unknown_zone.json["errors"]] == ["body.time_zone"]
    backwards = _meeting(soon + timedelta(days=3))
    backwards["end"] = (soon + timedelta(days=2)).replace(tzinfo=None).isoformat()
    refused = va.post(f"{review}/meeting", backwards)
    assert (refused.status, refused.json["field"]) == (422, "body.end"), refused.body
    assert ana.post(f"{review}/meeting", _meeting(soon + timedelta(days=3))).status == 403
    scheduled = va.post(f"{review}/meeting", _meeting(soon + timedelta(days=3)))
    assert scheduled.status == 200, scheduled.body
    version = scheduled.json["version"]
    start = soon + timedelta(minutes=30)
    for moved_to in (soon + timedelta(days=4), start):
        moved = va.request(
            "PUT", f"{review}/meeting", _meeting(moved_to), {"If-Match": f'"{version}"'}
        )
        assert moved.status == 200, moved.body
        version = moved.json["version"]
    assert (moved.json["uid"], moved.json["sequence"]) == (scheduled.json["uid"], 2)

    invite = ana.get(f"{review}/meeting.ics")
    assert invite.status == 200, invite.body
    assert invite.content_type.startswith("text/calendar")
    calendar = Calendar.from_ical(invite.body)
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (scheduled.json["uid"], 2)
    dtstart = event.decoded("DTSTART")
    assert str(dtstart.tzinfo) == "America/Chicago"
    assert dtstart.replace(tzinfo=None) == start.replace(tzinfo=None)

    # Completion: not before the meeting; not by the program; then by the affiliate.
    early = va.post(f"{review}/complete", None)
    assert (early.status, early.json["current_state"]) == (409, "in_review"), early.body
    local.stack.clock_offset = start - datetime.now(CHICAGO) + timedelta(minutes=1)
    try:
        by_program = ana.post(f"{review}/complete", None)
        denied = (by_program.status, by_program.json["missing_permission"])
        assert denied == (403, "completeReview"), by_program.body
        done = va.post(f"{review}/complete", None)
        assert done.status == 200, done.body
    finally:
        local.stack.clock_offset = None
    assert (done.json["state"], done.json["review_date"]) == (
        "review_completed",
        start.date().isoformat(),  # the meeting's date in Chicago, whatever the UTC date
    )
    completed = local.wait_for_events(
        lambda e: e["detail-type"] == "ReviewCompleted" and e["detail"]["cycle_id"] == cycle_id
    )
    assert completed[0]["detail"]["data"]["review_date"] == start.date().isoformat()
    assert _queue_row(va, cycle_id) is None

    # Nebraska's staff serve another affiliate: every review URL of this cycle is a 404.
    requests: list[tuple[str, str, Any]] = [
        ("GET", review, None),
        ("PUT", f"{review}/reviewer", {"user_id": me}),
        ("PUT", f"{review}/items/A1", {"status": "reviewed"}),
        ("POST", f"{review}/meeting", _meeting(soon + timedelta(days=5))),
        ("PUT", f"{review}/meeting", _meeting(soon + timedelta(days=5))),
        ("POST", f"{review}/meeting/cancel", None),
        ("GET", f"{review}/meeting.ics", None),
        ("POST", f"{review}/complete", None),
        ("GET", f"/reviews?affiliateId={local.demo_id('affiliates', 'va')}", None),
    ]
    for method, path, body in requests:
        response = ne.request(method, path, body)
        assert response.status == 404, (method, path, response.status, response.body)
