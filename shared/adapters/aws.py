"""boto3 clients, created lazily and once per process (they survive warm invocations).

This is the only module that imports boto3 at call time; importing it costs cold-start time,
so it happens on first use, not at module import.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from shared.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_s3 import S3Client


@cache
def _client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2)
    return boto3.client(service, region_name=get_settings().region, config=config)  # type: ignore[call-overload]


def dynamodb() -> DynamoDBClient:
    client: DynamoDBClient = _client("dynamodb")
    return client


def events() -> EventBridgeClient:
    client: EventBridgeClient = _client("events")
    return client


def cognito() -> CognitoIdentityProviderClient:
    client: CognitoIdentityProviderClient = _client("cognito-idp")
    return client


def s3() -> S3Client:
    client: S3Client = _client("s3")
    return client


def reset_clients() -> None:
    """Forget cached clients (tests: a client made before moto is active is not mocked)."""
    _client.cache_clear()
