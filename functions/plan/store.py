"""The plan's goals and goal set in the table: read, written and checked at the version read.

A goal is read as a :class:`~functions.plan.records.StoredGoal` and written back at its
version (:func:`save_goal`); a goal changed meanwhile is found with :func:`goal_changed`.

The set's version is the plan's guard against concurrent goal changes: adding or retiring a
goal writes it at the version read, finalizing checks it. A transaction cancelled on it is
one 409 (:func:`changed_meanwhile`), whichever of the three wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from functions.plan.records import GoalSet, StoredGoal
from shared import keys
from shared.adapters.table import ConditionFailed, StaleVersion, Table, UnitOfWork
from shared.errors import NotFound, VersionConflict

WHAT = "Goal set"
GOAL = "Goal"
Record = dict[str, Any]


# =========================================================================== goals
def get_goal(table: Table, cycle_id: str, goal_id: str) -> StoredGoal:
    """The goal, or 404."""
    item = table.get(keys.plan_goal(cycle_id, goal_id))
    if item is None:
        raise NotFound(f"{GOAL} not found.")
    return StoredGoal.from_item(item)


def save_goal(uow: UnitOfWork, goal: StoredGoal, fields: Mapping[str, Any]) -> Record:
    """``goal`` written back with ``fields`` if it is still at the version read."""
    return uow.replace({**goal.item, **fields}, expected_version=goal.version, what=GOAL)


def goal_changed(failed: StaleVersion, goal: StoredGoal) -> Record | None:
    """The goal as stored now, if ``failed`` is its write finding it changed; else None."""
    return failed.stored if failed.on(goal.key) else None


# =========================================================================== goal sets


def get_goal_set(table: Table, cycle_id: str) -> GoalSet:
    """The plan's goal set as stored (version 0 and no goals if it has none yet)."""
    return GoalSet.from_item(cycle_id, table.get(GoalSet(cycle_id).key))


def save_goal_set(uow: UnitOfWork, read: GoalSet, active: Iterable[str]) -> GoalSet:
    """``read`` with ``active`` goals instead, written if the set is still at the version read."""
    after = GoalSet(read.cycle_id, tuple(active), read.version + 1)
    uow.save_at_version(after.to_item(), expected_version=read.version, what=WHAT)
    return after


def require_unchanged(uow: UnitOfWork, read: GoalSet) -> None:
    """``uow`` commits only if the set is still at the version read (it is not written)."""
    uow.check_version(read.key, read.version, what=WHAT)


def changed_meanwhile(failed: ConditionFailed, cycle_id: str) -> VersionConflict | None:
    """The 409 when ``failed`` is the goal set's condition; else None."""
    if not failed.on(GoalSet(cycle_id).key):
        return None
    return VersionConflict(
        "The plan's goals changed meanwhile (a goal was added or retired): reload and retry.",
        current=None,
    )
