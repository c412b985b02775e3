"""Integration tests: handlers called with real event shapes, AWS mocked in-process (moto)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local import moto_dynamodb, moto_events
from shared import adapters
from tests.support import aws as support


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[support.Resources]:
    """A mocked AWS account with the template's resources, provisioned as `make run` does."""
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "NQMS")
    monkeypatch.setenv("POWERTOOLS_DEV", "false")
    from shared.store.cycles import forget_known_cycles
    from shared.store.instrument_versions import forget_published

    forget_published()
    forget_known_cycles()
    with mock_aws():
        moto_dynamodb.install()  # as the local stack does
        moto_events.install()
        adapters.reset()
        resources = support.create_resources()
        for key, value in resources.environment().items():
            monkeypatch.setenv(key, value)
        adapters.reset()
        yield resources
    adapters.reset()


@pytest.fixture
def ddb(aws_env: support.Resources) -> Any:
    return boto3.client("dynamodb", region_name="us-east-1")
