"""A write cancelled on a record's own condition, with the record as stored now, typed.

A use case that maps its own 409 (an answer, an item's review, a review meeting) asks whether
the transaction failed on that record's condition: :func:`clash_on` answers None when another
operation failed, else a :class:`Clash` carrying the record as stored (None when there is none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from shared.adapters.table import ConditionFailed
from shared.errors import VersionConflict

T = TypeVar("T")


class _Versioned(Protocol):
    @property
    def version(self) -> int: ...


V = TypeVar("V", bound=_Versioned)


@dataclass(frozen=True)
class Clash(Generic[T]):
    """The record's own condition failed: ``stored`` is the record now (None: not stored)."""

    stored: T | None

    def conflict(
        self: Clash[V], *, unsaved: str, changed: Callable[[V], str], view: Callable[[V], Any]
    ) -> VersionConflict:
        """The 409 of a save sent at a version the record is not at: ``unsaved`` when nothing
        is stored (send it without a version), else ``changed`` and the record as stored now."""
        if self.stored is None:
            return VersionConflict(unsaved, current=None, current_version=0)
        return VersionConflict(
            changed(self.stored),
            current=view(self.stored).model_dump(mode="json"),
            current_version=self.stored.version,
        )


def clash_on(
    failed: ConditionFailed, key: Mapping[str, str], typed: Callable[[Mapping[str, Any]], T]
) -> Clash[T] | None:
    """The clash if ``failed`` is the condition on ``key``; else None."""
    if not failed.on(key):
        return None
    stored = failed.stored
    return Clash(typed(stored) if stored is not None else None)
