"""`make job`: a scheduled job run once, as of a date, against the running stack, by its CLI."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeSerializer

from shared.events import SYSTEM, AffiliateCreated, new_event
from shared.store.outbox import outbox_item
from tests.e2e.conftest import Session
from tests.e2e.journeys import run_job


def _outbox_record(affiliate_digit: str) -> dict[str, Any]:
    event = new_event(
        AffiliateCreated(affiliate_id="aff_" + affiliate_digit * 20),
        actor=SYSTEM,
        correlation_id="e2e-job",
    )
    return outbox_item(event)


def _put(local: Session, item: dict[str, Any]) -> None:
    clients = local.stack.clients
    assert clients is not None
    serialize = TypeSerializer().serialize
    clients.dynamodb().put_item(
        TableName=local.stack.info.table_name, Item={k: serialize(v) for k, v in item.items()}
    )


def _mark_pending_again(local: Session, item: dict[str, Any]) -> None:
    """A MODIFY: the relay's stream filter (INSERT only) never sees it, only the sweeper can."""
    clients = local.stack.clients
    assert clients is not None
    clients.dynamodb().update_item(
        TableName=local.stack.info.table_name,
        Key={"pk": {"S": item["pk"]}, "sk": {"S": item["sk"]}},
        UpdateExpression="SET outbox_pending = :p",
        ExpressionAttributeValues={":p": {"S": item["outbox_pending"]}},
    )


def _published(local: Session, event_id: str, timeout: float = 20) -> list[dict[str, Any]]:
    return local.wait_for_events(lambda e: e["detail"].get("event_id") == event_id, 1, timeout)


def test_the_outbox_sweeper_job_republishes_what_the_stream_left_behind(local: Session) -> None:
    # A record the relay left behind: written as already published (the relay skips it),
    # then pending again. A second, ordinary record behind it on the stream tells us when
    # the relay has been past the first.
    left_behind, marker = _outbox_record("7"), _outbox_record("8")
    _put(local, {k: v for k, v in left_behind.items() if k != "outbox_pending"})
    _put(local, marker)
    assert _published(local, marker["event_id"]), "the stream relay did not run"
    _mark_pending_again(local, left_behind)

    job = run_job(local, "outbox-sweeper", "--as-of", "2029-01-01")

    assert job.returncode == 0, job.stderr
    assert "OutboxSweeperFunction ran as of 2029-01-01:" in job.stdout
    assert "'failed': 0" in job.stdout
    assert "'published': 0" not in job.stdout
    (event,) = _published(local, left_behind["event_id"])
    assert event["detail-type"] == "AffiliateCreated"
    assert event["detail"]["data"]["affiliate_id"] == "aff_" + "7" * 20


def test_a_job_that_names_no_schedule_lists_the_ones_there_are(local: Session) -> None:
    job = run_job(local, "nightly-report")

    assert job.returncode == 2
    assert "'nightly-report' matches none of the scheduled jobs:" in job.stderr
    assert "BadgeExpiryFunction" in job.stderr
    assert "OutboxSweeperFunction" in job.stderr
