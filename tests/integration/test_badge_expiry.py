"""The daily expiry job: notices 90 and 30 days ahead, expiry the day after the date, once
each however often it runs; a missed day caught up; a badge kept valid while the program's
newer cycle runs, until the grace period ends."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from functions.badge.rules import DEFAULT_GRACE_MONTHS, add_months
from tests.integration.test_assessment import World, world
from tests.integration.test_assessment import call as assessment_call
from tests.integration.test_badge_issuer import issuer
from tests.integration.test_badge_verify import step1, verify
from tests.integration.test_plan import cycle_id
from tests.support.clocks import as_of
from tests.support.lambdas import outbox_events

__all__ = ["cycle_id", "issuer", "step1", "world"]  # fixtures, imported to be used here


def run_job(day: date) -> dict[str, int]:
    from functions.badge.jobs import expire

    with as_of(day):
        return expire({"id": f"run-{day}"}, None)


def test_notices_then_expiry_each_once_and_a_second_run_does_nothing(
    step1: dict[str, Any],
) -> None:
    until = date.fromisoformat(step1["valid_until"])
    on_time = run_job(until - timedelta(days=90))
    assert (on_time["notices"], on_time["expired"]) == (1, 0)
    assert run_job(until - timedelta(days=90)) == {
        "days": 0, "expired": 0, "notices": 0, "renewing": 0
    }  # fmt: skip

    # The job missed a few weeks: the 30-day notice and the expiry are caught up at once.
    late = run_job(until + timedelta(days=3))
    assert (late["notices"], late["expired"]) == (1, 1)
    soon = outbox_events("BadgeExpiringSoon")
    assert sorted(e["data"]["days_left"] for e in soon) == [30, 90]
    (expired,) = outbox_events("BadgeExpired")
    assert expired["data"]["badge_id"] == step1["badge_id"]
    assert expired["affiliate_ids"] == step1["affiliate_ids"]  # notify tells the affiliates too
    run_job(until + timedelta(days=3))
    assert len(outbox_events("BadgeExpired")) == 1
    with as_of(until + timedelta(days=3)):
        assert json.loads(verify(step1["verify_token"])["body"])["status"] == "expired"


def test_a_newer_cycle_opened_in_time_keeps_the_badge_until_the_grace_period_ends(
    world: World, step1: dict[str, Any]
) -> None:
    program = {"programId": world.program}
    status, opened, _ = assessment_call(
        "POST", "/programs/{programId}/cycles", world.va_staff, program, body={}
    )
    assert status == 201, opened
    until = date.fromisoformat(step1["valid_until"])
    kept = run_job(until + timedelta(days=1))
    assert (kept["renewing"], kept["expired"], kept["notices"]) == (1, 0, 0)
    assert outbox_events("BadgeExpired") == []
    grace_over = add_months(until, DEFAULT_GRACE_MONTHS) + timedelta(days=1)
    ended = run_job(grace_over)
    assert ended["expired"] == 1
    with as_of(grace_over):
        assert json.loads(verify(step1["verify_token"])["body"])["status"] == "expired"


def test_the_affiliates_own_grace_period_ends_the_renewal(
    world: World, step1: dict[str, Any]
) -> None:
    from tests.integration.test_directory import call as directory_call

    where, params = "/affiliates/{affiliateId}", {"affiliateId": step1["affiliate_id"]}
    status, read, _ = directory_call("GET", where, world.va_staff, params)
    change = {"renewal_grace_months": 2, "version": read["version"]}
    assert directory_call("PATCH", where, world.va_staff, params, body=change)[0] == 200
    program = {"programId": world.program}
    status, opened, _ = assessment_call(
        "POST", "/programs/{programId}/cycles", world.va_staff, program, body={}
    )
    assert status == 201, opened
    until = date.fromisoformat(step1["valid_until"])
    assert run_job(until + timedelta(days=1))["renewing"] == 1
    grace_over = add_months(until, 2) + timedelta(days=1)
    with as_of(grace_over - timedelta(days=1)):
        assert json.loads(verify(step1["verify_token"])["body"])["status"] == "renewal_in_progress"
    with as_of(grace_over):
        assert json.loads(verify(step1["verify_token"])["body"])["status"] == "expired"
    assert run_job(grace_over)["expired"] == 1  # the job looked again when the grace ended


def test_a_days_run_costs_what_is_due_that_day_not_what_exists(aws_env: object) -> None:
    """Ten times the badges, the same number due that day: the same requests (no Scan, no
    walk over all badges); twice as many due: more."""
    from functions.badge import expiry
    from scripts.bench_badges import badges_with_due_dates, last_ran_on, write_items
    from shared.adapters.table import default_table
    from tests.support.lambdas import dynamodb_requests

    table = default_table()
    requests = []
    for n, (count, due) in enumerate(((5, 2), (50, 2), (50, 4))):
        day = date(2030, 6, 3) + timedelta(days=5000 * n)  # far apart: each set its own days
        write_items(badges_with_due_dates(count, due, day, tag=n))
        last_ran_on(day - timedelta(days=1))
        with as_of(day), dynamodb_requests() as calls:
            assert expiry.run(table, "test").expired == due
        assert "Scan" not in calls
        requests.append(sum(calls.values()))
    assert requests[0] == requests[1] < requests[2]
