"""Build one function's deployment artifact: its own package, ``shared/`` and its requirements.

``sam build`` runs ``make build-<LogicalId>`` for every function (``Metadata: BuildMethod:
makefile`` in infra/template.yaml) with ``ARTIFACTS_DIR`` set; each Makefile target calls

    python3 -m scripts.package functions.directory "$(ARTIFACTS_DIR)"

The artifact holds ``functions/__init__.py``, the function's package (``functions/directory``),
``shared/`` and the runtime dependencies installed from ``requirements.lock`` (every pin, the
transitive ones too, with hashes: ``make lock`` writes it from requirements.txt) as wheels for the
template's runtime and architecture: no tests, no local stack, no docs, no other function's code.
A function with dependencies of its own (the report function's PDF library and font) has its
``requirements.txt`` and ``requirements.lock`` in its folder (the lock constrained by the shared
one, so a package both need has one version); they go into that function's artifact only, so
the other artifacts do not grow.
Its own sources are compiled to bytecode in the artifact (pip compiles the packages it installs):
Lambda's file system is read-only, so a module without its ``.pyc`` is compiled again at every cold
start (about a fifth of the assessment handler's import, measured on the built artifact).
Standard library only, so it runs with any ``python3`` in the scratch copy ``sam build`` makes of
the repository. ``--host`` installs wheels for the building machine instead, so a test can run the
artifact here (tests/e2e/test_artifacts.py).
"""

from __future__ import annotations

import argparse
import compileall
import py_compile
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
#: The Globals' Runtime and Architectures of infra/template.yaml (a unit test keeps them so):
#: pip installs wheels for that platform, whatever machine builds.
PYTHON_VERSION = "3.11"
PLATFORM = "manylinux2014_aarch64"  # arm64
_SKIPPED = ("__pycache__", ".pyc", ".pyo")


class PackageError(RuntimeError):
    """The name is not a package of functions/."""


def sources(package: str, root: Path = ROOT) -> list[Path]:
    """The files a function of ``package`` (e.g. ``functions.directory``) needs, from ``root``."""
    parts = package.split(".")
    own = root.joinpath(*parts)
    if len(parts) != 2 or parts[0] != "functions" or not (own / "__init__.py").is_file():
        raise PackageError(f"{package} is not a package of functions/")
    files = [root / "functions" / "__init__.py", *_files(own), *_files(root / "shared")]
    return [f.relative_to(root) for f in files]


def _files(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not any(s in path.parts or path.name.endswith(s) for s in _SKIPPED):
            yield path


def copy_sources(package: str, destination: Path, root: Path = ROOT) -> list[Path]:
    destination.mkdir(parents=True, exist_ok=True)
    copied = sources(package, root)
    for relative in copied:
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target)
    return copied


def compile_sources(destination: Path) -> bool:
    """Compile the copied sources to bytecode beside them, when this Python is the runtime's
    (bytecode of another version would be ignored); checked by hash, not by the copy's mtime."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" != PYTHON_VERSION:
        return False
    return all(
        compileall.compile_dir(
            destination / top,
            quiet=1,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
        for top in ("functions", "shared")
    )


def own_lock(package: str, root: Path = ROOT) -> Path | None:
    """The function's own lock (``functions/<name>/requirements.lock``), if it has one."""
    lock = root.joinpath(*package.split("."), "requirements.lock")
    return lock if lock.is_file() else None


def pip_command(destination: Path, *, host: bool = False, lock: Path = LOCK) -> list[str]:
    """Install the lock's wheels, hashes checked, for the functions' platform and Python version
    (``host``: for this machine's, to run the artifact here)."""
    platform = [
        "--platform",
        PLATFORM,
        "--implementation",
        "cp",
        "--python-version",
        PYTHON_VERSION,
    ]
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--requirement",
        str(lock),
        "--require-hashes",
        "--no-deps",
        "--target",
        str(destination),
        *([] if host else platform),
        "--only-binary=:all:",
        "--upgrade",
    ]


def install_dependencies(destination: Path, *, host: bool = False) -> None:
    """The lock's packages into ``destination``, as ``pip`` installs them in every artifact."""
    subprocess.run(pip_command(destination, host=host), check=True)


def install_own_dependencies(package: str, destination: Path, *, host: bool = False) -> bool:
    """The function's own lock's packages into its artifact (False: it has none)."""
    lock = own_lock(package)
    if lock is None:
        return False
    subprocess.run(pip_command(destination, host=host, lock=lock), check=True)
    return True


def build(
    package: str, destination: Path, *, host: bool = False, dependencies: Path | None = None
) -> list[Path]:
    """One artifact: ``package``'s sources, the lock's packages and the function's own; the
    sources copied. ``dependencies``: a folder ``install_dependencies`` filled, copied instead of
    installing again (the same files: tests build every function's artifact from one install)."""
    copied = copy_sources(package, destination)
    compile_sources(destination)
    if dependencies is None:
        install_dependencies(destination, host=host)
    else:
        shutil.copytree(dependencies, destination, dirs_exist_ok=True, symlinks=True)
    install_own_dependencies(package, destination, host=host)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build one function's deployment artifact.")
    parser.add_argument("package", help="the function's package, e.g. functions.directory")
    parser.add_argument("destination", type=Path, help="the artifact directory (ARTIFACTS_DIR)")
    parser.add_argument("--no-deps", action="store_true", help="copy the sources only")
    parser.add_argument("--host", action="store_true", help="wheels for this machine (tests)")
    args = parser.parse_args(argv)
    try:
        if args.no_deps:
            copied = copy_sources(args.package, args.destination)
            compile_sources(args.destination)
        else:
            copied = build(args.package, args.destination, host=args.host)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.package}: {len(copied)} files -> {args.destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
