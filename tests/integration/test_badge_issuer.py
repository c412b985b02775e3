"""The badge issuer through its Lambda handler: plan events in SQS batches, as the rule and the
queue deliver them. Step 1 once the plan is finalized, Step 2 once 3 goals are verified; each
badge once, however often and in whatever order its events arrive."""

from __future__ import annotations

from typing import Any

import pytest

from functions.badge.rules import Level, badge_id, valid_until
from shared import adapters, jws, keys
from shared.adapters.table import default_table
from shared.events import Envelope
from tests.integration.test_assessment import World, world
from tests.integration.test_plan import GOAL, call, cycle_id, finalized, goal_params
from tests.support.aws import Resources
from tests.support.consumers import as_body, bus_event, sqs_event
from tests.support.lambdas import LambdaContext, outbox_events

__all__ = ["cycle_id", "world"]  # fixtures, imported to be used here


@pytest.fixture
def issuer(aws_env: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issuer function's environment as the template resolves it (its KMS key)."""
    for name, value in aws_env.stack.functions["BadgeIssuerFunction"].environment.items():
        monkeypatch.setenv(name, value)
    adapters.reset()


def deliver(*envelopes: dict[str, Any]) -> dict[str, Any]:
    from functions.badge.consumer import lambda_handler

    bodies = [as_body(bus_event(Envelope.model_validate(e))) for e in envelopes]
    return dict(lambda_handler(sqs_event(*bodies), LambdaContext()))


def badges(cycle_id: str) -> dict[str, dict[str, Any]]:
    """The cycle's badges by level."""
    table = default_table()
    return {
        level: item
        for level in ("step1", "step2")
        for item in [table.get(keys.badge(badge_id(cycle_id, level)))]
        if item is not None
    }


def verify_three(world: World, cycle: str, goal_ids: list[str]) -> None:
    for goal_id in goal_ids:
        params = goal_params(cycle, goal_id)
        assert (
            call("POST", GOAL + "/complete", world.alice, params, body={"note": "Done."})[0] == 200
        )
        status, goal, _ = call(
            "POST", GOAL + "/verify", world.va_staff, params, body={"achieved_rating": 4}
        )
        assert status == 200, goal


def test_step_1_then_step_2_each_once_whatever_the_deliveries(
    world: World, cycle_id: str, issuer: None
) -> None:
    goal_ids = finalized(world, cycle_id)
    (finalized_event,) = outbox_events("PlanFinalized")

    # Delivered three times, in one batch and again: one Step 1, one BadgeIssued.
    assert deliver(finalized_event, finalized_event) == {"batchItemFailures": []}
    assert deliver(finalized_event) == {"batchItemFailures": []}
    held = badges(cycle_id)
    assert set(held) == {"step1"}
    step1 = held["step1"]
    review_date = default_table().get(keys.cycle(cycle_id))["review_date"]  # type: ignore[index]
    assert step1["valid_until"] == valid_until(_date(review_date)).isoformat()
    assert (step1["program_name"], step1["level"]) == ("Big Futures", Level.STEP_1.value)
    assert len(outbox_events("BadgeIssued")) == 1

    # The link is a compact ES256 JWS that verifies with the published key alone.
    published = {
        str(item["sk"]): item["jwk"]
        for item in default_table().query_all(keys.SIGNING_KEYS_PARTITION)
    }
    claims = jws.verify(step1["verify_token"], published).payload
    assert claims == {"bid": step1["badge_id"], "pid": step1["program_id"], "lvl": "step1"}

    # Three verified goals: their events, out of order and repeated, issue Step 2 once.
    verify_three(world, cycle_id, goal_ids)
    verified = outbox_events("GoalVerified")
    assert len(verified) == 3
    assert deliver(verified[2], verified[0], verified[1], verified[2]) == {"batchItemFailures": []}
    assert deliver(*verified) == {"batchItemFailures": []}
    assert set(badges(cycle_id)) == {"step1", "step2"}
    issued = outbox_events("BadgeIssued")
    assert sorted(e["data"]["level"] for e in issued) == ["step1", "step2"]


def test_goal_events_before_the_plan_event_issue_both_steps_once(
    world: World, cycle_id: str, issuer: None
) -> None:
    goal_ids = finalized(world, cycle_id)
    verify_three(world, cycle_id, goal_ids)
    # The goals' events arrive first: the facts already earn both steps.
    assert deliver(*outbox_events("GoalVerified")) == {"batchItemFailures": []}
    assert set(badges(cycle_id)) == {"step1", "step2"}
    assert deliver(*outbox_events("PlanFinalized")) == {"batchItemFailures": []}
    assert len(outbox_events("BadgeIssued")) == 2


def test_the_facts_decide_not_the_event(world: World, cycle_id: str, issuer: None) -> None:
    """A PlanFinalized for a cycle whose plan is not finalized (say, sent by mistake) is
    consumed and issues nothing: the issuer reads the cycle and its goals itself."""
    (completed,) = outbox_events("ReviewCompleted")
    mistaken = {**completed, "event_type": "PlanFinalized"}
    assert deliver(mistaken) == {"batchItemFailures": []}
    assert badges(cycle_id) == {}
    assert outbox_events("BadgeIssued") == []


def _date(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)
