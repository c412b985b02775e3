"""The Improvement and Innovation Plan through the gateway: after the review is completed both
sides write the plan (a stale save refused, nothing lost), 3 goals are finalized (2 and 6 are
refused), the program completes them, the affiliate verifies them and three GoalVerified
events cross the bus; the program may not redefine a goal after finalization; a goal past its
target date reads as overdue when the clock moves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from infra.local.http import ApiClient
from tests.e2e.conftest import Session
from tests.e2e.journeys import VA_STAFF, program_with_staff, review_completed_cycle

TARGET_DAYS = 270  # 9 months: inside the 6-to-12-month window, no warning


def _put(client: ApiClient, path: str, body: Any, if_match: str | None = None) -> Any:
    return client.request("PUT", path, body, {"If-Match": if_match} if if_match else None)


def _goal(code: str, owner: str, start: date) -> dict[str, Any]:
    return {
        "item_code": code,
        "title": f"Raise {code} to a 4",
        "action_steps": ["Write the procedure", "Train every coordinator"],
        "owner_id": owner,
        "target_rating": 4,
        "start_date": start.isoformat(),
        "target_date": (start + timedelta(days=TARGET_DAYS)).isoformat(),
    }


def test_the_plan_from_review_to_verified_goals(local: Session) -> None:
    program_id, (ana, ben) = program_with_staff(local, "Blue Ridge Mentors", "ana", "ben")
    va = local.as_user(VA_STAFF)
    cycle_id = review_completed_cycle(local, program_id, ana)
    plan = f"/cycles/{cycle_id}/plan"

    # Both sides edit the text; Ben's save from version 1 is refused with what VA wrote.
    first = _put(ana, plan, {"management": {"strengths": "A committed board."}})
    assert (first.status, first.header("ETag")) == (200, '"1"'), first.body
    theirs = {
        "management": {"strengths": "A committed board.", "areas_for_improvement": "Funding."},
        "operations": {"strengths": "Careful screening."},
    }
    assert _put(va, plan, theirs, if_match='"1"').status == 200
    stale = _put(ben, plan, {"evaluation": {"strengths": "Surveys."}}, if_match='"1"')
    assert stale.status == 409, stale.body
    assert stale.json["current"]["management"]["areas_for_improvement"] == "Funding."
    merged = {**theirs, "evaluation": {"strengths": "Surveys."}}
    assert _put(ben, plan, merged, if_match=f'"{stale.json["current_version"]}"').status == 200
    text = ana.get(plan).json["text"]
    assert text["management"]["areas_for_improvement"] == "Funding."  # nothing lost
    assert text["operations"]["strengths"] == "Careful screening."
    assert text["evaluation"]["strengths"] == "Surveys."

    # Two goals: finalizing is refused naming the rule; six: refused too.
    me = ana.get("/me").json["user_id"]
    start = datetime.now(UTC).date()
    ids = []
    for code in ("A1", "A2", "B6", "B7", "C11", "C12"):
        added = ana.post(f"{plan}/goals", _goal(code, me, start))
        assert added.status == 201, added.body
        assert added.json["baseline_rating"] == 2  # the program's answer
        ids.append(added.json["goal_id"])
        if len(ids) == 2:
            refused = va.post(f"{plan}/finalize", None)
            assert refused.status == 422, refused.body
            assert refused.content_type == "application/problem+json"
            assert (refused.json["rule"], refused.json["active_goals"]) == (
                "three-to-five-goals",
                2,
            )
    refused = va.post(f"{plan}/finalize", None)
    assert (refused.status, refused.json["active_goals"]) == (422, 6), refused.body
    for retired in ids[3:]:
        done = ana.post(f"{plan}/goals/{retired}/retire", {"reason": "Next year's plan."})
        assert done.status == 200, done.body
    kept = ids[:3]
    assert ana.post(f"{plan}/finalize", None).status == 403  # the affiliate finalizes
    finalized = va.post(f"{plan}/finalize", None)
    assert (finalized.status, finalized.json["state"]) == (200, "plan_finalized"), finalized.body
    assert sorted(finalized.json["goal_ids"]) == sorted(kept)

    # After finalization the program's staff may not redefine a goal.
    changed = {**_goal("A1", me, start), "target_rating": 5}
    forbidden = _put(ana, f"{plan}/goals/{kept[0]}", changed, if_match='"1"')
    assert (forbidden.status, forbidden.json["missing_permission"]) == (403, "updateGoal")

    # The program completes its three goals; past the target date they read as overdue.
    for goal_id in kept:
        done = ana.post(f"{plan}/goals/{goal_id}/complete", {"note": "Done, see the binder."})
        assert (done.status, done.json["status"]) == (200, "completed"), done.body
    assert va.get(plan).json["summary"]["overdue"] == 0
    local.stack.clock_offset = timedelta(days=TARGET_DAYS + 2)
    try:
        later = va.get(plan).json
    finally:
        local.stack.clock_offset = None
    assert later["summary"] == {"active": 3, "verified": 0, "open": 3, "overdue": 3, "retired": 3}
    assert all(g["overdue"] for g in later["goals"] if not g["retired"])

    # The affiliate verifies them: three GoalVerified events cross the bus.
    for goal_id in kept:
        verified = va.post(f"{plan}/goals/{goal_id}/verify", {"achieved_rating": 4})
        assert (verified.status, verified.json["status"]) == (200, "verified"), verified.body
    events = local.wait_for_events(
        lambda e: e["detail-type"] == "GoalVerified" and e["detail"]["cycle_id"] == cycle_id,
        count=3,
    )
    assert sorted(e["detail"]["data"]["goal_id"] for e in events) == sorted(kept)
    final = ben.get(plan).json
    assert final["summary"] == {"active": 3, "verified": 3, "open": 0, "overdue": 0, "retired": 3}
    assert ben.get(f"/cycles/{cycle_id}/answers").json["items"][0]["answer"]["rating"] == 2

    # Through the real event flow (outbox, bus, rule, queue, issuer): Step 1 on PlanFinalized,
    # Step 2 once three goals are verified; each BadgeIssued once.
    issued = local.wait_for_events(
        lambda e: e["detail-type"] == "BadgeIssued" and e["detail"]["cycle_id"] == cycle_id,
        count=2,
        timeout=60,
    )
    assert sorted(e["detail"]["data"]["level"] for e in issued) == ["step1", "step2"]
