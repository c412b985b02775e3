"""Plan API through its Lambda handler: text, goals, finalizing, progress and verification."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from functions.plan.rules import add_months
from shared import clock
from shared.identity import Grant
from tests.integration.test_assessment import INSTRUMENT, World, world
from tests.integration.test_assessment import call as assessment_call
from tests.integration.test_review import COMPLETE, MEETING, meeting_body, submitted_cycle
from tests.integration.test_review import call as review_call
from tests.support.lambdas import User, header, invoke, outbox_events, table_items
from tests.support.people import national

__all__ = ["world"]  # the fixture, imported to be used here

PLAN = "/cycles/{cycleId}/plan"
GOALS = "/cycles/{cycleId}/plan/goals"
GOAL = "/cycles/{cycleId}/plan/goals/{goalId}"
FINALIZE = "/cycles/{cycleId}/plan/finalize"
TODAY = date.today()


def call(
    method: str, resource: str, user: User | None, params: dict[str, str] | None = None, **kw: Any
) -> tuple[int, Any, dict[str, Any]]:
    from functions.plan.handler import lambda_handler

    return invoke(lambda_handler, method, resource, user, params, **kw)


def complete_review(world: World, cycle_id: str) -> None:
    """The review service's part: a meeting held two days ago, then the review completed."""
    params = {"cycleId": cycle_id}
    status, meeting, _ = review_call(
        "POST", MEETING, world.va_staff, params, body=meeting_body(-2, 10)
    )
    assert status == 200, meeting
    status, done, _ = review_call("POST", COMPLETE, world.va_staff, params)
    assert (status, done["state"]) == (200, "review_completed"), done


@pytest.fixture
def cycle_id(world: World) -> str:
    """A cycle whose review is completed; every item answered yes, rated 3."""
    submitted = submitted_cycle(world)
    complete_review(world, submitted)
    return submitted


def goal_body(world: World, code: str = "A1", **fields: Any) -> dict[str, Any]:
    return {
        "item_code": code,
        "title": f"Improve {code}",
        "action_steps": ["Draft the policy", "Train the staff"],
        "owner_id": world.alice.sub,
        "target_rating": 4,
        "start_date": TODAY.isoformat(),
        "target_date": add_months(TODAY, 9).isoformat(),
        **fields,
    }


def add_goal(world: World, cycle_id: str, user: User, code: str = "A1", **fields: Any) -> Any:
    status, goal, _ = call(
        "POST", GOALS, user, {"cycleId": cycle_id}, body=goal_body(world, code, **fields)
    )
    assert status == 201, goal
    return goal


def finalized(
    world: World, cycle_id: str, codes: tuple[str, ...] = ("A1", "A2", "A3")
) -> list[str]:
    goal_ids = [add_goal(world, cycle_id, world.alice, code)["goal_id"] for code in codes]
    status, done, _ = call("POST", FINALIZE, world.va_staff, {"cycleId": cycle_id})
    assert status == 200, done
    return goal_ids


def goal_params(cycle_id: str, goal_id: str) -> dict[str, str]:
    return {"cycleId": cycle_id, "goalId": goal_id}


