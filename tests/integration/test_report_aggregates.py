"""The aggregates' consumer through its Lambda handler: assessment events in SQS batches, as the
rule and the queue deliver them. A cycle counts once however often, and in whatever order, its
events arrive; a return and resubmission replaces its answers in the counters."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest
import requests

from functions.notify.settings import notify_settings
from functions.report.aggregates import ALL_YEARS, COUNTRY, CYCLES
from functions.report.aggregates_store import refresh_contribution
from shared import adapters, clock, keys
from shared.adapters.table import default_table
from shared.events import Envelope
from shared.identity import Grant
from tests.integration.test_assessment import (
    INSTRUMENT,
    World,
    answer,
    answer_all,
    call,
    open_cycle,
    world,
)
from tests.integration.test_notify import _text, sent, to_of
from tests.support.aws import Resources
from tests.support.consumers import as_body, bus_event, sqs_event
from tests.support.lambdas import LambdaContext, User, header, invoke, outbox_events
from tests.support.people import audit_entries, national

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


# =========================================================================== the routes
AGGREGATE = "/affiliates/{affiliateId}/aggregates"


def read(
    user: User, affiliate_id: str | None, period: str = "all"
) -> tuple[int, Any, dict[str, Any]]:
    from functions.report.handler import lambda_handler

    query = {"instrumentVersion": "1", "period": period}
    if affiliate_id is None:
        return invoke(lambda_handler, "GET", "/aggregates", user, None, query=query)
    params = {"affiliateId": affiliate_id}
    return invoke(lambda_handler, "GET", AGGREGATE, user, params, query=query)


def counted_cycle(program_id: str, affiliate_ids: list[str], year: str, rating: int) -> None:
    """A submitted cycle written as the assessment service leaves it (A1 and A2 answered), then
    counted by the consumer's effect."""
    table = default_table()
    cycle_id = f"cyc_{uuid.uuid4().hex[:20]}"
    uow = table.unit_of_work()
    uow.create(
        {
            **keys.cycle(cycle_id),
            "type": "cycle",
            "cycle_id": cycle_id,
            "program_id": program_id,
            "affiliate_ids": affiliate_ids,
            "state": "submitted",
            "instrument_key": INSTRUMENT.key,
            "instrument_version": INSTRUMENT.version,
            "submitted_at": f"{year}-05-04T10:00:00Z",
        },
        what="Cycle",
    )
    for item, answer_ in ((A1, ("yes", rating)), (INSTRUMENT.items[1], ("no", None))):
        uow.create(
            {
                **keys.answer(cycle_id, item.key),
                "cycle_id": cycle_id,
                "item_key": item.key,
                "in_practice": answer_[0],
                "rating": answer_[1],
            },
            what="Answer",
        )
    uow.commit()
    uow = table.unit_of_work()
    assert refresh_contribution(table, uow, cycle_id)
    uow.commit()


def affiliate_ids(world: World) -> tuple[str, str]:
    from functions.directory.handler import lambda_handler

    _, listed, _ = invoke(lambda_handler, "GET", "/affiliates", world.admin)
    by_state = {a["state"]: a["affiliate_id"] for a in listed["items"]}
    return by_state["VA"], by_state["NE"]


def test_four_programs_are_withheld_whole_and_six_are_shown(world: World) -> None:
    va, ne = affiliate_ids(world)
    results = national(Grant.RESULTS)
    for n in range(4):
        counted_cycle(f"prg_{n:020x}", [va], "2026", rating=4)
    status, four, _ = read(world.va_staff, va)
    assert status == 200, four
    assert four["withheld"] is True
    assert four["reason"]
    assert (four["programs"], four["cycles"], four["sections"]) == (None, None, [])
    status, national_four, _ = read(results, None)
    assert status == 200, national_four
    assert national_four["aggregate"]["withheld"] is True
    assert all(cell["programs"] is None for cell in national_four["grid"])

    for n in range(4, 6):
        counted_cycle(f"prg_{n:020x}", [va], "2026", rating=2)
    status, six, _ = read(world.va_staff, va, period="2026")
    assert status == 200, six
    assert (six["withheld"], six["programs"], six["cycles"]) == (False, 6, 6)
    first = six["sections"][0]["items"][0]
    assert first["code"] == "A1"
    assert first["in_practice"] == {"yes": 6, "no": 0, "na": 0}
    assert first["ratings"] == {"1": 0, "2": 2, "3": 0, "4": 4, "5": 0}
    assert six["sections"][0]["share_in_place"] == 0.5  # A1 yes six times, A2 no six times
    # Nebraska serves none of them: its staff see an empty aggregate of their own, never VA's.
    status, theirs, _ = read(world.ne_staff, ne)
    assert (status, theirs["programs"]) == (200, 0)


