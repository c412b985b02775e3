"""requirements.lock is what goes into every artifact: it must agree with requirements.txt and
with the versions the tests run with (`make lock` regenerates it)."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\#]+)", re.MULTILINE)


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins(path: Path) -> dict[str, str]:
    return {_name(name): version for name, version in _PIN.findall(path.read_text())}


def _locked() -> dict[str, tuple[str, list[str], str]]:
    """Name -> (version, hashes, the block's text) for each package of the lock."""
    text = (ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    locked = {}
    for block in blocks:
        match = _PIN.match(block)
        if match:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
            locked[_name(match.group(1))] = (match.group(2), hashes, block)
    return locked


def test_every_runtime_requirement_is_locked_at_its_pinned_version() -> None:
    required = _pins(ROOT / "requirements.txt")
    locked = _locked()

    assert required
    for name, version in required.items():
        assert name in locked, f"{name} is in requirements.txt but not in requirements.lock"
        assert locked[name][0] == version, (name, version, locked[name][0])


def test_the_lock_holds_only_what_requirements_txt_brings_in() -> None:
    """A package dropped from requirements.txt leaves the lock too (`make lock`)."""
    required = set(_pins(ROOT / "requirements.txt"))
    top_level = {
        name for name, (_, _, block) in _locked().items() if "-r requirements.txt" in block
    }

    assert top_level == required


def test_every_locked_package_has_hashes() -> None:
    for name, (_, hashes, _) in _locked().items():
        assert hashes, f"{name} has no hash in requirements.lock"


def test_the_tests_run_with_the_locked_versions() -> None:
    for name, (version, _, _) in _locked().items():
        assert metadata.version(name) == version, name