# =========================================================================== text
def test_both_sides_edit_the_text_a_stale_save_gets_the_current_one(
    world: World, cycle_id: str
) -> None:
    params = {"cycleId": cycle_id}
    status, plan, _ = call("GET", PLAN, world.alice, params)
    assert (status, plan["text"]["version"], plan["goals"]) == (200, 0, []), plan

    mine = {"management": {"strengths": "Strong board."}}
    status, saved, response = call("PUT", PLAN, world.alice, params, body=mine)
    assert (status, saved["version"], header(response, "ETag")) == (200, 1, '"1"'), saved

    theirs = {
        "management": {"strengths": "Strong board.", "areas_for_improvement": "Recruiting."},
        "evaluation": {"strengths": "Yearly surveys."},
    }
    status, saved, _ = call(
        "PUT", PLAN, world.va_staff, params, body=theirs, headers={"If-Match": '"1"'}
    )
    assert (status, saved["version"]) == (200, 2), saved

    # Bob read version 1 and saves over it: refused, with what the affiliate wrote.
    stale = {"operations": {"strengths": "Good matches."}, "version": 1}
    status, problem, _ = call("PUT", PLAN, world.bob, params, body=stale)
    assert status == 409, problem
    assert problem["current_version"] == 2
    assert problem["current"]["management"]["areas_for_improvement"] == "Recruiting."
    merged = {**theirs, "operations": {"strengths": "Good matches."}, "version": 2}
    status, saved, _ = call("PUT", PLAN, world.bob, params, body=merged)
    assert (status, saved["version"]) == (200, 3), saved

    status, plan, _ = call("GET", PLAN, world.va_staff, params)
    assert plan["text"]["management"]["areas_for_improvement"] == "Recruiting."
    assert plan["text"]["operations"]["strengths"] == "Good matches."
    history = [(h["by"], h["action"], sorted(h["changes"])) for h in plan["history"]]
    assert history == [
        (world.alice.sub, "text_changed", ["management_strengths"]),
        (
            world.va_staff.sub,
            "text_changed",
            ["evaluation_strengths", "management_areas_for_improvement"],
        ),
        (world.bob.sub, "text_changed", ["operations_strengths"]),
    ]
    assert plan["history"][1]["changes"]["evaluation_strengths"] == {
        "from": "",
        "to": "Yearly surveys.",
    }
    audited = {
        (i["actor_id"]["S"], i["action"]["S"])
        for i in table_items()
        if i.get("target", {}).get("S") == f"cycle:{cycle_id}/plan"
    }
    # Bob saw the affiliate's text in his 409: a read; GETs are reads too.
    assert {
        (world.bob.sub, "read"),
        (world.alice.sub, "read"),
        (world.va_staff.sub, "read"),
    } <= audited


def test_the_plan_is_written_only_once_the_review_is_completed_and_only_by_its_people(
    world: World,
) -> None:
    submitted = submitted_cycle(world)
    params = {"cycleId": submitted}
    status, problem, _ = call("PUT", PLAN, world.alice, params, body={})
    assert (status, problem["current_state"]) == (409, "submitted"), problem
    status, plan, _ = call("GET", PLAN, world.alice, params)
    assert (status, plan["state"], plan["goals"]) == (200, "submitted", []), plan
    complete_review(world, submitted)
    results = national(Grant.RESULTS)  # national staff with the results grant: read only
    assert call("GET", PLAN, results, params)[0] == 200
    status, problem, _ = call("POST", GOALS, results, params, body=goal_body(world))
    assert (status, problem["missing_permission"]) == (403, "addGoal"), problem
    for stranger in (world.carol, world.ne_staff):
        status, problem, _ = call("GET", PLAN, stranger, params)
        assert status == 404, problem
        status, problem, _ = call("POST", GOALS, stranger, params, body=goal_body(world))
        assert status == 404, problem


# =========================================================================== goals
def test_goal_hard_rules_name_the_field_and_gentle_ones_are_warnings(
    world: World, cycle_id: str
) -> None:
    params = {"cycleId": cycle_id}
    refusals = {
        "body.item_code": goal_body(world, "Z99"),
        "body.target_date": goal_body(world, target_date=(TODAY - timedelta(days=1)).isoformat()),
        "body.owner_id": goal_body(world, owner_id=world.va_staff.sub),
    }
    for field, body in refusals.items():
        status, problem, _ = call("POST", GOALS, world.alice, params, body=body)
        assert (status, problem.get("field")) == (422, field), problem
    for rating in (0, 6):
        body = goal_body(world, target_rating=rating)
        status, problem, _ = call("POST", GOALS, world.alice, params, body=body)
        assert status == 422, problem
        assert [e["field"] for e in problem["errors"]] == ["body.target_rating"]

    # The baseline defaults to the program's answer (3); a target of 3 is allowed, said.
    gentle = goal_body(world, target_rating=3, target_date=add_months(TODAY, 2).isoformat())
    status, goal, _ = call("POST", GOALS, world.alice, params, body=gentle)
    assert status == 201, goal
    assert (goal["baseline_rating"], goal["status"], goal["overdue"]) == (3, "not_started", False)
    assert [w["code"] for w in goal["warnings"]] == [
        "target-not-above-baseline",
        "target-date-outside-window",
    ]
    status, plain, _ = call("POST", GOALS, world.va_staff, params, body=goal_body(world, "B6"))
    assert (status, plain["warnings"]) == (201, []), plain
    assert outbox_events("PlanFinalized") == []


