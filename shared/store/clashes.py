"""A write cancelled on a record's own condition, with the record as stored now, typed.

A use case that maps its own 409 (an answer, an item's review, a review meeting) asks whether
the transaction failed on that record's condition: :func:`clash_on` answers None when another
operation failed, else a :class:`Clash` carrying the record as stored (None when there is none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from shared.adapters.table import ConditionFailed

T = TypeVar("T")


@dataclass(frozen=True)
class Clash(Generic[T]):
    """The record's own condition failed: ``stored`` is the record now (None: not stored)."""

    stored: T | None


def clash_on(
    failed: ConditionFailed, key: Mapping[str, str], typed: Callable[[Mapping[str, Any]], T]
) -> Clash[T] | None:
    """The clash if ``failed`` is the condition on ``key``; else None."""
    if not failed.on(key):
        return None
    stored = failed.stored
    return Clash(typed(stored) if stored is not None else None)
