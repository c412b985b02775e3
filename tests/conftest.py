"""Every suite: the integration tests' shared mocked account (tests/support/shared_moto.py)
is mocked only during the tests that use it (``aws_env``); any other test runs without it,
as if it were alone in its process."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

pytest_plugins = ["pytester"]

SHARED_MOTO = "tests.support.shared_moto"


@pytest.fixture(autouse=True)
def _shared_moto_only_where_used(request: pytest.FixtureRequest) -> None:
    shared = sys.modules.get(SHARED_MOTO)
    if shared is not None and "aws_env" not in request.fixturenames:
        shared.SHARED.pause()


@pytest.fixture(autouse=True, scope="session")
def _shared_moto_ends_with_the_session() -> Iterator[None]:
    yield
    shared = sys.modules.get(SHARED_MOTO)
    if shared is not None:
        shared.SHARED.stop()
