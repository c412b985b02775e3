"""Registries assembled from parts, one part per service (access rules, events, keys).

Each service owns its part in its own file; one assembler merges them. A name defined by two
parts is an error, not a silent override: :func:`merge` raises, and :func:`clashes` is what
the tests check (tests/unit/test_registries.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def clashes(parts: Mapping[str, Iterable[K]]) -> dict[K, list[str]]:
    """Each name that more than one part defines -> the parts that define it."""
    owners: dict[K, list[str]] = {}
    for part, names in parts.items():
        for name in names:
            owners.setdefault(name, []).append(part)
    return {name: found for name, found in owners.items() if len(found) > 1}


def merge(what: str, parts: Mapping[str, Mapping[K, V]]) -> dict[K, V]:
    """The union of the parts' entries; ValueError naming the parts if two define one name."""
    clashing = clashes(parts)
    if clashing:
        named = "; ".join(f"{name} in {', '.join(found)}" for name, found in clashing.items())
        raise ValueError(f"{what} defined by more than one part: {named}")
    merged: dict[K, V] = {}
    for entries in parts.values():
        merged.update(entries)
    return merged
