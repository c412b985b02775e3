"""Plan records in the single table, and their API views. Pure.

Everything lives in the plan partition (``shared/keys/plan.py``), so one query reads a plan
with its goals, progress and history. Finalization is recorded on the cycle record
(``plan_finalized_at``, ``plan_finalized_by``), which the transition writes anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from functions.plan.models import (
    Goal,
    GoalIn,
    HistoryEntry,
    PartText,
    PlanText,
    PlanTextIn,
    ProgressUpdate,
)
from functions.plan.models import GoalWarning as WarningView
from functions.plan.rules import PLAN_PARTS, TEXT_FIELDS, GoalStatus, goal_warnings
from shared import keys
from shared.domain.goals import is_overdue
from shared.domain.instrument import Instrument, Item
from shared.store.cycles import Record

#: The fields of a goal's definition (what revisions change; the history names them).
DEFINITION_FIELDS = (
    "item_key",
    "item_code",
    "title",
    "action_steps",
    "owner_id",
    "baseline_rating",
    "target_rating",
    "start_date",
    "target_date",
)


def new_goal_id() -> str:
    return f"gol_{uuid.uuid4().hex[:20]}"


def _entry_id() -> str:
    return uuid.uuid4().hex[:8]


# =========================================================================== text
def text_fields(body: PlanTextIn) -> Record:
    """The text as flat fields (``management_strengths``...), so history names each."""
    return {
        f"{part}_{name}": getattr(getattr(body, part), name)
        for part in PLAN_PARTS
        for name in TEXT_FIELDS
    }


TEXT_RECORD_FIELDS = tuple(f"{part}_{name}" for part in PLAN_PARTS for name in TEXT_FIELDS)


def text_record(cycle_id: str, body: PlanTextIn, changed_by: str, changed_at: str) -> Record:
    return {
        **keys.plan_text(cycle_id),
        "type": "plan_text",
        "cycle_id": cycle_id,
        **text_fields(body),
        "changed_by": changed_by,
        "changed_at": changed_at,
    }


def text_view(record: Mapping[str, Any] | None) -> PlanText:
    stored = record or {}
    parts = {
        part: PartText(**{name: stored.get(f"{part}_{name}") or "" for name in TEXT_FIELDS})
        for part in PLAN_PARTS
    }
    return PlanText(
        **parts,
        changed_by=stored.get("changed_by"),
        changed_at=stored.get("changed_at"),
        version=int(stored.get("version", 0)),
    )


# =========================================================================== goals
def goal_definition(item: Item, body: GoalIn, baseline: int | None) -> Record:
    return {
        "item_key": item.key,
        "item_code": item.code,
        "title": body.title,
        "action_steps": list(body.action_steps),
        "owner_id": body.owner_id,
        "baseline_rating": baseline,
        "target_rating": body.target_rating,
        "start_date": body.start_date.isoformat(),
        "target_date": body.target_date.isoformat(),
    }


def goal_record(cycle_id: str, goal_id: str, definition: Record, created_by: str) -> Record:
    return {
        **keys.plan_goal(cycle_id, goal_id),
        "type": "plan_goal",
        "cycle_id": cycle_id,
        "goal_id": goal_id,
        **definition,
        "status": GoalStatus.NOT_STARTED.value,
        "retired": False,
        "created_by": created_by,
    }


@dataclass(frozen=True)
class StoredGoal:
    """A stored goal, typed for what the use cases decide on. ``item`` is the record as read:
    a change writes it back with its fields, so the definition and history fields are kept."""

    cycle_id: str
    goal_id: str
    status: GoalStatus
    retired: bool
    item_key: str
    version: int
    item: Record = field(repr=False, compare=False)

    @property
    def key(self) -> dict[str, str]:
        return keys.plan_goal(self.cycle_id, self.goal_id)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> StoredGoal:
        return cls(
            cycle_id=str(item["cycle_id"]),
            goal_id=str(item["goal_id"]),
            status=GoalStatus(item["status"]),
            retired=bool(item.get("retired")),
            item_key=str(item["item_key"]),
            version=int(item["version"]),
            item=dict(item),
        )


@dataclass(frozen=True)
class GoalSet:
    """The plan's active goals: one versioned record, so adding, retiring and finalizing all
    see one count (two concurrent adds cannot make six). ``version`` 0: none stored yet."""

    cycle_id: str
    active: tuple[str, ...] = ()
    version: int = 0

    @property
    def key(self) -> dict[str, str]:
        return keys.plan_goal_set(self.cycle_id)

    @classmethod
    def from_item(cls, cycle_id: str, item: Mapping[str, Any] | None) -> GoalSet:
        if item is None:
            return cls(cycle_id)
        return cls(cycle_id, tuple(item.get("active") or ()), int(item.get("version", 0)))

    def to_item(self) -> Record:
        return {
            **self.key,
            "type": "plan_goal_set",
            "cycle_id": self.cycle_id,
            "active": list(self.active),
        }


def warnings_of(record: Mapping[str, Any], anchor: date) -> list[WarningView]:
    found = goal_warnings(
        baseline=record.get("baseline_rating"),
        target=int(record["target_rating"]),
        target_date=date.fromisoformat(record["target_date"]),
        anchor=anchor,
    )
    return [WarningView.model_validate(vars(w)) for w in found]


def goal_view(
    record: Mapping[str, Any],
    instrument: Instrument,
    *,
    today: date,
    anchor: date,
    updates: Iterable[Mapping[str, Any]] = (),
) -> Goal:
    """The goal under its item's code in this instrument, with what is computed at read:
    overdue (from today) and the gentle rules' warnings (from finalization, or today)."""
    item = instrument.item_by_key(record["item_key"])
    status = GoalStatus(record["status"])
    retired = bool(record.get("retired"))
    return Goal.model_validate(
        {
            **record,
            "item_code": item.code if item is not None else record["item_code"],
            "overdue": is_overdue(
                status, retired, date.fromisoformat(record["target_date"]), today
            ),
            "warnings": [] if retired else warnings_of(record, anchor),
            "evidence_ids": list(record.get("evidence_ids") or []),
            "progress": [ProgressUpdate.model_validate(u) for u in updates],
        }
    )


