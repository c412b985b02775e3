"""Integration tests: handlers called with real event shapes, AWS mocked in-process (moto).

The single table is the in-memory DynamoDB (``tests.support.memory_dynamodb``, held to moto's
behaviour by ``test_table_contract.py``): the use cases' reads and writes are ours, and moto's
request parsing and serialising was most of these tests' time. A test about DynamoDB itself
(streams, the outbox relay reading them, moto's patches, the local stack) is marked
``moto_dynamodb`` and gets moto's table instead. Every other AWS service is moto's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from infra.local import moto_dynamodb, moto_events
from shared import adapters
from tests.support import aws as support
from tests.support.memory_dynamodb import MemoryDynamoDB, template_schema

MOTO_DYNAMODB = "moto_dynamodb"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MOTO_DYNAMODB}: the test's table is moto's DynamoDB, not the in-memory one "
        "(the test is about DynamoDB or a DynamoDB stream)",
    )


@pytest.fixture
def aws_env(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[support.Resources]:
    """A mocked AWS account with the template's resources, provisioned as `make run` does;
    the table in memory unless the test is marked ``moto_dynamodb``."""
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
    support.quicker_moto()
    with mock_aws():
        moto_dynamodb.install()  # as the local stack does
        moto_events.install()
        adapters.reset()
        resources = support.create_resources()
        for key, value in resources.environment().items():
            monkeypatch.setenv(key, value)
        adapters.reset()
        if request.node.get_closest_marker(MOTO_DYNAMODB) is None:
            memory = MemoryDynamoDB(template_schema(resources.table_name))
            monkeypatch.setattr("shared.adapters.aws.dynamodb", lambda: memory)
        yield resources
    adapters.reset()


@pytest.fixture
def ddb(aws_env: support.Resources) -> Any:
    """The DynamoDB client the code under test uses (in memory, or moto's when marked)."""
    from shared.adapters import aws

    return aws.dynamodb()
