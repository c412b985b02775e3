"""Events of the plan service. Thin: ids and states; never plan text, notes or ratings."""

from __future__ import annotations

from shared.events.base import Catalogue, EventData, catalogue


class PlanFinalized(EventData):
    """The affiliate finalized the plan with 3 to 5 active goals (Step 1 of the badges)."""

    cycle_id: str
    program_id: str
    finalized_by: str
    goal_ids: list[str]


class GoalCompleted(EventData):
    """The program marked a goal completed; the affiliate verifies it or sends it back."""

    cycle_id: str
    program_id: str
    goal_id: str
    item_key: str
    completed_by: str


class GoalVerified(EventData):
    """The affiliate verified a completed goal (Step 2 counts these)."""

    cycle_id: str
    program_id: str
    goal_id: str
    item_key: str
    verified_by: str


class GoalSentBack(EventData):
    cycle_id: str
    program_id: str
    goal_id: str
    sent_back_by: str


CATALOGUE: Catalogue = catalogue(
    "nqms.plan",
    PlanFinalized,
    GoalCompleted,
    GoalVerified,
    GoalSentBack,
)
