"""``.local/stack.json``: how other commands (token, job, tests) find the running stack."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from infra.local.specs import FunctionSpec, Schedule

#: Where the stack keeps stack.json, events, mail and saved data: ``.local/`` of the repository,
#: or ``NQMS_STATE_DIR`` (for `make token`, `make job`, `make env` and the scripts to find a
#: stack started with ``--state-dir``).
STATE_DIR = Path(os.environ.get("NQMS_STATE_DIR") or Path(__file__).resolve().parents[2] / ".local")
STACK_FILE = "stack.json"
EVENTS_FILE = "events.jsonl"
MAIL_DIR = "mail"


class StackNotRunning(RuntimeError):
    """No .local/stack.json, or the stack it describes has stopped: `make run` first."""


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    password: str
    user_id: str = ""


@dataclass
class StackInfo:
    stack_name: str
    region: str
    account_id: str
    moto_url: str
    api_url: str
    user_pool_id: str
    user_pool_client_id: str
    table_name: str
    event_bus_name: str
    events_log: str
    mail_dir: str
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    schedules: list[Schedule] = field(default_factory=list)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    demo_users: list[DemoUser] = field(default_factory=list)
    demo_data: dict[str, Any] = field(default_factory=dict)
    #: Origins the API answers CORS requests from (the defaults and ``--cors-origin``'s).
    allowed_origins: list[str] = field(default_factory=list)
    #: The stack runs as of the real time + this many seconds (``make run AS_OF=``); None: not.
    clock_offset_s: float | None = None

    def now(self) -> datetime:
        """The running stack's current instant (its clock may be moved)."""
        return datetime.now(UTC) + timedelta(seconds=self.clock_offset_s or 0.0)

    @property
    def docs_url(self) -> str:
        return f"{self.api_url}/docs"

    @property
    def openapi_url(self) -> str:
        return f"{self.api_url}/openapi.json"

    def to_json(self) -> str:
        data = dataclasses.asdict(self) | {
            "docs_url": self.docs_url,
            "openapi_url": self.openapi_url,
        }
        return json.dumps(data, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> StackInfo:
        data = json.loads(text)
        data.pop("docs_url", None)
        data.pop("openapi_url", None)
        data["functions"] = {k: FunctionSpec(**v) for k, v in data.get("functions", {}).items()}
        data["schedules"] = [Schedule(**s) for s in data.get("schedules", [])]
        data["demo_users"] = [DemoUser(**u) for u in data.get("demo_users", [])]
        return cls(**data)

    def write(self, state_dir: Path) -> Path:
        state_dir.mkdir(parents=True, exist_ok=True)
        path = state_dir / STACK_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(self.to_json(), encoding="utf-8")
        temporary.replace(path)
        return path


def read_stack_info(state_dir: Path = STATE_DIR) -> StackInfo:
    path = state_dir / STACK_FILE
    try:
        return StackInfo.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise StackNotRunning(f"{path} not found: start the local stack with `make run`") from exc


def running_stack_info(state_dir: Path = STATE_DIR) -> StackInfo:
    """The stack ``stack.json`` describes, once its API and moto both answer a connection
    (the file stays behind when the stack stops); :class:`StackNotRunning` otherwise."""
    info = read_stack_info(state_dir)
    for what, url in (("API", info.api_url), ("moto", info.moto_url)):
        address = urlsplit(url)
        try:
            with socket.create_connection((address.hostname, address.port or 80), timeout=2):
                pass
        except OSError as exc:
            raise StackNotRunning(
                f"the local stack is not running (nothing answers at {url}, where"
                f" {state_dir / STACK_FILE} says its {what} is): start it with `make run`"
            ) from exc
    return info
