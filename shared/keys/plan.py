"""Keys of the plan service: a cycle's Improvement and Innovation Plan and its goals.

The whole plan lives in its own partition (``PLAN#<cycle id>``): its text, its goals, the
goal set (the active goals, versioned, which finalizing guards), progress updates and the
history. One query reads all of it; a plan write never touches answers or reviews.
"""

from __future__ import annotations

from shared.keys.base import Key

GOAL_PREFIX = "GOAL#"
PLAN_HISTORY_PREFIX = "HISTORY#"
GOAL_UPDATE_PREFIX = "UPDATE#"


def plan_partition(cycle_id: str) -> str:
    return f"PLAN#{cycle_id}"


def plan_text(cycle_id: str) -> Key:
    """Strengths and areas for improvement per part, versioned (one record, small)."""
    return {"pk": plan_partition(cycle_id), "sk": "TEXT"}


def plan_goal_set(cycle_id: str) -> Key:
    """The active goals' ids, versioned: adding or retiring a goal writes it, finalizing
    checks it, so the 3-to-5 rule holds against concurrent changes."""
    return {"pk": plan_partition(cycle_id), "sk": "GOALSET"}


def plan_goal(cycle_id: str, goal_id: str) -> Key:
    return {"pk": plan_partition(cycle_id), "sk": GOAL_PREFIX + goal_id}


def plan_history(cycle_id: str, at: str, entry_id: str) -> Key:
    """Who changed what and when: append-only, in time order."""
    return {"pk": plan_partition(cycle_id), "sk": f"{PLAN_HISTORY_PREFIX}{at}#{entry_id}"}


def goal_update(cycle_id: str, goal_id: str, at: str, update_id: str) -> Key:
    """A dated progress update on a goal: append-only."""
    return {"pk": plan_partition(cycle_id), "sk": f"{GOAL_UPDATE_PREFIX}{goal_id}#{at}#{update_id}"}
