"""The plan's goal set in the table: read, written and checked at the version read.

The set's version is the plan's guard against concurrent goal changes: adding or retiring a
goal writes it at the version read, finalizing checks it. A transaction cancelled on it is
one 409 (:func:`changed_meanwhile`), whichever of the three wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from functions.plan.records import GoalSet
from shared.adapters.table import ConditionFailed, Table, UnitOfWork
from shared.errors import VersionConflict

WHAT = "Goal set"


class GoalSets(Protocol):
    """What the plan's use cases need of goal sets."""

    def get(self, cycle_id: str) -> GoalSet: ...


class TableGoalSets:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, cycle_id: str) -> GoalSet:
        return GoalSet.from_item(cycle_id, self.table.get(GoalSet(cycle_id).key))


def save(uow: UnitOfWork, read: GoalSet, active: Iterable[str]) -> GoalSet:
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
