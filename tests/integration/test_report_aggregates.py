"""The aggregates' consumer through its Lambda handler: assessment events in SQS batches, as the
rule and the queue deliver them. A cycle counts once however often, and in whatever order, its
events arrive; a return and resubmission replaces its answers in the counters."""

from __future__ import annotations

from typing import Any

from functions.report.aggregates import ALL_YEARS, COUNTRY, CYCLES
from shared import clock, keys
from shared.adapters.table import default_table
from shared.events import Envelope
from tests.integration.test_assessment import (
    INSTRUMENT,
    World,
    answer,
    answer_all,
    call,
    open_cycle,
    world,
)
from tests.support.consumers import as_body, bus_event, sqs_event
from tests.support.lambdas import LambdaContext, outbox_events

__all__ = ["world"]  # a fixture, imported to be used here

A1 = INSTRUMENT.items[0]


def deliver(*envelopes: dict[str, Any]) -> dict[str, Any]:
    from functions.report.aggregates_consumer import lambda_handler

    bodies = [as_body(bus_event(Envelope.model_validate(e))) for e in envelopes]
    return dict(lambda_handler(sqs_event(*bodies), LambdaContext()))


def design(scope: str, period: str) -> dict[str, Any]:
    """The design part's counters of a cell (empty when none was ever counted)."""
    key = keys.aggregate_part(INSTRUMENT.key, INSTRUMENT.version, scope, period, "design")
    return default_table().get(key) or {}


def programs(scope: str, period: str) -> int:
    grid = default_table().get(keys.aggregate_grid(INSTRUMENT.key, INSTRUMENT.version)) or {}
    return int(grid.get(f"{scope}|{period}", 0))


def affiliate_of(world: World) -> str:
    cycle = default_table().get(keys.current_cycle_guard(world.program))
    assert cycle is not None
    stored = default_table().get(keys.cycle(cycle["current_cycle_id"]))
    assert stored is not None
    (affiliate,) = stored["affiliate_ids"]
    return str(affiliate)


def test_a_cycle_counts_once_and_a_resubmission_replaces_it(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    params = {"cycleId": cycle_id}
    answer_all(world.alice, cycle_id, rating=3)
    assert call("POST", "/cycles/{cycleId}/submit", world.alice, params)[0] == 200
    year = clock.now_iso()[:4]
    affiliate = affiliate_of(world)

    (submitted,) = outbox_events("AssessmentSubmitted")
    assert deliver(submitted, submitted) == {"batchItemFailures": []}
    assert deliver(submitted) == {"batchItemFailures": []}
    for scope in (COUNTRY, affiliate):
        for period in (year, ALL_YEARS):
            counted = design(scope, period)
            assert counted[CYCLES] == 1
            assert counted[f"{A1.key}#yes"] == 1
            assert counted[f"{A1.key}#r3"] == 1
            assert programs(scope, period) == 1

    status, _, _ = call(
        "POST", "/cycles/{cycleId}/return", world.va_staff, params, body={"comment": "More."}
    )
    assert status == 200
    (returned,) = outbox_events("AssessmentReturned")
    assert deliver(returned) == {"batchItemFailures": []}
    assert design(COUNTRY, ALL_YEARS)[CYCLES] == 0
    assert design(COUNTRY, ALL_YEARS)[f"{A1.key}#r3"] == 0
    assert programs(COUNTRY, ALL_YEARS) == 0

    status, saved, _ = answer(
        world.alice, cycle_id, A1.code, {"in_practice": "yes", "rating": 5}, '"1"'
    )
    assert status == 200, saved
    assert call("POST", "/cycles/{cycleId}/submit", world.alice, params)[0] == 200
    second = next(e for e in outbox_events("AssessmentSubmitted") if e != submitted)
    # Out of order and repeated: the return again, the first submission again, the second.
    assert deliver(returned, submitted, second, second) == {"batchItemFailures": []}
    counted = design(affiliate, year)
    assert counted[CYCLES] == 1
    assert counted[f"{A1.key}#r5"] == 1
    assert counted[f"{A1.key}#r3"] == 0
    assert counted[f"{A1.key}#yes"] == 1
    assert programs(affiliate, year) == 1

    assert call("POST", "/cycles/{cycleId}/archive", world.va_staff, params)[0] == 200
    (archived,) = outbox_events("CycleArchived")
    assert deliver(archived) == {"batchItemFailures": []}
    assert design(affiliate, ALL_YEARS)[CYCLES] == 0
    assert design(affiliate, ALL_YEARS)[f"{A1.key}#yes"] == 0
    assert programs(affiliate, ALL_YEARS) == 0
    assert programs(COUNTRY, year) == 0


def test_a_late_event_of_a_cycle_still_open_counts_nothing(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    answer_all(world.alice, cycle_id)
    params = {"cycleId": cycle_id}
    assert call("POST", "/cycles/{cycleId}/submit", world.alice, params)[0] == 200
    assert (
        call("POST", "/cycles/{cycleId}/return", world.va_staff, params, body={"comment": "More."})[
            0
        ]
        == 200
    )
    # The submission arrives after the return: the cycle's state (returned) decides.
    (submitted,) = outbox_events("AssessmentSubmitted")
    assert deliver(submitted) == {"batchItemFailures": []}
    assert design(COUNTRY, ALL_YEARS) == {}
    assert programs(COUNTRY, ALL_YEARS) == 0
