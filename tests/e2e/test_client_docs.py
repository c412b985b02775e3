"""The examples of docs/clients.md run, in order, against a running stack, as a reader runs
them from the repository (``.local/stack.json``, ``.local/mail/``), and print what the page
says they print."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import Session

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "clients.md"


def test_the_client_guide_examples_run_and_print_what_it_says(
    local: Session, tmp_path: Path
) -> None:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text("utf-8"), flags=re.DOTALL)
    assert len(blocks) >= 4
    (tmp_path / ".local").symlink_to(Path(local.stack.options.state_dir), target_is_directory=True)
    done = subprocess.run(  # noqa: S603 - our own page's examples, our interpreter
        [sys.executable, "-c", "\n".join(blocks)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "200 ['affiliate-staff']"
    assert re.fullmatch(r'200 "\d+"', lines[1]), lines
    assert lines[2] == "409 urn:nqms:problem:version-conflict Sam Vale"
    assert lines[3:6] == ["201 201 True", "True", "422 urn:nqms:problem:idempotency-key-reused"]
    assert re.fullmatch(r"\d+ programs", lines[6]), lines
    assert lines[7].startswith("400 The `next` cursor is not valid"), lines
