"""When the reminders job looks at a cycle, and the records that tell it so. Pure.

Here in ``shared/`` because two functions need it: the assessment service writes these
records in the transaction that opens a cycle, and the reminders job
(``functions/notify/reminder_job.py``) reads them by day. Whether a reminder still applies
when its day comes is the job's rule (``functions/notify/reminders.py``).

A cycle's due date is fixed when it opens (no operation changes it), so its records never
move; a cycle submitted, archived or superseded in between keeps them, and the job, which
re-reads the cycle, publishes nothing for them.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from shared import keys

Record = dict[str, Any]

#: The "due soon" reminder comes this many days before the due date.
DUE_SOON_DAYS = 7


class ReminderKind(StrEnum):
    DUE_SOON = "due-soon"  # the due date is a week away
    OVERDUE = "overdue"  # the due date has passed


def reminder_days(due_date: date) -> dict[ReminderKind, date]:
    """The day each reminder of a cycle due on ``due_date`` is looked at."""
    return {
        ReminderKind.DUE_SOON: due_date - timedelta(days=DUE_SOON_DAYS),
        ReminderKind.OVERDUE: due_date + timedelta(days=1),
    }


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
