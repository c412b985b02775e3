"""A local stack as a developer runs it: ``python -m infra.local run`` in its own process.

moto's backends are global to a process, so a stack that must be restarted, or started with
the command line's own options, runs here rather than in the pytest process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from infra.local.aws import AwsClients, Endpoint
from infra.local.http import ApiClient
from infra.local.identity import login
from infra.local.seed import DEMO_PASSWORD
from infra.local.stackfile import StackInfo, read_stack_info

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0


class RunningStack:
    """``python -m infra.local run`` on free ports (the API on ``port`` if given), with its
    state in ``state_dir`` and any other options of the command in ``options``."""

    def __init__(
        self,
        state_dir: Path,
        *options: str,
        fresh: bool = False,
        save_every: float = 30,
        port: int = 0,
    ) -> None:
        self.state_dir = state_dir
        #: The API's port asked for (0: the stack chose one; see ``info.api_url``).
        self.port = port
        self.output = state_dir.parent / f"{state_dir.name}-run-{time.monotonic_ns()}.log"
        command = [sys.executable, "-m", "infra.local", "run", "--port", str(port)]
        command += ["--moto-port", "0", "--state-dir", str(state_dir)]
        command += ["--save-every", str(save_every), *options]
        command += ["--fresh"] if fresh else []
        # Not the AWS_* variables a stack in this process may have set: the child sets its own.
        environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        with self.output.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
            )
        self.info = self._wait_until_up()

    def _wait_until_up(self) -> StackInfo:
        deadline = time.monotonic() + START_TIMEOUT
        while "local stack is up" not in self.log():
            assert self.process.poll() is None, f"the stack exited:\n{self.log()[-3000:]}"
            assert time.monotonic() < deadline, f"not up in time:\n{self.log()[-3000:]}"
            time.sleep(0.1)
        return read_stack_info(self.state_dir)

    def log(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Ctrl-C, as a developer stops it."""
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(timeout=60) == 0, self.log()[-3000:]

    def kill(self) -> None:
        """kill -9: nothing is saved on the way out."""
        self.process.kill()
        self.process.wait()

    @property
    def api(self) -> ApiClient:
        return ApiClient(self.info.api_url)

    def token(self, email: str) -> str:
        info = self.info
        clients = AwsClients(Endpoint(info.moto_url, info.region, info.account_id))
        return login(clients, info.user_pool_client_id, email, DEMO_PASSWORD)

    def events(self) -> list[dict[str, Any]]:
        lines = Path(self.info.events_log).read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def wait_for_event(self, event_type: str, subject: str) -> None:
        deadline = time.monotonic() + 20
        while not any(
            e["detail-type"] == event_type and subject in json.dumps(e) for e in self.events()
        ):
            assert time.monotonic() < deadline, f"no {event_type} for {subject}"
            time.sleep(0.2)
