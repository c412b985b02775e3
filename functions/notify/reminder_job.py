"""The daily reminders job: "assessment due in 7 days", "assessment overdue", and on Mondays
each affiliate's digest of overdue work. It publishes events through the outbox (the notify
consumer sends the emails) and never scans the table.

- **Reminders.** Each cycle has one small record per day the job looks at it, written when
  the cycle opens (``shared/domain/reminders.py``), in the sparse index partition of that day: one
  query reads a day, so a run costs what is due that day, never what exists. Acting on a
  record deletes it (at its version) in the transaction that publishes the event, which also
  checks the cycle is still answerable: a second run of the same day, or two racing, publish
  once, and a cycle submitted meanwhile gets nothing.
- **Catch-up.** The last day done is remembered (``JOB#reminders``): the next run does every
  day since, so a missed day is caught up (up to :data:`MAX_CATCH_UP_DAYS`).
- **Digest.** Overdue work is found from the watch list, a sparse index partition of the live
  cycles (one watch record each, written at opening and dropped here once the cycle is
  superseded or archived): their cycle records in batches of 100, and the goals of each plan
  in effect with one query of its partition. The plan service writes no record the job could
  index goals by, and a program's goals all sit in its current plan, so this reads what the
  live cycles hold, weekly, and nothing of finished ones. A conditional record per affiliate
  and week makes each digest go out once.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from functions.notify import reminders as rules
from shared import clock
from shared.adapters.retry import Retry
from shared.adapters.table import ConditionFailed, Table, default_table
from shared.collector import entry_point
from shared.domain.cycle_states import ANSWERABLE
from shared.domain.reminders import ReminderKind
from shared.errors import Conflict, NotFound
from shared.events import SYSTEM, new_event
from shared.events.reminders import AssessmentDueSoon, AssessmentOverdue, OverdueDigestDue
from shared.settings import FunctionSettings, cold_start
from shared.store import cycles as cycle_store
from shared.store import reminders as reminder_store
from shared.store.daily_jobs import days_to_do, record_done
from shared.store.plan_goals import goals_of_cycle
from shared.store.reminders import DueReminder, Watch

cold_start(FunctionSettings)

#: Days a run looks back at most (the first run, or after a long outage).
MAX_CATCH_UP_DAYS = 92
#: How long a digest's "sent" record is kept: past any week a run could still catch up.
DIGEST_RECORD_DAYS = 60
#: Attempts at one reminder when the cycle changes between reading and publishing.
CYCLE_CHANGED = Retry(attempts=3)


@dataclass(frozen=True)
class RunReport:
    days: int
    due_soon: int
    overdue: int
    digests: int


@entry_point
def remind(event: dict[str, Any], context: Any) -> dict[str, int]:
    """The scheduled entry point: one run, every day since the last one through today."""
    report = run(default_table(), correlation_id=str(event.get("id") or "schedule"))
    return asdict(report)


def run(table: Table, correlation_id: str) -> RunReport:
    today = clock.now().date()
    days = days_to_do(table, reminder_store.JOB, today, MAX_CATCH_UP_DAYS)
    done_days = due_soon = overdue = 0
    for day in days:
        for due in reminder_store.due_on(table, day):
            done = _act(table, due, today, correlation_id)
            due_soon += done is ReminderKind.DUE_SOON
            overdue += done is ReminderKind.OVERDUE
        done_days += 1
    week = rules.digest_week(days.first, today)
    sent = _send_digests(table, week, today, correlation_id) if week else 0
    record_done(table, days)
    return RunReport(done_days, due_soon, overdue, sent)


# =========================================================================== reminders
class _CycleChanged(Conflict):
    """The cycle left the answerable states between the read and the commit."""


def _act(table: Table, due: DueReminder, today: date, correlation_id: str) -> ReminderKind | None:
    """One due record: deleted, with its event if it still applies, in one transaction; the
    kind published, or None. A cycle that changed meanwhile is read again."""
    try:
        return CYCLE_CHANGED.run(
            lambda: _act_once(table, due, today, correlation_id), on=(_CycleChanged,)
        )
    except _CycleChanged:
        return None


def _act_once(
    table: Table, due: DueReminder, today: date, correlation_id: str
) -> ReminderKind | None:
    kind = due.kind
    cycle = cycle_store.read(table, due.cycle_id)
    applies = (
        cycle is not None
        and cycle.due_date is not None
        and rules.still_applies(kind, cycle.state, cycle.due_date, today)
    )
    uow = table.unit_of_work()
    reminder_store.acted_on(uow, due)
    if cycle is not None and cycle.due_date is not None and applies:
        cycle_store.guard_state(uow, cycle.cycle_id, ANSWERABLE)
        data = (AssessmentDueSoon if kind is ReminderKind.DUE_SOON else AssessmentOverdue)(
            cycle_id=cycle.cycle_id,
            program_id=cycle.program_id,
            affiliate_ids=sorted(cycle.affiliate_ids),
            due_date=cycle.due_date,
        )
        uow.emit(
            new_event(
                data,
                actor=SYSTEM,
                correlation_id=correlation_id,
                affiliate_ids=list(cycle.affiliate_ids),
                program_id=cycle.program_id,
                cycle_id=cycle.cycle_id,
            )
        )
    try:
        uow.commit()
    except ConditionFailed as failed:
        if cycle_store.state_refused(failed, due.cycle_id):
            raise _CycleChanged("The cycle changed.") from failed  # read it again
        return None  # another run acted on it first
    return kind if applies else None


# =========================================================================== the digest
def _send_digests(table: Table, week_of: date, today: date, correlation_id: str) -> int:
    """Each affiliate's digest of the week of ``week_of``, once; how many were published."""
    watched = reminder_store.watched(table)
    cycles = cycle_store.read_many(table, [w.cycle_id for w in watched])
    work: list[rules.OverdueWork] = []
    for watch in watched:
        cycle = cycles.get(watch.cycle_id)
        if cycle is None or not rules.still_watched(cycle.state):
            _unwatch(table, watch)
            continue
        goal_ids: list[str] = []
        if cycle.state in rules.GOALS_IN_EFFECT:
            goals = goals_of_cycle(table, cycle.cycle_id)
            goal_ids = [g.goal_id for g in goals if g.overdue(today)]
        work.append(
            rules.OverdueWork(
                cycle_id=cycle.cycle_id,
                affiliate_ids=cycle.affiliate_ids,
                assessment_overdue=cycle.due_date is not None
                and rules.assessment_overdue(cycle.state, cycle.due_date, today),
                goal_ids=tuple(goal_ids),
            )
        )
    sent = 0
    expires_at = int(clock.now().timestamp()) + DIGEST_RECORD_DAYS * 86400
    for affiliate_id, digest in rules.digests(work).items():
        uow = table.unit_of_work()
        reminder_store.digest_sent(uow, affiliate_id, week_of, expires_at=expires_at)
        data = OverdueDigestDue(
            affiliate_id=affiliate_id,
            week_of=week_of,
            cycle_ids=digest.cycle_ids,
            goals=digest.goals,
        )
        event = new_event(
            data, actor=SYSTEM, correlation_id=correlation_id, affiliate_ids=[affiliate_id]
        )
        uow.emit(event)
        try:
            uow.commit()
        except Conflict:
            continue  # this week's digest was already published (an earlier or racing run)
        sent += 1
    return sent


def _unwatch(table: Table, watch: Watch) -> None:
    uow = table.unit_of_work()
    reminder_store.unwatch(uow, watch)
    with contextlib.suppress(NotFound, Conflict):
        uow.commit()
