"""Rules of the Improvement and Innovation Plan: its phases, goals and their statuses.

Pure (no AWS, no clock of its own: ``today`` is always passed in) so handlers and tests share
one copy. Refusals are the shared domain errors: a hard rule is a 422 :class:`RuleViolation`
naming the field (or the rule), a step the cycle's or the goal's state does not allow is a 409
:class:`IllegalTransition` naming that state.

Decisions (issue #9):

- **Phases.** The plan is written once the review is completed (cycle ``review_completed``)
  by both sides; finalizing moves the cycle to ``plan_finalized``. After that, definitions
  change only through the affiliate, and progress, completion and verification happen.
- **Gentle rules are warnings** (a target not above the baseline, a target date outside 6 to
  12 months of finalization, measured from today while the plan is a draft); **hard rules**
  are refusals (unknown item, a rating outside 1 to 5, a target date before the start).
- **Active goals.** A retired goal stays, with its history, but does not count: a plan is
  finalized with 3 to 5 active goals and a finalized plan keeps 3 to 5 through revisions.
- **Statuses.** not started -> in progress (a progress update) -> completed (by the program)
  -> verified (by the affiliate, with the achieved rating) or sent back (with a comment),
  from which progress and completion start again. A verified goal is done.
- **Overdue.** Past its target date (the day after it) and not verified, while active.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from shared.domain.cycle_states import CycleState
from shared.domain.goals import is_overdue
from shared.errors import IllegalTransition, RuleViolation

#: The three parts of the plan's text, as in the instrument (Program Management, Operations,
#: Evaluation).
PLAN_PARTS = ("management", "operations", "evaluation")
TEXT_FIELDS = ("strengths", "areas_for_improvement")
MAX_TEXT_CHARS = 8000
MAX_NOTE_CHARS = 4000

MIN_ACTIVE_GOALS, MAX_ACTIVE_GOALS = 3, 5
#: A draft may hold more than 5 (finalizing then refuses), within reason.
MAX_DRAFT_GOALS = 20
MIN_RATING, MAX_RATING = 1, 5
WINDOW_MONTHS = (6, 12)

#: States in which the plan's text and goal definitions may change.
EDITABLE: frozenset[CycleState] = frozenset(
    {CycleState.REVIEW_COMPLETED, CycleState.PLAN_FINALIZED}
)
#: States in which goals are worked on (progress, completion, verification).
IN_EFFECT: frozenset[CycleState] = frozenset({CycleState.PLAN_FINALIZED})


class GoalStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"  # by the program; waiting for the affiliate
    VERIFIED = "verified"
    SENT_BACK = "sent_back"


#: Statuses from which the program posts progress or marks the goal completed.
WORKABLE = frozenset({GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS, GoalStatus.SENT_BACK})


# =========================================================================== phases
def require_state(state: CycleState, allowed: frozenset[CycleState], doing: str) -> None:
    """409 naming the cycle's state when ``doing`` is not possible in it."""
    if state not in allowed:
        when = {
            IN_EFFECT: "once the plan is finalized",
            EDITABLE: "once the review is completed, until the cycle is superseded",
        }.get(allowed, "in another state")
        raise IllegalTransition(
            f"The cycle is {state.value}: {doing} is possible only {when}.",
            current_state=state.value,
        )


def is_finalized(state: CycleState) -> bool:
    return state is not CycleState.REVIEW_COMPLETED


# =========================================================================== dates
def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def goal_window(anchor: date) -> tuple[date, date]:
    """Target dates that fall 6 to 12 months after ``anchor`` (finalization) raise no warning."""
    return add_months(anchor, WINDOW_MONTHS[0]), add_months(anchor, WINDOW_MONTHS[1])


# =========================================================================== goal definitions
@dataclass(frozen=True)
class GoalWarning:
    code: str
    field: str
    message: str


def check_goal_dates(start: date, target: date) -> None:
    if target < start:
        raise RuleViolation(
            f"The target date ({target}) is before the start date ({start}).",
            field="body.target_date",
        )


def check_rating(value: int | None, field: str) -> None:
    """Models bound ratings too; this guards records built elsewhere (and names the field)."""
    if value is not None and not MIN_RATING <= value <= MAX_RATING:
        raise RuleViolation(
            f"A rating is {MIN_RATING} to {MAX_RATING}; {value} is not.", field=field
        )


