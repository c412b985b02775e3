"""``python -m infra.local run`` as a user starts it: a taken port is a clear error at once,
Ctrl-C (or SIGTERM) ends the whole process within two seconds, and Ctrl-C while clients keep
it busy stops and saves it too. Every wait is bounded."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local.__main__ import STOP_LIMIT_SECONDS
from infra.local.persistence import STATE_FILE
from tests.e2e.running import RunningStack

REPO = Path(__file__).resolve().parents[2]
BANNER_END = "Ctrl-C stops everything"


def _run(*args: str, state_dir: Path, stderr: Path) -> subprocess.Popen[str]:
    with stderr.open("w", encoding="utf-8") as errors:
        return subprocess.Popen(  # noqa: S603 - our own CLI, with the running interpreter
            [sys.executable, "-m", "infra.local", "run", *args, "--state-dir", str(state_dir)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=os.environ | {"PYTHONUNBUFFERED": "1"},
        )


def _lines(stream: object) -> queue.Queue[str]:
    """Lines of ``stream`` read by a daemon thread, so waiting for one can time out."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue[str], text: str, timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while text not in "".join(seen):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no {text!r} within {timeout} s; printed: {''.join(seen)}")
        try:
            seen.append(lines.get(timeout=remaining))
        except queue.Empty:
            continue
    return seen


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A loopback port another program listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        yield int(blocker.getsockname()[1])


@pytest.mark.parametrize("which", ["--port", "--moto-port"])
def test_a_taken_port_is_named_and_the_command_fails_at_once(
    which: str, taken_port: int, tmp_path: Path
) -> None:
    other = "--moto-port" if which == "--port" else "--port"
    started = time.monotonic()
    process = _run(which, str(taken_port), other, "0", state_dir=tmp_path, stderr=tmp_path / "err")
    try:
        code = process.wait(timeout=5)
    finally:
        process.kill()
        process.communicate()
    assert time.monotonic() - started < 5
    errors = (tmp_path / "err").read_text(encoding="utf-8")
    assert code != 0
    assert f"port {taken_port}" in errors
    assert "make run PORT=" in errors  # how to choose another
    assert not (tmp_path / "stack.json").exists()  # nothing started


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_everything_within_two_seconds(
    signum: signal.Signals, tmp_path: Path
) -> None:
    process = _run("--port", "0", "--moto-port", "0", state_dir=tmp_path, stderr=tmp_path / "err")
    try:
        lines = _lines(process.stdout)
        banner = "".join(_wait_for(lines, BANNER_END, timeout=90))
        api = next(line.split()[1] for line in banner.splitlines() if " API " in line)
        with urllib.request.urlopen(f"{api}/openapi.json", timeout=10) as response:  # noqa: S310
            assert response.status == 200  # it served before being stopped

        sent = time.monotonic()
        process.send_signal(signum)
        code = process.wait(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        process.kill()
        process.wait(timeout=10)
    assert code == 0
    assert elapsed < 2, f"took {elapsed:.1f} s to stop"
    assert "stopped." in "".join(_wait_for(lines, "stopped.", timeout=1))


def test_ctrl_c_while_clients_keep_the_stack_busy_stops_and_saves_it(tmp_path: Path) -> None:
    """The kernel hands a process-directed signal to whichever thread it likes: with gateway
    threads, function processes and moto all at work, the stack must still stop by itself
    (status 0, not the watchdog's 1) and save; a second Ctrl-C during the stop changes
    nothing."""
    stack = RunningStack(tmp_path / "local")
    try:
        client = stack.api.as_user(stack.token("staff@mentor-va.example"))
        answered: list[int] = []
        done = threading.Event()

        def keep_busy() -> None:
            while not done.is_set():
                try:
                    answered.append(client.get("/programs").status)
                except OSError:  # the stack has stopped under the request
                    return

        clients = [threading.Thread(target=keep_busy, daemon=True) for _ in range(6)]
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 60
        while answered.count(200) < 12:
            assert time.monotonic() < deadline, f"not busy yet: {answered}"
            time.sleep(0.05)

        sent = time.time()
        stack.process.send_signal(signal.SIGINT)
        while "stopping the local stack" not in stack.log():
            assert stack.process.poll() is None or "stopped." in stack.log(), stack.log()[-3000:]
            assert time.time() - sent < 30, "the stack did not notice Ctrl-C"
            time.sleep(0.05)
        stack.process.send_signal(signal.SIGINT)  # impatient: a second Ctrl-C
        code = stack.process.wait(timeout=60)
        elapsed = time.time() - sent
        done.set()
    finally:
        if stack.process.poll() is None:
            stack.kill()
    log = stack.log()
    assert code == 0, log[-3000:]
    assert "stopped." in log
    assert elapsed < STOP_LIMIT_SECONDS, f"took {elapsed:.1f} s to stop"
    assert (stack.state_dir / STATE_FILE).stat().st_mtime >= sent  # saved on the way out