def test_a_group_of_four_inside_an_affiliate_of_twelve_cannot_be_recovered(world: World) -> None:
    va, ne = affiliate_ids(world)
    results = national(Grant.RESULTS)
    for n, (affiliate, year) in enumerate(
        [(va, "2025")] * 4 + [(va, "2026")] * 8 + [(ne, "2025")] * 6 + [(ne, "2026")] * 7
    ):
        counted_cycle(f"prg_{n:020x}", [affiliate], year, rating=1 + n % 5)

    shown = {}
    for period in ("2025", "2026", "all"):
        for affiliate, user in ((va, world.va_staff), (ne, world.ne_staff)):
            status, body, _ = read(user, affiliate, period)
            assert status == 200, body
            shown[(affiliate, period)] = body
        status, body, _ = read(results, None, period)
        assert status == 200, body
        shown[("country", period)] = body["aggregate"]
    assert shown[(va, "2025")]["withheld"] is True
    assert shown[(va, "all")]["programs"] == 12  # the affiliate's twelve are still shown
    # VA's 2025 would be VA's total minus VA's 2026, or the country's 2025 minus NE's 2025:
    # each of those is withheld too, so neither subtraction can be made.
    assert shown[(va, "2026")]["withheld"] is True
    assert shown[(ne, "2025")]["withheld"] is True
    # ... and so is NE's 2026, else the country's 2026 minus it would give VA's 2026.
    assert shown[(ne, "2026")]["withheld"] is True
    assert (shown[("country", "2025")]["programs"], shown[(ne, "all")]["programs"]) == (10, 13)
    # The grid national staff read shows the same decision as every affiliate's own reads.
    _, grid, _ = read(results, None)
    for cell in grid["grid"]:
        mine = shown.get((cell["scope"], cell["period"]))
        if mine is not None:
            assert cell["withheld"] == mine["withheld"], cell


def test_who_may_read_an_affiliates_aggregate(world: World) -> None:
    va, _ = affiliate_ids(world)
    # Another affiliate's staff and a program's staff: as if the affiliate did not exist.
    assert read(world.ne_staff, va)[0] == 404
    assert read(world.alice, va)[0] == 404
    # National staff who may see the affiliate (admin) but hold no results grant: 403.
    status, problem, _ = read(national(Grant.ADMIN), va)
    assert status == 403
    assert problem["missing_permission"] == "getAffiliateAggregate"
    # The country's aggregate: national staff with the results grant only.
    assert read(world.va_staff, None)[0] == 403
    assert read(world.alice, None)[0] == 403
    results = national(Grant.RESULTS)
    assert read(results, va)[0] == 200
    assert read(results, "aff_" + "0" * 20)[0] == 404
    # Every read is audited; a free date range is no period.
    assert {e["operation"] for e in audit_entries("getAffiliateAggregate")} == {
        "getAffiliateAggregate"
    }
    assert read(results, va, period="2026-01-01..2026-06-30")[0] == 422


