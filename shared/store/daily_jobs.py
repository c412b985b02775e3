"""What a daily job has done: the last day it finished, so that a run does every day since
(a missed day is caught up) and a second run of the same day does nothing.

The badge expiry job and the reminders job keep one small record each (``JOB#<name>``); a run
reads it, does each day from the one after through today (at most ``max_catch_up`` back), and
records today. Two runs racing both do the days (their effects are idempotent); the later
record wins and nothing is lost.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.adapters.table import Table
from shared.errors import Conflict
from shared.keys import Key


@dataclass(frozen=True)
class DaysToDo:
    key: Key
    state: dict[str, Any] | None  # the job's record as read (None: its first run)
    first: date
    today: date

    def __iter__(self) -> Iterator[date]:
        day = self.first
        while day <= self.today:
            yield day
            day += timedelta(days=1)


def days_to_do(table: Table, key: Key, today: date, max_catch_up: int) -> DaysToDo:
    """The days from the one after the last finished through ``today`` (none if done)."""
    state = table.get(key)
    earliest = today - timedelta(days=max_catch_up)
    last = date.fromisoformat(state["last_day"]) if state else earliest
    return DaysToDo(key, state, max(last + timedelta(days=1), earliest), today)


def record_done(table: Table, days: DaysToDo) -> None:
    """Remember ``days.today`` as the last day finished (unless a later one is recorded)."""
    uow = table.unit_of_work()
    record = {**days.key, "type": "job_state", "last_day": days.today.isoformat()}
    state = days.state
    if state is None:
        uow.create(record, what="Job state")
    elif state["last_day"] < days.today.isoformat():
        uow.replace({**state, **record}, expected_version=int(state["version"]), what="Job state")
    else:
        return
    with contextlib.suppress(Conflict):  # a concurrent run recorded its day
        uow.commit()
