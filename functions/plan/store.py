"""The plan's records in the table: read, written and checked at the version read.

The use cases (``functions/plan/logic.py``) depend on the :class:`Plans` protocol; the handler
gives them the single table's, :class:`TablePlans`. Everything of a plan lives in its partition
(``shared/keys/plan.py``): one query reads it whole (:meth:`Plans.read_plan`).

A goal is read as a :class:`~functions.plan.records.StoredGoal` and written back at its
version (:func:`save_goal`); a goal changed meanwhile is found with :func:`goal_changed`.

The set's version is the plan's guard against concurrent goal changes: adding or retiring a
goal writes it at the version read, finalizing checks it. A transaction cancelled on it is
one 409 (:func:`changed_meanwhile`), whichever of the three wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from functions.plan.records import GoalSet, PlanRecords, StoredGoal, sort_partition
from shared import keys
from shared.adapters.table import ConditionFailed, StaleVersion, Table, UnitOfWork
from shared.errors import NotFound, VersionConflict
from shared.store.clashes import Clash, clash_on
from shared.store.lookup import batch_lookup

WHAT = "Goal set"
GOAL = "Goal"
TEXT = "Plan text"
Record = dict[str, Any]

#: The evidence library's state of a confirmed upload (functions/assessment/evidence.py).
EVIDENCE_AVAILABLE = "available"


@dataclass(frozen=True)
class GoalFacts:
    """What a goal's definition is checked against, read in one request: whether its owner is
    a staff member of the program, the program's rating of the item in this cycle (None when
    unanswered, answered no or n/a), and the goal set when it was asked for."""

    owner_is_staff: bool
    rating: int | None
    goal_set: GoalSet | None


class Plans(Protocol):
    """A cycle's plan as the use cases read and write it (the table's: :class:`TablePlans`)."""

    def read_plan(self, cycle_id: str) -> PlanRecords:
        """The whole plan (text, goal set, goals, updates, history), with one query."""
        ...

    def get_text(self, cycle_id: str) -> Record | None:
        """The plan's text as stored, if it has one."""
        ...

    def get_goal(self, cycle_id: str, goal_id: str) -> StoredGoal:
        """The goal, or 404."""
        ...

    def get_goal_set(self, cycle_id: str) -> GoalSet:
        """The goal set as stored (version 0 and no goals if it has none yet)."""
        ...

    def goal_with_set(self, cycle_id: str, goal_id: str) -> tuple[StoredGoal, GoalSet]:
        """The goal (or 404) and the goal set, in one request."""
        ...

    def goal_facts(
        self, cycle_id: str, program_id: str, owner_id: str, item_key: str, *, with_set: bool
    ) -> GoalFacts:
        """The owner's membership, the item's answer (and the goal set), in one request."""
        ...

    def available_evidence(self, program_id: str, document_ids: Iterable[str]) -> set[str]:
        """Those of ``document_ids`` that are available documents of the program's evidence."""
        ...

    def save_text(self, uow: UnitOfWork, record: Record, *, expected_version: int) -> Record:
        """The text written in ``uow`` if it is still at ``expected_version`` (0: none yet)."""
        ...

    def create_goal(self, uow: UnitOfWork, record: Record) -> Record:
        """A new goal written in ``uow``."""
        ...

    def save_goal(self, uow: UnitOfWork, goal: StoredGoal, fields: Mapping[str, Any]) -> Record:
        """``goal`` written back with ``fields`` if it is still at the version read."""
        ...

    def save_goal_set(self, uow: UnitOfWork, read: GoalSet, active: Iterable[str]) -> GoalSet:
        """``read`` with ``active`` goals instead, if the set is still at the version read."""
        ...

    def require_unchanged(self, uow: UnitOfWork, read: GoalSet) -> None:
        """``uow`` commits only if the set is still at the version read (it is not written)."""
        ...


class TablePlans:
    """The plans in the single table: each plan in its cycle's plan partition."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def read_plan(self, cycle_id: str) -> PlanRecords:
        return sort_partition(self._table.query_all(keys.plan_partition(cycle_id)))

    def get_text(self, cycle_id: str) -> Record | None:
        return self._table.get(keys.plan_text(cycle_id))

    def get_goal(self, cycle_id: str, goal_id: str) -> StoredGoal:
        return get_goal(self._table, cycle_id, goal_id)

    def get_goal_set(self, cycle_id: str) -> GoalSet:
        return get_goal_set(self._table, cycle_id)

    def goal_with_set(self, cycle_id: str, goal_id: str) -> tuple[StoredGoal, GoalSet]:
        goal_key, set_key = keys.plan_goal(cycle_id, goal_id), GoalSet(cycle_id).key
        found = batch_lookup(self._table, [goal_key, set_key])
        stored = found.get(goal_key)
        if stored is None:
            raise NotFound(f"{GOAL} not found.")
        return StoredGoal.from_item(stored), GoalSet.from_item(cycle_id, found.get(set_key))

    def goal_facts(
        self, cycle_id: str, program_id: str, owner_id: str, item_key: str, *, with_set: bool
    ) -> GoalFacts:
        owner = keys.membership(owner_id, "program", program_id)
        answer = keys.answer(cycle_id, item_key)
        goal_set = GoalSet(cycle_id).key
        found = batch_lookup(self._table, [owner, answer, *([goal_set] if with_set else [])])
        rating = (found.get(answer) or {}).get("rating")
        return GoalFacts(
            owner_is_staff=owner in found,
            rating=int(rating) if rating is not None else None,
            goal_set=GoalSet.from_item(cycle_id, found.get(goal_set)) if with_set else None,
        )

    def available_evidence(self, program_id: str, document_ids: Iterable[str]) -> set[str]:
        wanted = [keys.evidence(program_id, d) for d in document_ids]
        if not wanted:
            return set()
        found = self._table.batch_get(wanted)
        return {str(d["document_id"]) for d in found if d.get("state") == EVIDENCE_AVAILABLE}

    def save_text(self, uow: UnitOfWork, record: Record, *, expected_version: int) -> Record:
        return uow.save_at_version(record, expected_version=expected_version, what=TEXT)

    def create_goal(self, uow: UnitOfWork, record: Record) -> Record:
        return uow.create(record, what=GOAL)

    def save_goal(self, uow: UnitOfWork, goal: StoredGoal, fields: Mapping[str, Any]) -> Record:
        return save_goal(uow, goal, fields)

    def save_goal_set(self, uow: UnitOfWork, read: GoalSet, active: Iterable[str]) -> GoalSet:
        return save_goal_set(uow, read, active)

    def require_unchanged(self, uow: UnitOfWork, read: GoalSet) -> None:
        require_unchanged(uow, read)


def text_clash(failed: ConditionFailed, cycle_id: str) -> Clash[Record] | None:
    """The clash, if ``failed`` is the plan text's own condition (the text as stored now)."""
    return clash_on(failed, keys.plan_text(cycle_id), dict)


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
