"""Badge figures for ``make bench``: the daily expiry job's DynamoDB requests as the number of
active badges grows (they should follow the badges due that day, not all badges), and the
requests of the badge service's public reads.

Runs against moto in-process (``scripts.bench._mocked_world``, with the local stack's moto
fixes: moto's own transactions copy the whole table each time). Its timings are moto's: an
index query walks the whole table there, so only the request counts say what DynamoDB pays.
Badges are written directly, as the issuer writes them (``records.badge_record``,
``records.due_records``), so 10,000 of them take seconds rather than 10,000 plan walkthroughs.
Sizes: BENCH_BADGES_SMALL, BENCH_BADGES_LARGE, BENCH_BADGES_DUE.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

SMALL = int(os.environ.get("BENCH_BADGES_SMALL", "100"))
LARGE = int(os.environ.get("BENCH_BADGES_LARGE", "10000"))
DUE = int(os.environ.get("BENCH_BADGES_DUE", "10"))
RUN_DAY = date(2030, 6, 3)


def badges_with_due_dates(
    count: int, due: int, run_day: date, tag: int = 0
) -> list[dict[str, Any]]:
    """``count`` Step 1 badges of distinct programs (their records and due records), issued
    400 days before ``run_day``; ``due`` of them expire on ``run_day`` (valid until the day
    before), the others later, spread over almost three years (about ``count / 1000`` of them
    due on any later day, none within 10 days of ``run_day``)."""
    from functions.badge import records
    from functions.badge.rules import Level

    issued_on = run_day - timedelta(days=400)
    items: list[dict[str, Any]] = []
    for n in range(count):
        later = run_day + timedelta(days=100 + n % 1000)
        until = run_day - timedelta(days=1) if n < due else later
        ident = f"{tag:04x}{n:016x}"
        badge = records.badge_record(
            badge_id=f"bdg_{ident}",
            level=Level.STEP_1,
            cycle={"cycle_id": f"cyc_{ident}", "affiliate_ids": ["aff_bench"], "review_date": "x"},
            program={"program_id": f"prg_{ident}", "name": f"Program {n}"},
            affiliate={"affiliate_id": "aff_bench", "name": "MENTOR Bench", "state": "VA"},
            valid_until=until,
            issued_at=f"{issued_on.isoformat()}T00:00:00Z",
            verify_token=f"t{n}.p.s",
        )
        items.append({**badge, "version": 1})
        due_records = records.due_records(badge["badge_id"], until, issued_on)
        items += [{**d, "version": 1} for d in due_records]
    return items


def write_items(items: list[dict[str, Any]]) -> None:
    from shared.adapters import aws
    from shared.adapters.table import to_ddb
    from shared.settings import FunctionSettings, get_settings

    client, name = aws.dynamodb(), get_settings(FunctionSettings).table_name
    for start in range(0, len(items), 25):
        batch = items[start : start + 25]
        pending: Any = {name: [{"PutRequest": {"Item": to_ddb(i)}} for i in batch]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending)["UnprocessedItems"]


def last_ran_on(day: date) -> None:
    """Record that the expiry job last ran for ``day`` (its next run does the day after)."""
    from shared import keys

    state = {**keys.badge_expiry_job(), "type": "job_state", "last_day": day.isoformat()}
    write_items([{**state, "version": 1}])


@contextmanager
def _clock_on(day: date) -> Iterator[None]:
    from shared import clock

    with clock.use_clock(clock.OffsetClock(day - date.today())):
        yield


def expiry_job_requests() -> list[tuple[str, int, int, int, str, float]]:
    """(label, active badges, due that day, requests, which, seconds) per run of the job."""
    from infra.local import moto_dynamodb
    from scripts.bench import _Counter, _mocked_world
    from shared.adapters import aws

    # As the local stack runs moto: a transaction costs what it touches, not the whole table.
    moto_dynamodb.install()
    rows: list[tuple[str, int, int, int, str, float]] = []
    for count, due in ((SMALL, DUE), (LARGE, DUE), (LARGE, DUE * 3)):
        with _mocked_world():
            from functions.badge import expiry
            from shared.adapters.table import default_table

            table = default_table()
            write_items(badges_with_due_dates(count, due, RUN_DAY))
            last_ran_on(RUN_DAY - timedelta(days=1))
            counter = _Counter()
            aws.dynamodb().meta.events.register("before-call.dynamodb", counter)
            started = time.perf_counter()
            with _clock_on(RUN_DAY):
                report = expiry.run(table, "bench")
            seconds = time.perf_counter() - started
            assert report.expired == due, report
            which = ", ".join(f"{k} {v}" for k, v in sorted(counter.calls.items()))
            rows.append(
                (
                    "badge-expiry job, one day",
                    count,
                    due,
                    sum(counter.calls.values()),
                    which,
                    seconds,
                )
            )
    return rows