# =========================================================================== history, updates
def history_record(
    cycle_id: str,
    *,
    at: str,
    by: str,
    action: str,
    goal_id: str | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Record:
    return {
        **keys.plan_history(cycle_id, at, _entry_id()),
        "type": "plan_history",
        "cycle_id": cycle_id,
        "at": at,
        "by": by,
        "action": action,
        "goal_id": goal_id,
        "changes": dict(changes or {}),
    }


def update_record(cycle_id: str, goal_id: str, *, on: date, note: str, by: str, at: str) -> Record:
    return {
        **keys.goal_update(cycle_id, goal_id, at, _entry_id()),
        "type": "goal_update",
        "cycle_id": cycle_id,
        "goal_id": goal_id,
        "on": on.isoformat(),
        "note": note,
        "posted_by": by,
        "posted_at": at,
    }


def history_view(record: Mapping[str, Any]) -> HistoryEntry:
    return HistoryEntry.model_validate(record)


# =========================================================================== the partition
@dataclass
class PlanRecords:
    """One query of the plan partition, sorted out: goals active first then retired, each by
    creation; each goal's updates and the history in the order they were written."""

    text: Record | None = None
    goal_set: Record | None = None  # see GoalSet
    goals: list[Record] = field(default_factory=list)
    updates: dict[str, list[Record]] = field(default_factory=dict)
    history: list[Record] = field(default_factory=list)

    @property
    def active_ids(self) -> list[str]:
        return list((self.goal_set or {}).get("active") or [])


def sort_partition(items: Iterable[Record]) -> PlanRecords:
    found = PlanRecords()
    for item in items:
        sk = str(item["sk"])
        if sk == keys.plan_text("_")["sk"]:
            found.text = item
        elif sk == keys.plan_goal_set("_")["sk"]:
            found.goal_set = item
        elif sk.startswith(keys.GOAL_PREFIX):
            found.goals.append(item)
        elif sk.startswith(keys.GOAL_UPDATE_PREFIX):
            found.updates.setdefault(str(item["goal_id"]), []).append(item)
        elif sk.startswith(keys.PLAN_HISTORY_PREFIX):
            found.history.append(item)
    # Updates and history entries in the order they were written (their sort keys'); goals
    # active first, then retired, each by creation.
    by_key = _sort_key_of
    found.history.sort(key=by_key)
    for updates in found.updates.values():
        updates.sort(key=by_key)
    found.goals.sort(key=lambda g: (bool(g.get("retired")), str(g["created_at"])))
    return found


def _sort_key_of(item: Mapping[str, Any]) -> str:
    return str(item["sk"])
