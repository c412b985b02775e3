"""End-to-end tests: HTTP through the local gateway against moto server, one stack per session.

The stack patches ``os.environ`` (AWS_ENDPOINT_URL) while it runs, so e2e tests run in their
own pytest process (see the Makefile), never beside tests that use in-process ``mock_aws``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.http import ApiClient
from infra.local.identity import login, sign_in
from infra.local.stack import LocalStack, StackOptions
from tests.support.contract import checked


class Session:
    """The running stack, seen as a client: log in as demo users, read what crossed the bus."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self._tokens: dict[str, str] = {}

    @property
    def anonymous(self) -> ApiClient:
        return checked(self.stack.api)

    def as_user(self, email: str) -> ApiClient:
        if email not in self._tokens:
            info, clients = self.stack.info, self.stack.clients
            assert clients is not None
            self._tokens[email] = login(
                clients, info.user_pool_client_id, email, self.stack.options.demo_password
            )
        return checked(self.stack.api).as_user(self._tokens[email])

    def activate(self, email: str) -> ApiClient:
        """An invited user signs in for the first time as `make token` does: the temporary
        password from the invitation in the mail directory, then the demo password."""
        info, clients = self.stack.info, self.stack.clients
        assert clients is not None
        password = self.stack.options.demo_password
        done = sign_in(clients, info, email, password, new_password=password)
        self._tokens[email] = done.token
        return checked(self.stack.api).as_user(done.token)

    def enroll_program(self, name: str, affiliate: str = "va") -> str:
        """The affiliate's demo staff enroll a program called ``name``; its id."""
        staff = next(
            u.email
            for u in self.stack.info.demo_users
            if u.role == "affiliate-staff" and u.email.endswith(f"@mentor-{affiliate}.example")
        )
        created = self.as_user(staff).post(
            "/programs",
            {
                "name": name,
                "contact": {"name": "Pat Mont", "email": "contact@program.example"},
                "matching_since": "2017-09-01",
                "primary_affiliate_id": self.demo_id("affiliates", affiliate),
            },
        )
        assert created.status == 201, created.body
        return str(created.json["program_id"])

    def demo_id(self, kind: str, key: str) -> str:
        return str(self.stack.info.demo_data[kind][key])

    def events(self) -> list[dict[str, Any]]:
        path = Path(self.stack.info.events_log)
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        return [json.loads(line) for line in lines if line.strip()]

    def wait_for_events(
        self, matches: Callable[[dict[str, Any]], bool], count: int = 1, timeout: float = 20
    ) -> list[dict[str, Any]]:
        """Events on the bus that match, once ``count`` arrived (or whatever came by timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [event for event in self.events() if matches(event)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.2)


@pytest.fixture(scope="session")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    options = StackOptions(
        port=0, moto_port=0, state_dir=tmp_path_factory.mktemp("local"), schedules=False
    )
    with LocalStack(options) as stack:
        yield Session(stack)
