"""requirements.lock is what goes into every artifact, and a function's own lock
(functions/<name>/requirements.lock) what goes into its artifact besides: each must agree with its
requirements.txt and with the versions the tests run with, and the two with each other (`make
lock` regenerates them)."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\#]+)", re.MULTILINE)


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pins(path: Path) -> dict[str, str]:
    return {_name(name): version for name, version in _PIN.findall(path.read_text())}


#: (requirements, its lock): the shared one, then each function's own.
LOCKS = [
    (ROOT / "requirements.txt", ROOT / "requirements.lock"),
    *(
        (lock.with_name("requirements.txt"), lock)
        for lock in sorted((ROOT / "functions").glob("*/requirements.lock"))
    ),
]
NAMES = [str(lock.relative_to(ROOT)) for _, lock in LOCKS]


def _locked(lock: Path = ROOT / "requirements.lock") -> dict[str, tuple[str, list[str], str]]:
    """Name -> (version, hashes, the block's text) for each package of the lock."""
    text = lock.read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    locked = {}
    for block in blocks:
        match = _PIN.match(block)
        if match:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
            locked[_name(match.group(1))] = (match.group(2), hashes, block)
    return locked


def test_the_report_function_has_its_own_lock() -> None:
    assert "functions/report/requirements.lock" in NAMES


@pytest.mark.parametrize(("requirements", "lock"), LOCKS, ids=NAMES)
def test_every_runtime_requirement_is_locked_at_its_pinned_version(
    requirements: Path, lock: Path
) -> None:
    required = _pins(requirements)
    locked = _locked(lock)

    assert required
    for name, version in required.items():
        assert name in locked, f"{name} is in requirements.txt but not in requirements.lock"
        assert locked[name][0] == version, (name, version, locked[name][0])


@pytest.mark.parametrize(("requirements", "lock"), LOCKS, ids=NAMES)
def test_the_lock_holds_only_what_requirements_txt_brings_in(
    requirements: Path, lock: Path
) -> None:
    """A package dropped from requirements.txt leaves the lock too (`make lock`)."""
    required = set(_pins(requirements))
    source = f"-r {requirements.relative_to(ROOT)}"
    top_level = {name for name, (_, _, block) in _locked(lock).items() if source in block}

    assert top_level == required


@pytest.mark.parametrize("lock", [lock for _, lock in LOCKS], ids=NAMES)
def test_every_locked_package_has_hashes(lock: Path) -> None:
    for name, (_, hashes, _) in _locked(lock).items():
        assert hashes, f"{name} has no hash in {lock.name}"


@pytest.mark.parametrize("lock", [lock for _, lock in LOCKS], ids=NAMES)
def test_the_tests_run_with_the_locked_versions(lock: Path) -> None:
    for name, (version, _, _) in _locked(lock).items():
        assert metadata.version(name) == version, name


def test_a_package_in_two_locks_has_one_version() -> None:
    """An artifact gets the shared lock and then its function's: one version of each package."""
    shared = _locked()
    for _, lock in LOCKS[1:]:
        for name, (version, _, _) in _locked(lock).items():
            assert shared.get(name, (version,))[0] == version, (lock, name)