def test_finalize_needs_3_to_5_active_goals_and_then_only_the_affiliate_redefines(
    world: World, cycle_id: str
) -> None:
    params = {"cycleId": cycle_id}
    goal_ids = [add_goal(world, cycle_id, world.alice, code)["goal_id"] for code in ("A1", "A2")]
    status, problem, _ = call("POST", FINALIZE, world.va_staff, params)
    assert (status, problem["rule"], problem["active_goals"]) == (422, "three-to-five-goals", 2)
    goal_ids += [
        add_goal(world, cycle_id, world.bob, c)["goal_id"] for c in ("A3", "A4", "A5", "B7")
    ]
    status, problem, _ = call("POST", FINALIZE, world.va_staff, params)
    assert (status, problem["active_goals"]) == (422, 6), problem
    status, problem, _ = call("POST", FINALIZE, world.alice, params)
    assert (status, problem["missing_permission"]) == (403, "finalizePlan"), problem

    # Retiring one before finalizing: it stays in the plan, not counted.
    retired = goal_ids.pop()
    where = goal_params(cycle_id, retired)
    status, goal, _ = call("POST", GOAL + "/retire", world.alice, where, body={"reason": "Later."})
    assert (status, goal["retired"]) == (200, True), goal
    status, done, _ = call("POST", FINALIZE, world.va_staff, params)
    assert (status, done["state"], sorted(done["goal_ids"])) == (
        200,
        "plan_finalized",
        sorted(goal_ids),
    )
    (event,) = outbox_events("PlanFinalized")
    assert sorted(event["data"]["goal_ids"]) == sorted(goal_ids)
    status, again, _ = call("POST", FINALIZE, world.va_staff, params)
    assert (status, again["current_state"]) == (409, "plan_finalized"), again

    # After finalization the program's staff may not change definitions; the affiliate may.
    first = goal_params(cycle_id, goal_ids[0])
    changed = goal_body(world, "A1", title="Board policy, written", target_rating=5)
    status, problem, _ = call(
        "PUT", GOAL, world.alice, first, body=changed, headers={"If-Match": '"1"'}
    )
    assert (status, problem["missing_permission"]) == (403, "updateGoal"), problem
    status, problem, _ = call("POST", GOALS, world.alice, params, body=goal_body(world, "B6"))
    assert (status, problem["missing_permission"]) == (403, "addGoal"), problem
    status, goal, _ = call(
        "PUT", GOAL, world.va_staff, first, body=changed, headers={"If-Match": '"1"'}
    )
    assert (status, goal["title"], goal["version"]) == (200, "Board policy, written", 2), goal
    status, stale, _ = call(
        "PUT", GOAL, world.va_staff, first, body=changed, headers={"If-Match": '"1"'}
    )
    assert (status, stale["current"]["title"]) == (409, "Board policy, written"), stale
    status, blind, _ = call("PUT", GOAL, world.va_staff, first, body=changed)
    assert (status, blind["current_version"]) == (409, 2), blind  # no version: nothing changes

    # 5 active: a sixth is refused; retiring down to 3 is allowed, below is refused.
    status, problem, _ = call("POST", GOALS, world.va_staff, params, body=goal_body(world, "B6"))
    assert (status, problem["rule"]) == (422, "three-to-five-goals"), problem
    for goal_id in goal_ids[3:]:
        where = goal_params(cycle_id, goal_id)
        status, _, _ = call("POST", GOAL + "/retire", world.va_staff, where, body={"reason": "x"})
        assert status == 200
    where = goal_params(cycle_id, goal_ids[0])
    status, problem, _ = call("POST", GOAL + "/retire", world.va_staff, where, body={"reason": "x"})
    assert (status, problem["active_goals"]) == (422, 3), problem

    status, plan, _ = call("GET", PLAN, world.alice, params)
    assert plan["summary"] == {"active": 3, "verified": 0, "open": 3, "overdue": 0, "retired": 3}
    assert [g["retired"] for g in plan["goals"]] == [False] * 3 + [True] * 3
    revision = next(h for h in plan["history"] if h["action"] == "goal_changed")
    assert revision["by"] == world.va_staff.sub
    assert revision["changes"]["target_rating"] == {"from": 4, "to": 5}
    assert "plan_finalized" in [h["action"] for h in plan["history"]]


