"""Plan API: the Improvement and Innovation Plan of a cycle, its goals and their progress.

Thin routes: each one parses the request and calls one use case in ``logic``.
"""

from __future__ import annotations

from typing import Annotated

from functions.plan import logic, store
from functions.plan.models import (
    CompleteIn,
    Finalized,
    Goal,
    GoalIn,
    Plan,
    PlanText,
    PlanTextIn,
    ProgressIn,
    RetireIn,
    SendBackIn,
    VerifyIn,
)
from functions.plan.settings import PlanSettings
from shared.adapters.table import default_table
from shared.edge.api import context, create_app, handler_for, problem_responses, success
from shared.edge.http import Response
from shared.edge.params import CycleId, IfMatch, Path, id_pattern
from shared.edge.versions import versioned
from shared.settings import cold_start

cold_start(PlanSettings)

app = create_app()
PLAN = ["plan"]
GOAL = "/cycles/<cycleId>/plan/goals/<goalId>"

GoalId = Annotated[str, Path(alias="goalId", pattern=id_pattern("gol"))]


def _plans() -> store.Plans:
    """The plans the use cases read and write: the single table's."""
    return store.TablePlans(default_table())


@app.get(
    "/cycles/<cycleId>/plan",
    operation_id="getPlan",
    tags=PLAN,
    summary="The plan: its text, goals (with progress, overdue flags), counts and history",
    description="Written once the review is completed (empty before). Goals past their "
    "target date and not verified read as overdue.",
    responses=problem_responses(404),
)
def get_plan(cycle_id: CycleId) -> Plan:
    return logic.get_plan(context(app), default_table(), _plans(), cycle_id)


@app.put(
    "/cycles/<cycleId>/plan",
    operation_id="savePlanText",
    tags=PLAN,
    summary="Save the plan's strengths and areas for improvement (management, operations, "
    "evaluation)",
    description="Send the version you read in `If-Match` (or `version` in the body); without "
    "one the write only creates. A stale save gets 409 with the current text in `current`. "
    "Once the plan is finalized only affiliate staff change it.",
    responses={**success(200, "ETag"), **problem_responses(400, 403, 404, 409, 422)},
)
def save_plan_text(
    cycle_id: CycleId, body: PlanTextIn, if_match: IfMatch = None
) -> Response[PlanText]:
    saved = logic.save_text(context(app), default_table(), _plans(), cycle_id, body, if_match)
    return versioned(saved, saved.version)


@app.post(
    "/cycles/<cycleId>/plan/goals",
    operation_id="addGoal",
    tags=PLAN,
    summary="Add a goal, tied to an instrument item",
    description="Gentle rules come back as `warnings` (a target not above the baseline, a "
    "target date outside 6 to 12 months); hard rules are 422 naming the field. The baseline "
    "defaults to the program's rating of the item. Once the plan is finalized only affiliate "
    "staff add goals, keeping at most 5 active.",
    status_code=201,
    responses={**success(201, "ETag"), **problem_responses(403, 404, 409, 422)},
)
def add_goal(cycle_id: CycleId, body: GoalIn) -> Response[Goal]:
    saved = logic.add_goal(context(app), default_table(), _plans(), cycle_id, body)
    return versioned(saved, saved.version, 201)


@app.put(
    GOAL,
    operation_id="updateGoal",
    tags=PLAN,
    summary="Change a goal's definition (If-Match); its status and progress are kept",
    description="Once the plan is finalized only affiliate staff change goals; every change "
    "is in the plan's history.",
    responses={**success(200, "ETag"), **problem_responses(400, 403, 404, 409, 422)},
)
def update_goal(
    cycle_id: CycleId, goal_id: GoalId, body: GoalIn, if_match: IfMatch = None
) -> Response[Goal]:
    saved = logic.update_goal(
        context(app), default_table(), _plans(), cycle_id, goal_id, body, if_match
    )
    return versioned(saved, saved.version)


@app.post(
    GOAL + "/retire",
    operation_id="retireGoal",
    tags=PLAN,
    summary="Retire a goal: it stays in the plan and its history, no longer counted",
    description="A finalized plan keeps 3 to 5 active goals: add the replacing goal first.",
    responses=problem_responses(403, 404, 409, 422),
)
def retire_goal(cycle_id: CycleId, goal_id: GoalId, body: RetireIn) -> Goal:
    return logic.retire_goal(context(app), default_table(), _plans(), cycle_id, goal_id, body)


@app.post(
    "/cycles/<cycleId>/plan/finalize",
    operation_id="finalizePlan",
    tags=PLAN,
    summary="Finalize the plan with 3 to 5 active goals (affiliate staff)",
    description="The cycle moves to plan_finalized. Fewer or more active goals: 422 naming "
    "the rule (`rule`: three-to-five-goals).",
    responses=problem_responses(403, 404, 409, 422),
)
def finalize_plan(cycle_id: CycleId) -> Finalized:
    return logic.finalize_plan(context(app), default_table(), _plans(), cycle_id)


@app.post(
    GOAL + "/progress",
    operation_id="postGoalProgress",
    tags=PLAN,
    summary="Post a dated progress update on a goal (program staff)",
    responses=problem_responses(403, 404, 409, 422),
)
def post_progress(cycle_id: CycleId, goal_id: GoalId, body: ProgressIn) -> Goal:
    return logic.post_progress(context(app), default_table(), _plans(), cycle_id, goal_id, body)


@app.post(
    GOAL + "/complete",
    operation_id="completeGoal",
    tags=PLAN,
    summary="Mark a goal completed, with a note and optional evidence (program staff)",
    responses=problem_responses(403, 404, 409, 422),
)
def complete_goal(cycle_id: CycleId, goal_id: GoalId, body: CompleteIn) -> Goal:
    return logic.complete_goal(context(app), default_table(), _plans(), cycle_id, goal_id, body)


@app.post(
    GOAL + "/verify",
    operation_id="verifyGoal",
    tags=PLAN,
    summary="Verify a completed goal, recording the achieved rating (affiliate staff)",
    description="The achieved rating is a new observation; the program's answer is kept.",
    responses=problem_responses(403, 404, 409, 422),
)
def verify_goal(cycle_id: CycleId, goal_id: GoalId, body: VerifyIn) -> Goal:
    return logic.verify_goal(context(app), default_table(), _plans(), cycle_id, goal_id, body)


@app.post(
    GOAL + "/send-back",
    operation_id="sendBackGoal",
    tags=PLAN,
    summary="Send a completed goal back with a comment (affiliate staff)",
    responses=problem_responses(403, 404, 409, 422),
)
def send_back_goal(cycle_id: CycleId, goal_id: GoalId, body: SendBackIn) -> Goal:
    return logic.send_back_goal(context(app), default_table(), _plans(), cycle_id, goal_id, body)


lambda_handler = handler_for(app)
