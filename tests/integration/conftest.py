"""Integration tests: handlers called with real event shapes, AWS mocked in-process (moto).

The AWS account is one per test process, provisioned once and emptied of the last test's data
before each test (``tests.support.shared_moto``). The single table is the in-memory DynamoDB
(``tests.support.memory_dynamodb``, a fresh one per test, held to moto's behaviour by
``test_table_contract.py``): the use cases' reads and writes are ours, and moto's request
parsing and serialising was most of these tests' time. A test about DynamoDB itself
(streams, the outbox relay reading them, moto's patches, the local stack) is marked
``moto_dynamodb`` and gets moto's table instead. Every other AWS service is moto's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import aws as support
from tests.support.shared_moto import mocked_account

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
    the table in memory unless the test is marked ``moto_dynamodb``. The account is the
    process's shared one (tests/support/shared_moto.py), emptied of other tests' data; a test
    marked ``moto_dynamodb`` gets a moto of its own."""
    moto_table = request.node.get_closest_marker(MOTO_DYNAMODB) is not None
    with mocked_account(monkeypatch, moto_table=moto_table) as resources:
        yield resources


@pytest.fixture
def ddb(aws_env: support.Resources) -> Any:
    """The DynamoDB client the code under test uses (in memory, or moto's when marked)."""
    from shared.adapters import aws

    return aws.dynamodb()
