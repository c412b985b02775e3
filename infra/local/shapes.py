"""The events Lambda hands to functions, in the shapes AWS documents. Pure.

DynamoDB stream records (from dynamodbstreams get_records), SQS messages, scheduled events
and the invocation records sent to on-failure destinations.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any


def stream_record(raw: Mapping[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """A record of dynamodbstreams' GetRecords as Lambda's DynamoDB event has it."""
    dynamodb: dict[str, Any] = dict(raw.get("dynamodb", {}))
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    for image in ("Keys", "NewImage", "OldImage"):
        if image in dynamodb:
            dynamodb[image] = {k: attribute_json(v) for k, v in dynamodb[image].items()}
    return {
        "eventID": raw["eventID"],
        "eventName": raw["eventName"],
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": dynamodb,
        "eventSourceARN": stream_arn,
    }


def attribute_json(value: Mapping[str, Any]) -> dict[str, Any]:
    """A DynamoDB AttributeValue in its JSON form (binary as base64, nested values too)."""
    ((kind, content),) = value.items()
    if kind == "B":
        return {"B": _b64(content)}
    if kind == "BS":
        return {"BS": [_b64(c) for c in content]}
    if kind == "M":
        return {"M": {k: attribute_json(v) for k, v in content.items()}}
    if kind == "L":
        return {"L": [attribute_json(v) for v in content]}
    return {kind: content}


def _b64(content: Any) -> str:
    return content if isinstance(content, str) else base64.b64encode(bytes(content)).decode()


def failed_items(result: Any, identifiers: Sequence[str]) -> list[str] | None:
    """The identifiers a partial batch response reports as failed ([] when none).

    None means the whole batch failed: as Lambda, a null, empty or unknown
    ``itemIdentifier`` fails every record.
    """
    failures = result.get("batchItemFailures") if isinstance(result, Mapping) else None
    if not failures:
        return []
    failed = []
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, Mapping) else None
        if not identifier or identifier not in identifiers:
            return None
        failed.append(str(identifier))
    return failed


def first_failed_index(result: Any, identifiers: Sequence[str]) -> int | None:
    """Where a stream batch is retried from after a partial batch response (None: all done)."""
    failed = failed_items(result, identifiers)
    if failed is None:
        return 0
    if not failed:
        return None
    return min(identifiers.index(i) for i in failed)


def sqs_record(message: Mapping[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """An SQS ReceiveMessage message as a record of Lambda's SQS event."""
    attributes = dict(message.get("Attributes", {}))
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": attributes,
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),  # noqa: S324 - SQS's checksum
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def filterable_sqs_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """What Lambda filters SQS records on: the body as JSON when it is JSON."""
    body: Any = record["body"]
    with contextlib.suppress(TypeError, ValueError):
        body = json.loads(body)
    return dict(record) | {"body": body}


def scheduled_event(rule_arn: str, region: str, account_id: str, at: datetime) -> dict[str, Any]:
    """The event EventBridge sends to a scheduled rule's target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account_id,
        "time": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [rule_arn],
        "detail": {},
    }


def on_failure_record(
    *,
    function_arn: str,
    attempts: int,
    condition: str,
    batch_info_key: str,
    batch_info: Mapping[str, Any],
    error: str | None,
    at: datetime,
) -> dict[str, Any]:
    """The invocation record Lambda sends to an OnFailure destination."""
    return {
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": function_arn,
            "condition": condition,
            "approximateInvokeCount": attempts,
        },
        "responseContext": {
            "statusCode": 200,
            "executedVersion": "$LATEST",
            "functionError": error or "Unhandled",
        },
        "version": "1.0",
        "timestamp": at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        batch_info_key: dict(batch_info),
    }


def stream_batch_info(
    records: Sequence[Mapping[str, Any]], stream_arn: str, shard_id: str
) -> dict[str, Any]:
    """``DDBStreamBatchInfo`` of an on-failure record: which records were given up on."""
    first, last = records[0]["dynamodb"], records[-1]["dynamodb"]
    return {
        "shardId": shard_id,
        "startSequenceNumber": first["SequenceNumber"],
        "endSequenceNumber": last["SequenceNumber"],
        "approximateArrivalOfFirstRecord": _iso(first.get("ApproximateCreationDateTime")),
        "approximateArrivalOfLastRecord": _iso(last.get("ApproximateCreationDateTime")),
        "batchSize": len(records),
        "streamArn": stream_arn,
    }


def _iso(epoch: Any) -> str | None:
    if not isinstance(epoch, int | float):
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")