def goal_warnings(
    *, baseline: int | None, target: int, target_date: date, anchor: date
) -> list[GoalWarning]:
    """The gentle rules: said, never refused (a well-rated practice may still get a goal)."""
    warnings = []
    if baseline is not None and target <= baseline:
        warnings.append(
            GoalWarning(
                "target-not-above-baseline",
                "target_rating",
                f"The target rating ({target}) is not above the baseline ({baseline}).",
            )
        )
    earliest, latest = goal_window(anchor)
    if not earliest <= target_date <= latest:
        warnings.append(
            GoalWarning(
                "target-date-outside-window",
                "target_date",
                f"The target date ({target_date}) is not 6 to 12 months after "
                f"{anchor} ({earliest} to {latest}).",
            )
        )
    return warnings


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """What a change changed: ``{field: {"from": old, "to": new}}``, for the history."""
    return {
        name: {"from": before.get(name), "to": after.get(name)}
        for name in fields
        if before.get(name) != after.get(name)
    }


# =========================================================================== active goals
def check_finalizable(active: int) -> None:
    if not MIN_ACTIVE_GOALS <= active <= MAX_ACTIVE_GOALS:
        raise RuleViolation(
            f"A plan is finalized with {MIN_ACTIVE_GOALS} to {MAX_ACTIVE_GOALS} active goals; "
            f"this one has {active}.",
            field="goals",
            rule="three-to-five-goals",
            active_goals=active,
        )


def check_goal_added(active: int, finalized: bool) -> None:
    """``active``: before the new goal. A finalized plan keeps at most 5."""
    if finalized and active >= MAX_ACTIVE_GOALS:
        raise RuleViolation(
            f"A finalized plan keeps {MIN_ACTIVE_GOALS} to {MAX_ACTIVE_GOALS} active goals; "
            f"it has {active}: retire one first.",
            field="goals",
            rule="three-to-five-goals",
            active_goals=active,
        )
    if active >= MAX_DRAFT_GOALS:
        raise RuleViolation(
            f"A draft plan holds at most {MAX_DRAFT_GOALS} active goals (it is finalized "
            f"with {MIN_ACTIVE_GOALS} to {MAX_ACTIVE_GOALS}).",
            field="goals",
            rule="draft-goal-limit",
            active_goals=active,
        )


def check_goal_retired(active: int, finalized: bool) -> None:
    """``active``: before retiring one. A finalized plan keeps at least 3."""
    if finalized and active - 1 < MIN_ACTIVE_GOALS:
        raise RuleViolation(
            f"A finalized plan keeps {MIN_ACTIVE_GOALS} to {MAX_ACTIVE_GOALS} active goals; "
            f"it has {active}: add the replacing goal first.",
            field="goals",
            rule="three-to-five-goals",
            active_goals=active,
        )


# =========================================================================== statuses
def _goal_refusal(status: GoalStatus, doing: str) -> IllegalTransition:
    return IllegalTransition(
        f"The goal is {status.value.replace('_', ' ')}: it cannot be {doing}.",
        current_state=status.value,
    )


def after_progress(status: GoalStatus) -> GoalStatus:
    if status not in WORKABLE:
        raise _goal_refusal(status, "updated with progress")
    return GoalStatus.IN_PROGRESS


def after_completion(status: GoalStatus) -> GoalStatus:
    if status not in WORKABLE:
        raise _goal_refusal(status, "marked completed")
    return GoalStatus.COMPLETED


def after_verification(status: GoalStatus, achieved: int) -> GoalStatus:
    if status is not GoalStatus.COMPLETED:
        raise _goal_refusal(status, "verified before the program marks it completed")
    check_rating(achieved, "body.achieved_rating")
    return GoalStatus.VERIFIED


def after_send_back(status: GoalStatus) -> GoalStatus:
    if status is not GoalStatus.COMPLETED:
        raise _goal_refusal(status, "sent back unless it is completed")
    return GoalStatus.SENT_BACK


def check_definable(status: GoalStatus) -> None:
    """A verified goal's definition is its record of what was achieved: not changed."""
    if status is GoalStatus.VERIFIED:
        raise _goal_refusal(status, "redefined once verified")


# =========================================================================== overdue
@dataclass(frozen=True)
class Summary:
    active: int
    verified: int
    open: int
    overdue: int
    retired: int


def summarize(goals: Iterable[tuple[GoalStatus, bool, date]], today: date) -> Summary:
    """Counts of a plan's goals, from (status, retired, target date) of each."""
    active = verified = overdue = retired = 0
    for status, is_retired, target_date in goals:
        if is_retired:
            retired += 1
            continue
        active += 1
        verified += status is GoalStatus.VERIFIED
        overdue += is_overdue(status, is_retired, target_date, today)
    return Summary(active, verified, active - verified, overdue, retired)
