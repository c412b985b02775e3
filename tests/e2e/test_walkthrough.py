"""The README's curl walkthrough (scripts/walkthrough.sh) run twice in a row against one
stack: both runs end with a submitted assessment (the second finds the first's cycle
submitted, has it returned and submits it again)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import Session

REPO = Path(__file__).resolve().parents[2]
RICHMOND_STAFF = "coordinator@richmond-mentoring.example"


def _walkthrough(local: Session) -> subprocess.CompletedProcess[str]:
    token = f"{sys.executable} -m infra.local token --state-dir {local.stack.options.state_dir}"
    return subprocess.run(  # noqa: S603 - our own script
        ["bash", str(REPO / "scripts" / "walkthrough.sh")],  # noqa: S607 - bash from PATH
        cwd=REPO,
        env=os.environ | {"API": local.stack.info.api_url, "TOKEN_COMMAND": token},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_the_walkthrough_runs_twice_and_submits_each_time(local: Session) -> None:
    first = _walkthrough(local)
    assert first.returncode == 0, first.stdout + first.stderr
    second = _walkthrough(local)
    assert second.returncode == 0, second.stdout + second.stderr

    for run in (first, second):
        assert "answered: 92 of 92" in run.stdout
        assert "linked to" in run.stdout  # the evidence upload went through
        assert run.stdout.strip().endswith("submitted")
    assert "(was: submitted)" in second.stdout
    cycle_id = second.stdout.split("cycle ", 1)[1].split()[0]
    cycle = local.as_user(RICHMOND_STAFF).get(f"/cycles/{cycle_id}").json
    assert cycle["state"] == "submitted"
