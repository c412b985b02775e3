"""The docs' curl walkthrough (scripts/walkthrough.sh) against a stack started as a developer
starts it, on a port the test chooses (`make run PORT=...`): the script finds the stack by
itself, with no edit and no address given, and runs twice in a row (both runs end with a
submitted assessment: the second finds the first's cycle submitted, has it returned and
submits it again). The banner prints the `export` lines for the API, the user pool's endpoint
and its app client; an origin added with `--cors-origin` may call the API from a browser;
once the stack has stopped, the script says so in one line."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from infra.local.servers import HOST, PortInUse, bind
from tests.e2e.running import RunningStack

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
RICHMOND_STAFF = "coordinator@richmond-mentoring.example"
DEV_SERVER = "http://localhost:4200"  # an Angular dev server, not among the defaults


def quiet_port() -> int:
    """A port free now, below the kernel's range for the local end of outgoing connections:
    while the stack starts (seconds), no client connection of this or another test run on the
    machine can be given it, as one could a port of that range (what binding port 0 picks)."""
    ephemeral = Path("/proc/sys/net/ipv4/ip_local_port_range")
    low = int(ephemeral.read_text().split()[0]) if ephemeral.exists() else 32768
    for port in secrets.SystemRandom().sample(range(min(20000, low // 2), low), 50):
        try:
            bind(HOST, port, "the walkthrough's API").close()
        except PortInUse:
            continue
        return port
    raise AssertionError(f"no free port below {low}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    state_dir = tmp_path_factory.mktemp("walkthrough")
    for attempt in range(3):
        try:
            running = RunningStack(state_dir, "--cors-origin", DEV_SERVER, port=quiet_port())
            break
        except AssertionError as error:  # another program took the port first: another one
            if "already in use" not in str(error) or attempt == 2:
                raise
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.stop()


def _walkthrough(state_dir: Path) -> subprocess.CompletedProcess[str]:
    """The script as a developer runs it; only the stack's state directory is named (it
    is not the default .local/ here), never its address."""
    return subprocess.run(  # noqa: S603 - our own script
        ["bash", str(REPO / "scripts" / "walkthrough.sh")],  # noqa: S607 - bash from PATH
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "HOME": str(state_dir), "NQMS_STATE_DIR": str(state_dir)},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_the_banner_prints_the_export_lines_for_clients(stack: RunningStack) -> None:
    banner = stack.log()
    info = stack.info
    assert info.api_url == f"http://{HOST}:{stack.port}"
    assert f"export API={info.api_url}\n" in banner
    assert f"export USER_POOL_ENDPOINT={info.moto_url}\n" in banner
    assert f"export USER_POOL_CLIENT_ID={info.user_pool_client_id}\n" in banner
    assert DEV_SERVER in banner  # the CORS origins


def test_an_origin_added_on_the_command_line_may_call_the_api(stack: RunningStack) -> None:
    preflight = requests.options(
        f"{stack.info.api_url}/programs",
        headers={"Origin": DEV_SERVER, "Access-Control-Request-Method": "GET"},
        timeout=10,
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") == DEV_SERVER
    stranger = requests.options(
        f"{stack.info.api_url}/programs",
        headers={"Origin": "http://localhost:4201", "Access-Control-Request-Method": "GET"},
        timeout=10,
    )
    assert stranger.headers.get("Access-Control-Allow-Origin") != "http://localhost:4201"


def test_the_walkthrough_finds_the_stack_runs_twice_and_submits_each_time(
    stack: RunningStack,
) -> None:
    first = _walkthrough(stack.state_dir)
    assert first.returncode == 0, first.stdout + first.stderr
    second = _walkthrough(stack.state_dir)
    assert second.returncode == 0, second.stdout + second.stderr

    for run in (first, second):
        assert "answered: 92 of 92" in run.stdout
        assert "linked to" in run.stdout  # the evidence upload went through
        assert run.stdout.strip().endswith("submitted")
    assert "(was: submitted)" in second.stdout
    cycle_id = second.stdout.split("cycle ", 1)[1].split()[0]
    richmond = stack.api.as_user(stack.token(RICHMOND_STAFF))
    assert richmond.get(f"/cycles/{cycle_id}").json["state"] == "submitted"


def _blocks(page: Path) -> list[str]:
    """The page's ```sh blocks, in order."""
    return re.findall(r"^```sh\n(.*?)^```$", page.read_text(encoding="utf-8"), re.M | re.S)


def test_every_example_of_the_docs_walkthrough_runs_as_written(stack: RunningStack) -> None:
    """docs/walkthrough.md's blocks pasted in order into one shell, as a reader does: each
    request must succeed (curl fails on a 4xx or 5xx here) and each grep find its event.
    Only `.local/` stands for the test stack's state directory."""
    blocks = _blocks(DOCS / "walkthrough.md")
    assert len(blocks) >= 10
    script = "\n".join(block.replace(".local/", f"{stack.state_dir}/") for block in blocks)
    strict = 'set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; }\nset -x\n'
    run = subprocess.run(  # noqa: S603 - the docs' own commands
        ["bash", "-c", strict + script],  # noqa: S607 - bash from PATH
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        | {"NQMS_STATE_DIR": str(stack.state_dir)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    printed = run.stdout
    assert "in_review" in printed
    assert "plan_finalized" in printed
    assert "verified" in printed
    assert "('Richmond Youth Mentoring', 'Initiated in NQMS', 'active', True)" in printed


def test_a_stopped_stack_is_one_line_not_a_traceback(stack: RunningStack) -> None:
    stack.stop()  # stack.json stays behind, naming ports nothing answers on any more
    stopped = _walkthrough(stack.state_dir)
    assert stopped.returncode == 2
    assert stopped.stdout == ""
    (line,) = stopped.stderr.splitlines()
    assert "not running" in line
    assert "make run" in line
