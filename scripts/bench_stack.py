"""The local stack's figures for ``make bench``, printed as one JSON line.

Runs in a process of its own (``python -m scripts.bench_stack``) so that the memory measured is
the stack's. Talks to the stack over HTTP as a client would, except for filling the table,
which writes copies of real answer items straight into DynamoDB to reach a size quickly.
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from infra.local.http import ApiClient
from infra.local.identity import login, set_permanent_password
from infra.local.stack import LocalStack, StackOptions
from scripts.bench import LARGE_TABLE, SAVES, SESSION_SAVES, SMALL_TABLE
from scripts.bench_cold import cold_starts

VA_STAFF = "staff@mentor-va.example"
WARM_UP = 5


class AnswerSession:
    """A program staff member saving answers of one open cycle through the gateway."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        info, clients = stack.info, stack.clients
        assert clients is not None
        password = stack.options.demo_password
        self.staff_email = VA_STAFF
        self.staff_token = login(clients, info.user_pool_client_id, VA_STAFF, password)
        staff = stack.api.as_user(self.staff_token)
        program = _ok(
            staff.post(
                "/programs",
                {
                    "name": f"Bench Mentors {uuid.uuid4().hex[:6]}",
                    "contact": {"name": "Bea Bench", "email": "bea@bench.example"},
                    "matching_since": "2018-05-01",
                    "primary_affiliate_id": str(info.demo_data["affiliates"]["va"]),
                },
            )
        )
        self.program_id: str = str(program["program_id"])
        self.email = f"member.{uuid.uuid4().hex[:6]}@bench.example"
        _ok(
            staff.post(
                f"/programs/{program['program_id']}/members", {"email": self.email, "name": "Bench"}
            )
        )
        set_permanent_password(clients, info.user_pool_id, self.email, password)
        self.token = login(clients, info.user_pool_client_id, self.email, password)
        self.member: ApiClient = stack.api.as_user(self.token)
        self.cycle_id: str = str(
            _ok(staff.post(f"/programs/{program['program_id']}/cycles", {}))["cycle_id"]
        )
        self.codes = [item["code"] for item in _ok(self.member.get("/instruments/1"))["items"]]
        self.saves = 0
        self.versions: dict[str, str] = {}

    def save(self) -> float:
        """Seconds one answer save took, as the client saw it."""
        code = self.codes[self.saves % len(self.codes)]
        body = {"in_practice": "yes", "rating": 1 + self.saves % 4}
        version = self.versions.get(code)
        headers = {"If-Match": f'"{version}"'} if version else None
        path = f"/cycles/{self.cycle_id}/answers/{code}"
        start = time.perf_counter()
        response = self.member.request("PUT", path, body, headers)
        took = time.perf_counter() - start
        _ok(response)
        self.versions[code] = str(response.header("ETag")).strip('"')
        self.saves += 1
        return took

    def median_save(self, count: int) -> float:
        for _ in range(WARM_UP):
            self.save()
        return statistics.median(self.save() for _ in range(count))

    @property
    def sub(self) -> str:
        return _sub(self.token)

    @property
    def staff_sub(self) -> str:
        return _sub(self.staff_token)


def _sub(token: str) -> str:
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(claims["sub"])


def _ok(response: Any) -> Any:
    if response.status >= 300:
        raise RuntimeError(f"{response.status}: {response.body!r}")
    return response.json


class TableFiller:
    """Brings the table to a size with copies of one cycle's real answers under new cycle ids."""

    def __init__(self, stack: LocalStack, cycle_id: str) -> None:
        assert stack.clients is not None
        assert stack.provisioned is not None
        self.ddb = stack.clients.dynamodb()
        self.table = stack.provisioned.ref("Table")
        found = self.ddb.query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"CYCLE#{cycle_id}"}},
        )["Items"]
        self.template = json.dumps([i for i in found if i["sk"]["S"].startswith("ANSWER#")])
        self.cycle_id = cycle_id

    def count(self) -> int:
        return int(self.ddb.describe_table(TableName=self.table)["Table"]["ItemCount"])

    def fill_to(self, size: int) -> None:
        missing = size - self.count()
        batches: list[list[dict[str, Any]]] = []
        while missing > 0:
            copies = json.loads(self.template.replace(self.cycle_id, str(uuid.uuid4())))
            for start in range(0, min(missing, len(copies)), 25):
                batches.append(copies[start : min(start + 25, missing)])
            missing -= len(copies)
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(self._write, batches))

    def _write(self, items: list[dict[str, Any]]) -> None:
        requests: Any = {self.table: [{"PutRequest": {"Item": item}} for item in items]}
        while requests:
            requests = self.ddb.batch_write_item(RequestItems=requests)["UnprocessedItems"]


def rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, []))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def wait_until_idle(timeout: float = 300) -> None:
    """Until the stack's process stops working (its stream worker drained a bulk fill)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = time.process_time()
        time.sleep(0.5)
        if time.process_time() - busy < 0.05:
            return


def measure() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as state:
        options = StackOptions(port=0, moto_port=0, state_dir=Path(state), schedules=False)
        with LocalStack(options) as stack:
            session = AnswerSession(stack)
            rss_start = rss_bytes(os.getpid())
            for _ in range(len(session.codes)):
                session.save()  # every answer exists: later saves overwrite, as in a long day
            filler = TableFiller(stack, session.cycle_id)
            filler.fill_to(SMALL_TABLE)
            wait_until_idle()
            small = session.median_save(SAVES)
            small_size = filler.count()
            while session.saves < SESSION_SAVES:
                session.save()
            session_saves = session.saves
            rss_session = rss_bytes(os.getpid())
            filler.fill_to(LARGE_TABLE)
            wait_until_idle()
            large = session.median_save(SAVES)
            large_size = filler.count()
            rss_large = rss_bytes(os.getpid())
            cold = cold_starts(stack, session)
    return {
        "small_table": small_size,
        "large_table": large_size,
        "saves_per_size": SAVES,
        "small_save_s": small,
        "large_save_s": large,
        "session_saves": session_saves,
        "rss_start": rss_start,
        "rss_session": rss_session,
        "rss_large": rss_large,
        "cold_starts": [c.as_json() for c in cold],
    }


if __name__ == "__main__":
    print(json.dumps(measure()))
