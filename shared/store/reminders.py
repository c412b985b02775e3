"""The reminders job's records in the table: what it does on which day, and whom it watches.

The assessment service writes them in the transaction that opens a cycle
(:func:`reminder_records`); the reminders job (``functions/notify/reminder_job.py``) reads the
day's due records and the watch list through the sparse index, deletes each due record once
acted on, drops a watch once the cycle is done, and records each affiliate's weekly digest as
sent. When each reminder comes is the pure rule of ``shared/domain/reminders.py``.

A cycle's due date is fixed when it opens (no operation changes it), so its records never
move; a cycle submitted, archived or superseded in between keeps them, and the job, which
re-reads the cycle, publishes nothing for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared import keys
from shared.adapters.table import Table, UnitOfWork
from shared.domain.reminders import ReminderKind, reminder_days

Record = dict[str, Any]


# =========================================================================== the records
def due_record(cycle_id: str, kind: ReminderKind, day: date) -> Record:
    """What the job does for a cycle on ``day``: found by day in the sparse index, deleted
    once acted on (so a second run of that day finds nothing)."""
    return {
        **keys.reminder_due(cycle_id, day.isoformat(), kind.value),
        "type": "reminder_due",
        "cycle_id": cycle_id,
        "kind": kind.value,
        "day": day.isoformat(),
        "gsi1pk": keys.reminders_due_index_pk(day.isoformat()),
        "gsi1sk": cycle_id,
    }


def watch_record(cycle_id: str, program_id: str) -> Record:
    """The cycle in the weekly digest's watch list (whom its work concerns is read from the
    cycle's own copy of its program's affiliates)."""
    return {
        **keys.reminder_watch(cycle_id),
        "type": "reminder_watch",
        "cycle_id": cycle_id,
        "program_id": program_id,
        "gsi1pk": keys.REMINDERS_WATCH_INDEX_PK,
        "gsi1sk": cycle_id,
    }


def reminder_records(cycle_id: str, program_id: str, due_date: date, today: date) -> list[Record]:
    """The records of a cycle opened ``today``: its watch, and each reminder day still ahead
    (a cycle due within a week gets no "due soon": its opening message names the date)."""
    days = [
        due_record(cycle_id, kind, day)
        for kind, day in reminder_days(due_date).items()
        if day > today
    ]
    return [watch_record(cycle_id, program_id), *days]


# =========================================================================== the job's reads
@dataclass(frozen=True)
class DueReminder:
    """A stored due record: the cycle to look at, on which day, for which reminder."""

    cycle_id: str
    day: str
    kind: ReminderKind
    version: int

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> DueReminder:
        return cls(
            cycle_id=str(item["cycle_id"]),
            day=str(item["day"]),
            kind=ReminderKind(item["kind"]),
            version=int(item["version"]),
        )


@dataclass(frozen=True)
class Watch:
    """A cycle on the weekly digest's watch list, at its version."""

    cycle_id: str
    version: int

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Watch:
        return cls(cycle_id=str(item["cycle_id"]), version=int(item["version"]))


def due_on(table: Table, day: date) -> list[DueReminder]:
    """What the job does on ``day`` (one query of the sparse index)."""
    found = table.query_all(keys.reminders_due_index_pk(day.isoformat()), index=keys.GSI1)
    return [DueReminder.from_item(i) for i in found]


def acted_on(uow: UnitOfWork, due: DueReminder) -> None:
    """The due record deleted in ``uow``, if no other run deleted it first."""
    uow.delete(
        keys.reminder_due(due.cycle_id, due.day, due.kind.value),
        expected_version=due.version,
        what="Reminder",
    )


def watched(table: Table) -> list[Watch]:
    """Every cycle on the watch list (one query of the sparse index)."""
    found = table.query_all(keys.REMINDERS_WATCH_INDEX_PK, index=keys.GSI1)
    return [Watch.from_item(i) for i in found]


def unwatch(uow: UnitOfWork, watch: Watch) -> None:
    """The cycle taken off the watch list in ``uow``."""
    uow.delete(keys.reminder_watch(watch.cycle_id), expected_version=watch.version, what="Watch")


def digest_sent(uow: UnitOfWork, affiliate_id: str, week_of: date, *, expires_at: int) -> None:
    """The affiliate's digest of the week of ``week_of`` recorded as sent in ``uow``: created
    once, so a second run (or a racing one) fails the commit and sends nothing."""
    uow.create(
        {
            **keys.overdue_digest_sent(affiliate_id, week_of.isoformat()),
            "type": "overdue_digest_sent",
            "affiliate_id": affiliate_id,
            "week_of": week_of.isoformat(),
            "expires_at": expires_at,
        },
        what="Overdue digest",
    )


#: The reminders job's record of the last day it did (``shared/store/daily_jobs.py``).
JOB = keys.reminder_job()
