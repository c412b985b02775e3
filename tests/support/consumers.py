"""Events as consumers receive them: our envelope in an EventBridge event, in an SQS record."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from shared.events import Actor, AffiliateCreated, Envelope, new_event

REGION = "us-east-1"
ACCOUNT = "123456789012"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:nqms-test-ConsumerQueue"


def affiliate_created(affiliate_id: str = "aff_1") -> Envelope:
    """A real catalogue event (thin: one id)."""
    return new_event(
        AffiliateCreated(affiliate_id=affiliate_id),
        actor=Actor(kind="user", user_id="usr_admin"),
        correlation_id=f"req-{uuid.uuid4().hex[:8]}",
        affiliate_ids=[affiliate_id],
    )


def bus_event(envelope: Envelope, **overrides: Any) -> dict[str, Any]:
    """What EventBridge delivers for an outbox entry (source, detail-type, detail)."""
    event = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": envelope.event_type,
        "source": envelope.source,
        "account": ACCOUNT,
        "time": "2026-11-23T20:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": envelope.model_dump(mode="json"),
    }
    return event | overrides


def sqs_record(body: str, message_id: str | None = None) -> dict[str, Any]:
    """One record of Lambda's SQS event (the shape of AWS's documented example)."""
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1545082649183",
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": "1545082649185",
        },
        "messageAttributes": {},
        "md5OfBody": hashlib.md5(body.encode()).hexdigest(),  # noqa: S324 - SQS's checksum
        "eventSource": "aws:sqs",
        "eventSourceARN": QUEUE_ARN,
        "awsRegion": REGION,
    }


def sqs_event(*bodies: str) -> dict[str, Any]:
    return {"Records": [sqs_record(body) for body in bodies]}


def as_body(event: dict[str, Any]) -> str:
    return json.dumps(event)
