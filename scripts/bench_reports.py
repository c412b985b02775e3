"""Aggregate figures for ``make bench``: the DynamoDB requests and the time of reading an
aggregate (an affiliate's, and the country's with the grid) with few and with many programs,
side by side, and of the consumer keeping them when one more assessment is submitted. Both
should stay flat as the country grows: a read is the grid and one cell's part records.

Runs against moto in-process (``scripts.bench._mocked_world``, with the local stack's moto
fixes). The counters are written as the consumer leaves them (the sum of every cycle's
deltas, ``functions.report.aggregates``), with a contribution record per cycle, so 5,000
programs take seconds rather than 5,000 submissions. Sizes: BENCH_AGGREGATE_SMALL,
BENCH_AGGREGATE_LARGE; timings are the median of BENCH_RUNS reads.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

SMALL = int(os.environ.get("BENCH_AGGREGATE_SMALL", "50"))
LARGE = int(os.environ.get("BENCH_AGGREGATE_LARGE", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
AFFILIATES = 10
YEARS = ("2024", "2025", "2026")
Row = tuple[str, int, int, str, float]


def seeded_items(programs: int) -> list[dict[str, Any]]:
    """A submitted cycle per program over ``AFFILIATES`` affiliates and three years, as the
    consumer leaves the table: each cycle's contribution record, the counters and the grid."""
    from functions.report import aggregates
    from shared import keys
    from shared.domain.instrument import load_instrument

    instrument = load_instrument()
    counters: dict[aggregates.CounterRecord, Counter[str]] = {}
    grid: Counter[str] = Counter()
    items: list[dict[str, Any]] = []
    for n in range(programs):
        answers = {
            item.key: ("yes", 1 + (n + i) % 5) if (n + i) % 4 else ("no", None)
            for i, item in enumerate(instrument.items)
        }
        counted = aggregates.contribution_of(
            cycle_id=f"cyc_{n:020x}",
            program_id=f"prg_{n:020x}",
            state="submitted",
            submitted_at=f"{YEARS[n % len(YEARS)]}-04-01T10:00:00Z",
            instrument_key=instrument.key,
            instrument_version=instrument.version,
            affiliate_ids=[f"aff_{n % AFFILIATES:020x}"],
            answers=answers,
        )
        assert counted is not None
        for record, deltas in aggregates.counter_deltas(None, counted, instrument).items():
            counters.setdefault(record, Counter()).update(deltas)
        for cell in counted.cells:
            grid[aggregates.grid_cell_name(cell)] += 1
            items.append(
                {
                    **keys.program_cell(counted.program_id, instrument.key, 1, *cell),
                    "cycles": 1,
                    "version": 1,
                }
            )
        items.append(
            {
                **keys.contribution(counted.cycle_id),
                "contribution": counted.to_record(),
                "version": 1,
            }
        )
    for (scope, period, part), values in counters.items():
        items.append(
            {
                **keys.aggregate_part(instrument.key, 1, scope, period, part),
                **values,
            }
        )
    items.append({**keys.aggregate_grid(instrument.key, 1), **grid})
    return items


def aggregate_reads() -> list[Row]:
    """(read, programs, requests, which, ms) for each read at each size."""
    from infra.local import moto_dynamodb
    from scripts.bench import _Counter, _mocked_world
    from scripts.bench_badges import write_items

    moto_dynamodb.install()
    rows: list[Row] = []
    for programs in (SMALL, LARGE):
        with _mocked_world():
            from functions.report import aggregates_logic
            from shared.adapters import aws
            from shared.adapters.table import default_table
            from shared.context import Context
            from shared.identity import Caller, Grant, Membership, Role

            table = default_table()
            write_items(seeded_items(programs))
            caller = Caller(
                user_id="bench",
                roles=frozenset({Role.NATIONAL_STAFF}),
                memberships=(Membership("national", None, frozenset({Grant.RESULTS.value})),),
            )
            affiliate = f"aff_{0:020x}"
            write_items([{"pk": f"AFFILIATE#{affiliate}", "sk": "AFFILIATE", "version": 1}])

            reads: list[tuple[str, Callable[[], Any]]] = [
                (
                    "an affiliate's aggregate, 2026",
                    partial(
                        aggregates_logic.affiliate_aggregate,
                        Context(caller, "getAffiliateAggregate", "bench"),
                        table,
                        affiliate,
                        1,
                        "2026",
                    ),
                ),
                (
                    "the country's, every year, and the grid",
                    partial(
                        aggregates_logic.national_aggregate,
                        Context(caller, "getNationalAggregate", "bench"),
                        table,
                        1,
                        "all",
                    ),
                ),
            ]
            for label, read in reads:
                counter = _Counter()
                aws.dynamodb().meta.events.register("before-call.dynamodb", counter)
                read()
                aws.dynamodb().meta.events.unregister("before-call.dynamodb", counter)
                times = []
                for _ in range(RUNS):
                    started = time.perf_counter()
                    read()
                    times.append(time.perf_counter() - started)
                which = ", ".join(f"{k} {v}" for k, v in sorted(counter.calls.items()))
                rows.append(
                    (label, programs, sum(counter.calls.values()), which, statistics.median(times))
                )
    return rows
