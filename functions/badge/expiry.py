"""The daily badge expiry job: for each day since its last run, the badges due that day.

Each badge has one small record per date something happens to it (``records.due_records``:
the 90- and 30-day notices and the day after ``valid_until``), in the sparse index partition
of that day; the job reads a day with one query, so its cost grows with the badges due that
day, never with all badges. Acting on a record deletes it in the same transaction as the
effect (the badge marked expired, the event), so a second run of the same day, or two runs
racing, act once. A day missed (the job did not run) is caught up on the next run. An expired
badge leaves the partner directory in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from functions.badge import listing, records, store
from functions.badge.logic import current_cycle, grace_months_of, status_in
from functions.badge.records import BadgeDue
from functions.badge.rules import BadgeStatus, add_months, expiry_day
from shared import clock
from shared.adapters.table import Table
from shared.errors import Conflict, NotFound
from shared.events.badge import BadgeExpired, BadgeExpiringSoon
from shared.store.daily_jobs import days_to_do, record_done

#: Days a run looks back at most (the first run, or after a long outage).
MAX_CATCH_UP_DAYS = 400


@dataclass(frozen=True)
class RunReport:
    days: int
    expired: int
    notices: int
    renewing: int


def run(table: Table, correlation_id: str) -> RunReport:
    """Every day from the one after the last run through today (the clock's date)."""
    days = days_to_do(table, store.EXPIRY_JOB, clock.now().date(), MAX_CATCH_UP_DAYS)
    report = RunReport(0, 0, 0, 0)
    for day in days:
        report = _add(report, _run_day(table, day, correlation_id))
    record_done(table, days)
    return report


def _add(a: RunReport, b: RunReport) -> RunReport:
    return RunReport(
        a.days + b.days, a.expired + b.expired, a.notices + b.notices, a.renewing + b.renewing
    )


def _run_day(table: Table, day: date, correlation_id: str) -> RunReport:
    expired = notices = renewing = 0
    for due in store.due_on(table, day):
        done = _act(table, due, day, correlation_id)
        expired += done == "expired"
        notices += done == "notice"
        renewing += done == "renewing"
    return RunReport(1, expired, notices, renewing)


def _act(table: Table, due: BadgeDue, day: date, correlation_id: str) -> str:
    """One due record: its effect and its deletion in one transaction; what was done."""
    badge = store.get_badge(table, due.badge_id)
    if badge is None:
        return "nothing"
    current = current_cycle(table, badge.program_id)
    grace_months = grace_months_of(table, badge.terms, current, day)
    status = status_in(badge.terms, current, day, grace_months)
    uow = table.unit_of_work()
    store.acted_on(uow, due)
    done = "nothing"
    event: BadgeExpired | BadgeExpiringSoon | None = None
    until = badge.valid_until
    if due.kind == "expire" and status is BadgeStatus.EXPIRED:
        expired = store.save_badge(uow, badge, {"expired_on": day.isoformat()})
        stored = listing.stored_badges(table, badge.program_id)
        listing.keep_listed(uow, badge.program_id, listing.as_left(stored, [expired]))
        event = BadgeExpired(
            badge_id=badge.badge_id, program_id=badge.program_id, valid_until=until
        )
        done = "expired"
    elif due.kind == "expire" and status is BadgeStatus.RENEWAL_IN_PROGRESS:
        # Valid while the newer cycle runs: look again the day after the grace period.
        again = expiry_day(add_months(until, grace_months))
        if again > day:
            uow.create(records.due_record(badge.badge_id, "expire", again), what="Due date")
        done = "renewing"
    elif due.kind.startswith("notice-") and status is BadgeStatus.ACTIVE:
        event = BadgeExpiringSoon(
            badge_id=badge.badge_id,
            program_id=badge.program_id,
            valid_until=until,
            days_left=(until - day).days,
        )
        done = "notice"
    if event is not None:
        uow.emit(records.badge_event(badge.item, event, correlation_id))
    try:
        uow.commit()
    except (NotFound, Conflict):
        return "nothing"  # another run acted on it first
    return done