# =========================================================================== research export
@pytest.fixture
def export_job(aws_env: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export job's environment as the template resolves it (bucket, pseudonym secret)."""
    for name, value in aws_env.stack.functions["ResearchExportFunction"].environment.items():
        monkeypatch.setenv(name, value)
    adapters.reset()


def notify(*envelopes: dict[str, Any]) -> dict[str, Any]:
    from functions.notify.consumer import lambda_handler

    bodies = [as_body(bus_event(Envelope.model_validate(e))) for e in envelopes]
    return dict(lambda_handler(sqs_event(*bodies), LambdaContext()))


def run_job(*envelopes: dict[str, Any]) -> dict[str, Any]:
    from functions.report.export_job import lambda_handler

    bodies = [as_body(bus_event(Envelope.model_validate(e))) for e in envelopes]
    return dict(lambda_handler(sqs_event(*bodies), LambdaContext()))


def export_call(
    method: str, user: User, export_id: str | None = None, **kw: Any
) -> tuple[int, Any, dict[str, Any]]:
    from functions.report.handler import lambda_handler

    if export_id is None:
        return invoke(lambda_handler, method, "/research-exports", user, None, **kw)
    params = {"exportId": export_id}
    return invoke(lambda_handler, method, "/research-exports/{exportId}", user, params, **kw)


def test_the_research_export_has_a_row_per_counted_cycle_and_no_text(
    world: World, export_job: None, aws_env: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    va, ne = affiliate_ids(world)
    for n in range(3):
        counted_cycle(f"prg_{n:020x}", [va if n else ne], "2026", rating=n + 2)
    # A cycle submitted then archived counts nowhere, so it is no row either.
    cycle_id = open_cycle(world)["cycle_id"]
    answer_all(world.alice, cycle_id)
    params = {"cycleId": cycle_id}
    noted = {"in_practice": "yes", "rating": 4, "notes": "=HYPERLINK(secret note)"}
    assert answer(world.alice, cycle_id, A1.code, noted, '"1"')[0] == 200
    assert call("POST", "/cycles/{cycleId}/submit", world.alice, params)[0] == 200
    (submitted,) = outbox_events("AssessmentSubmitted")
    assert deliver(submitted) == {"batchItemFailures": []}
    results = national(Grant.RESULTS)

    # Only national staff with the results grant may ask.
    body = {"instrument_version": 1}
    assert export_call("POST", world.va_staff, body=body)[0] == 403
    assert export_call("POST", national(Grant.ADMIN), body=body)[0] == 403
    status, requested, response = export_call("POST", results, body=body)
    assert status == 202, requested
    export_id = requested["export_id"]
    assert requested["state"] == "requested"
    assert header(response, "Location") == f"/research-exports/{export_id}"
    assert {e["target"] for e in audit_entries("requestResearchExport")} == {export_id}

    (asked,) = outbox_events("ResearchExportRequested")
    assert run_job(asked) == {"batchItemFailures": []}
    assert run_job(asked) == {"batchItemFailures": []}  # redelivered: made once
    (ready,) = outbox_events("ResearchExportReady")
    assert ready["data"] == {"export_id": export_id, "requested_by": results.sub}

    status, made, _ = export_call("GET", results, export_id)
    assert status == 200, made
    assert (made["state"], made["rows"]) == ("ready", 4)

    # The requester (alone) is emailed a link that downloads the same file.
    for name, value in aws_env.stack.functions["NotifyFunction"].environment.items():
        monkeypatch.setenv(name, value)
    notify_settings.cache_clear()
    adapters.reset()
    assert notify(ready, ready) == {"batchItemFailures": []}
    (mail,) = [m for m in sent() if m["X-NQMS-Message"] == "research-export-ready"]
    assert to_of([mail], "research-export-ready") == [results.email]
    mailed = next(w for w in _text(mail).split() if w.startswith("http"))
    got = requests.get(made["download_url"], timeout=10)
    assert requests.get(mailed, timeout=10).content == got.content
    assert got.status_code == 200
    text = got.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    assert "secret note" not in text
    assert "HYPERLINK" not in text
    assert not any(f"prg_{n:020x}" in text for n in range(3))
    assert world.program not in text
    assert sorted(r["Q_A1_rating"] for r in rows) == ["2", "3", "4", "4"]
    assert requests.get(made["codebook_url"], timeout=10).status_code == 200

    # Archived: the next export leaves the cycle out.
    assert call("POST", "/cycles/{cycleId}/archive", world.va_staff, params)[0] == 200
    (archived,) = outbox_events("CycleArchived")
    assert deliver(archived) == {"batchItemFailures": []}
    status, again, _ = export_call("POST", results, body=body)
    asked_again = next(
        e
        for e in outbox_events("ResearchExportRequested")
        if e["data"]["export_id"] == again["export_id"]
    )
    assert run_job(asked_again) == {"batchItemFailures": []}
    assert export_call("GET", results, again["export_id"])[1]["rows"] == 3
    # Another national reader without the grant learns nothing; an unknown id is a 404.
    assert export_call("GET", national(Grant.ADMIN), export_id)[0] == 403
    assert export_call("GET", results, "rex_" + "0" * 20)[0] == 404
