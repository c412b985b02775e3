"""Items read in one batch, found again by the key each was asked for.

``Table.batch_get`` answers the items it found, in no particular order; a use case that asked
for several records (the goal and its set, the owner's membership and the answer) looks each
up here by the key it built, so no caller compares ``pk``/``sk`` itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from shared.adapters.table import Table
from shared.keys.base import Key

Record = dict[str, Any]


class Found:
    """The items of one batch read, by key."""

    def __init__(self, items: Iterable[Mapping[str, Any]]) -> None:
        self._items = {(str(i["pk"]), str(i["sk"])): dict(i) for i in items}

    def get(self, key: Key) -> Record | None:
        """The item stored under ``key``, or None if the batch did not find it."""
        return self._items.get((key["pk"], key["sk"]))

    def __contains__(self, key: Key) -> bool:
        return (key["pk"], key["sk"]) in self._items


def batch_lookup(table: Table, wanted: Sequence[Key]) -> Found:
    """``wanted`` read in one consistent batch, to look each up by its key."""
    return Found(table.batch_get(list(wanted)))
