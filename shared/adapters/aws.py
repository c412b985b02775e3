"""boto3 clients, created lazily and once per process (they survive warm invocations).

This is the only module that imports boto3 at call time; importing it costs cold-start time,
so it happens on first use, not at module import. Clients are cached per endpoint, so one that
was made for in-process moto is never reused against moto server (the local stack) or AWS.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING, Any

from shared.settings import FunctionSettings, get_settings

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sesv2 import SESV2Client


def _endpoint_url(service: str) -> str | None:
    """The endpoint the SDK would use from the environment (moto server, the local stack)."""
    specific = "AWS_ENDPOINT_URL_" + service.upper().replace("-", "_")
    return os.environ.get(specific) or os.environ.get("AWS_ENDPOINT_URL") or None


@cache
def _cached_client(service: str, region: str, endpoint_url: str | None) -> Any:
    import boto3
    from botocore.config import Config

    options: dict[str, Any] = {}
    if service == "s3":
        # Presigned URLs must be SigV4 (S3 refuses SigV2 on new buckets); behind an endpoint
        # URL, http://HOST:PORT/bucket/key (path-style) is the only address that works.
        options["signature_version"] = "s3v4"
        if endpoint_url:
            options["s3"] = {"addressing_style": "path"}
    config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, **options)
    return boto3.client(  # type: ignore[call-overload]
        service, region_name=region, endpoint_url=endpoint_url, config=config
    )


def _client(service: str) -> Any:
    return _cached_client(service, get_settings(FunctionSettings).region, _endpoint_url(service))


def error_code(exc: BaseException) -> str | None:
    """The AWS error code of a botocore ClientError (None for any other exception)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code else None
    return None


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


def kms() -> KMSClient:
    client: KMSClient = _client("kms")
    return client


def sesv2() -> SESV2Client:
    client: SESV2Client = _client("sesv2")
    return client


def secretsmanager() -> SecretsManagerClient:
    client: SecretsManagerClient = _client("secretsmanager")
    return client


def reset_clients() -> None:
    """Forget cached clients (tests: a client made before moto is active is not mocked)."""
    _cached_client.cache_clear()
