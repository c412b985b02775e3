"""Requests per operation on the hot paths, counted at botocore, with every check kept.

Saving an answer: the caller's memberships and one transaction (the cycle carries what access
needs, and its state is checked in the transaction). Submitting: the memberships, the cycle's
partition and one transaction (the Idempotency-Key's record joins it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from shared import clock, keys
from shared.adapters import aws
from shared.settings import ApiSettings, get_settings
from shared.store.cycles import forget_known_cycles
from tests.integration import test_assessment as assessment
from tests.integration.test_assessment import INSTRUMENT, World, answer, call, open_cycle
from tests.support.lambdas import PlainTable, outbox_events

world = assessment.world  # the same users, affiliates and programs


class Requests:
    """DynamoDB requests the handlers make (libraries' requests included)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __call__(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    def during(self, run: Any) -> tuple[Any, int]:
        self.calls.clear()
        result = run()
        return result, sum(self.calls.values())


@pytest.fixture
def requests(world: World) -> Iterator[Requests]:
    counter = Requests()
    events = aws.dynamodb().meta.events
    events.register("before-call.dynamodb", counter)
    yield counter
    events.unregister("before-call.dynamodb", counter)


def test_saving_takes_two_requests_and_submitting_three(world: World, requests: Requests) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    forget_known_cycles()  # as a function instance that has not read this cycle yet
    (status, _, _), first = requests.during(
        lambda: answer(world.alice, cycle_id, "A1", {"in_practice": "no"})
    )
    assert status == 200
    assert first <= 3  # the cycle is read once per function instance
    (status, _, _), new = requests.during(
        lambda: answer(world.bob, cycle_id, "A2", {"in_practice": "no"})
    )
    assert status == 200
    assert new <= 2
    (status, saved, _), update = requests.during(
        lambda: answer(world.alice, cycle_id, "A1", assessment.YES_3, '"1"')
    )
    assert (status, saved["version"]) == (200, 2)
    assert update <= 2

    for item in INSTRUMENT.items[2:]:
        answer(world.bob, cycle_id, item.code, {"in_practice": "no"})
    params = {"cycleId": cycle_id}
    headers = {"Idempotency-Key": "submit-round-trips"}
    submit = ("POST", "/cycles/{cycleId}/submit", world.alice, params)
    (status, submitted, _), count = requests.during(lambda: call(*submit, headers=headers))
    assert (status, submitted["state"]) == (200, "submitted")
    assert count <= 3
    (status, replayed, _), _ = requests.during(lambda: call(*submit, headers=headers))
    assert (status, replayed) == (200, submitted)
    assert len(outbox_events("AssessmentSubmitted")) == 1


def test_a_known_cycle_refuses_what_a_read_one_refuses(world: World, requests: Requests) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    assert answer(world.alice, cycle_id, "A1", {"in_practice": "no"})[0] == 200
    # the cycle is known to this process now: no read, the same answers as with one
    (status, _, _), count = requests.during(
        lambda: answer(world.carol, cycle_id, "A2", {"in_practice": "no"})
    )
    assert status == 404  # staff of another program
    assert count <= 1
    assert answer(world.ne_staff, cycle_id, "A2", {"in_practice": "no"})[0] == 404
    assert answer(world.alice, "cyc_00000000000000000000", "A2", {"in_practice": "no"})[0] == 404
    status, problem, _ = answer(world.alice, cycle_id, "A1", assessment.YES_3, '"7"')
    assert (status, problem["current_version"]) == (409, 1)

    call("POST", "/cycles/{cycleId}/archive", world.va_staff, {"cycleId": cycle_id})
    (status, problem, _), count = requests.during(
        lambda: answer(world.alice, cycle_id, "A2", {"in_practice": "no"})
    )
    assert (status, problem["current_state"]) == (409, "archived")
    assert count <= 2


def test_a_cycle_carries_its_programs_affiliations_and_access_follows_them(
    world: World,
) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    table = PlainTable()
    cycle = table.get_item(Key=keys.cycle(cycle_id))["Item"]
    program = table.get_item(Key=keys.program(world.program))["Item"]
    assert cycle["affiliate_ids"] == program["affiliate_ids"]

    forget_known_cycles()  # decided from the cycle's copy, not from this process's memory
    assert answer(world.carol, cycle_id, "A1", {"in_practice": "no"})[0] == 404
    assert answer(world.alice, cycle_id, "A1", {"in_practice": "no"})[0] == 200
    assert call("GET", "/cycles/{cycleId}", world.va_staff, {"cycleId": cycle_id})[0] == 200
    assert call("GET", "/cycles/{cycleId}", world.ne_staff, {"cycleId": cycle_id})[0] == 404


def test_the_submit_key_answers_once_until_it_expires(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    params = {"cycleId": cycle_id}
    headers = {"Idempotency-Key": "submit-once-0001"}
    submit = ("POST", "/cycles/{cycleId}/submit", world.alice, params)
    fixed = clock.FixedClock()
    with clock.use_clock(fixed):
        # refused: nothing was recorded, so the same key submits once the answers are in
        assert call(*submit, headers=headers)[0] == 422
        for item in INSTRUMENT.items:
            answer(world.bob, cycle_id, item.code, {"in_practice": "no"})
        status, first, _ = call(*submit, headers=headers)
        assert (status, first["state"]) == (200, "submitted")
        returned = call(
            "POST", "/cycles/{cycleId}/return", world.va_staff, params, body={"comment": "More."}
        )
        assert returned[1]["state"] == "returned"
        # a late retry of that request replays its response and submits nothing again
        assert call(*submit, headers=headers)[:2] == (200, first)
        assert call("GET", "/cycles/{cycleId}", world.alice, params)[1]["state"] == "returned"
        assert len(outbox_events("AssessmentSubmitted")) == 1
        # once the key has expired (whether or not DynamoDB's TTL removed it yet) it is new
        fixed.advance(timedelta(seconds=get_settings(ApiSettings).idempotency_ttl_seconds + 1))
        status, second, _ = call(*submit, headers=headers)
        assert (status, second["state"]) == (200, "submitted")
        assert second["submitted_at"] != first["submitted_at"]
    assert len(outbox_events("AssessmentSubmitted")) == 2
