"""Calling handlers as Lambda does, as a given user, and reading what they wrote."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tests.support import contract
from tests.support.apigw import api_event, claims_for

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class LambdaContext:
    function_name = "test"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:test"
    aws_request_id = "req"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


@dataclass
class User:
    sub: str
    email: str
    groups: list[str]

    @property
    def claims(self) -> dict[str, str]:
        return claims_for(self.sub, self.email, self.groups)


def invoke(
    handler: Handler,
    method: str,
    resource: str,
    user: User | None,
    params: dict[str, str] | None = None,
    **kw: Any,
) -> tuple[int, Any, dict[str, Any]]:
    """Status, parsed body and raw response of one REST proxy request, whose status and
    headers are what the committed contract documents (``tests.support.contract``)."""
    event = api_event(method, resource, params, claims=user.claims if user else None, **kw)
    response = handler(event, LambdaContext())
    sent = {
        **{k: str(v) for k, v in (response.get("headers") or {}).items()},
        **{k: ",".join(v) for k, v in (response.get("multiValueHeaders") or {}).items()},
    }
    contract.check(method, resource, int(response["statusCode"]), sent)
    body = json.loads(response["body"]) if response.get("body") else None
    return response["statusCode"], body, response


def header(response: dict[str, Any], name: str) -> str | None:
    if name in (response.get("headers") or {}):
        return str(response["headers"][name])
    values = (response.get("multiValueHeaders") or {}).get(name)
    return ",".join(values) if values else None


def table_items() -> list[dict[str, Any]]:
    """Every item of the test table, raw (a Scan: tests only)."""
    from shared.adapters import aws

    client = aws.dynamodb()
    pages = client.get_paginator("scan").paginate(TableName=os.environ["TABLE_NAME"])
    return [item for page in pages for item in page["Items"]]


class PlainTable:
    """The table with plain values, as boto3's resource ``Table`` reads and writes it, on the
    client the code under test uses (in memory or moto's): for a test that changes a record
    behind the code's back."""

    def __init__(self, name: str | None = None) -> None:
        from shared.adapters import aws

        self.name = name or os.environ["TABLE_NAME"]
        self.client: Any = aws.dynamodb()

    def get_item(self, **request: Any) -> dict[str, Any]:
        from shared.adapters.table import from_ddb, to_ddb

        found = self.client.get_item(TableName=self.name, Key=to_ddb(request["Key"]))
        return {"Item": from_ddb(found["Item"])} if "Item" in found else {}

    def update_item(self, **request: Any) -> dict[str, Any]:
        from shared.adapters.table import to_ddb

        values = request.pop("ExpressionAttributeValues", None)
        if values is not None:
            request["ExpressionAttributeValues"] = to_ddb(values)
        result: dict[str, Any] = self.client.update_item(
            TableName=self.name, **{**request, "Key": to_ddb(request["Key"])}
        )
        return result


def outbox_events(event_type: str) -> list[dict[str, Any]]:
    """The envelopes of the outbox records of one event type."""
    return [
        json.loads(i["detail"]["S"])
        for i in table_items()
        if i["pk"]["S"].startswith("OUTBOX#") and i["event_type"]["S"] == event_type
    ]


@contextmanager
def dynamodb_requests() -> Iterator[Counter[str]]:
    """The DynamoDB requests made inside the block, by operation (GetItem, Query, ...)."""
    from shared.adapters import aws

    calls: Counter[str] = Counter()
    client = aws.dynamodb()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    events = client.meta.events
    events.register("before-call.dynamodb", count)
    try:
        yield calls
    finally:
        events.unregister("before-call.dynamodb", count)
