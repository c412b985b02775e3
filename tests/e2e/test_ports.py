"""Stacks of two test runs on one machine (two clones, `make test` in each) never meet on a
port: the API's port, chosen before the functions start so that their links point at it, is
held from that moment, not left free until the gateway serves (while provisioning, another
program's client connection could be given it and the gateway's bind would fail)."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.local.servers import HOST, PortInUse, bind
from infra.local.stack import LocalStack, StackOptions


class Provisioning(Exception):
    """Raised where the stack would provision: the test has seen what it needs."""


def test_the_api_port_is_held_from_the_start_and_freed_when_starting_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, int] = {}

    def provision(stack: LocalStack, existing: object) -> None:
        seen["port"] = port = stack._api_port
        with pytest.raises(PortInUse):
            bind(HOST, port, "another program").close()
        raise Provisioning

    monkeypatch.setattr(LocalStack, "_provision", provision)
    stack = LocalStack(StackOptions(port=0, moto_port=0, state_dir=tmp_path, seed=False))
    with pytest.raises(Provisioning):
        stack.start()
    bind(HOST, seen["port"], "the API again").close()  # released with the failed start