# =========================================================================== progress
def test_the_program_completes_goals_and_the_affiliate_verifies_or_sends_back(
    world: World, cycle_id: str
) -> None:
    answers_before = [i for i in table_items() if i["sk"]["S"].startswith("ANSWER#")]
    first, second, third = finalized(world, cycle_id)
    one, two = goal_params(cycle_id, first), goal_params(cycle_id, second)

    status, problem, _ = call(
        "POST", GOAL + "/verify", world.va_staff, one, body={"achieved_rating": 4}
    )
    assert (status, problem["current_state"]) == (409, "not_started"), problem
    progress = {"on": TODAY.isoformat(), "note": "Policy drafted."}
    status, goal, _ = call("POST", GOAL + "/progress", world.alice, one, body=progress)
    assert (status, goal["status"]) == (200, "in_progress"), goal
    status, problem, _ = call("POST", GOAL + "/progress", world.va_staff, one, body=progress)
    assert (status, problem["missing_permission"]) == (403, "postGoalProgress"), problem

    bad = {"note": "Done.", "evidence_ids": ["doc_00000000000000000000"]}
    status, problem, _ = call("POST", GOAL + "/complete", world.alice, one, body=bad)
    assert (status, problem["field"]) == (422, "body.evidence_ids"), problem
    for where in (one, two):
        status, goal, _ = call(
            "POST", GOAL + "/complete", world.alice, where, body={"note": "Done."}
        )
        assert (status, goal["status"]) == (200, "completed"), goal
    assert len(outbox_events("GoalCompleted")) == 2

    status, problem, _ = call(
        "POST", GOAL + "/verify", world.alice, one, body={"achieved_rating": 4}
    )
    assert (status, problem["missing_permission"]) == (403, "verifyGoal"), problem
    status, goal, _ = call(
        "POST", GOAL + "/verify", world.va_staff, one, body={"achieved_rating": 4}
    )
    assert (status, goal["status"], goal["achieved_rating"]) == (200, "verified", 4), goal
    status, goal, _ = call(
        "POST", GOAL + "/send-back", world.va_staff, two, body={"comment": "Attach the roster."}
    )
    assert (status, goal["status"]) == (200, "sent_back"), goal
    status, goal, _ = call("POST", GOAL + "/complete", world.alice, two, body={"note": "Attached."})
    assert (status, goal["status"]) == (200, "completed"), goal

    (verified,) = outbox_events("GoalVerified")
    assert (verified["data"]["goal_id"], verified["data"]["item_key"]) == (
        first,
        INSTRUMENT.items[0].key,
    )
    assert "achieved_rating" not in verified["data"]  # thin events: no ratings on the bus
    assert len(outbox_events("GoalSentBack")) == 1
    # The achieved rating is a new observation: the program's answers are untouched.
    assert [i for i in table_items() if i["sk"]["S"].startswith("ANSWER#")] == answers_before

    status, plan, _ = call("GET", PLAN, world.alice, {"cycleId": cycle_id})
    assert plan["summary"] == {"active": 3, "verified": 1, "open": 2, "overdue": 0, "retired": 0}
    by_id = {g["goal_id"]: g for g in plan["goals"]}
    assert [(p["on"], p["note"]) for p in by_id[first]["progress"]] == [
        (TODAY.isoformat(), "Policy drafted.")
    ]
    assert by_id[second]["sent_back_comment"] == "Attach the roster."
    assert by_id[third]["status"] == "not_started"


def test_a_goal_past_its_target_date_reads_as_overdue_until_verified(
    world: World, cycle_id: str
) -> None:
    goal_ids = finalized(world, cycle_id)
    params = {"cycleId": cycle_id}
    status, plan, _ = call("GET", PLAN, world.alice, params)
    assert plan["summary"]["overdue"] == 0
    one = goal_params(cycle_id, goal_ids[0])
    call("POST", GOAL + "/complete", world.alice, one, body={"note": "Done."})
    call("POST", GOAL + "/verify", world.va_staff, one, body={"achieved_rating": 5})

    later = datetime.combine(add_months(TODAY, 9) + timedelta(days=1), datetime.min.time(), UTC)
    with clock.use_clock(clock.FixedClock(later)):
        status, plan, _ = call("GET", PLAN, world.va_staff, params)
    assert status == 200, plan
    assert plan["summary"] == {"active": 3, "verified": 1, "open": 2, "overdue": 2, "retired": 0}
    assert [g["overdue"] for g in plan["goals"] if g["goal_id"] != goal_ids[0]] == [True, True]
    status, plan, _ = call("GET", PLAN, world.va_staff, params)
    assert plan["summary"]["overdue"] == 0
    status, cycle, _ = assessment_call("GET", "/cycles/{cycleId}", world.alice, params)
    assert cycle["state"] == "plan_finalized"
