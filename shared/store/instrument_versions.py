"""Reading an instrument version: the packaged first version, or one national staff published.

Version 1 of ``nqms-eepm4`` ships with the code (``shared/instruments``); later versions are
records in the table, each with the crosswalk from the version before it. A published version
never changes, so each is read once per process. Every service that reads a cycle's
instrument (assessment, review, plan) goes through here, so they share one cache.
"""

from __future__ import annotations

from typing import Any

from shared import keys
from shared.adapters.table import Table
from shared.domain.instrument import (
    DEFAULT_INSTRUMENT,
    Crosswalk,
    Instrument,
    load_instrument,
    validate_instrument,
)
from shared.errors import NotFound

PACKAGED: dict[str, int] = {DEFAULT_INSTRUMENT: 1}  # instrument key -> packaged version
_published: dict[tuple[str, int], tuple[Instrument, Crosswalk | None]] = {}


def forget_published() -> None:
    """Drop the per-process cache of published versions (tests start from an empty table)."""
    _published.clear()


def get_version(table: Table, version: int, key: str = DEFAULT_INSTRUMENT) -> Instrument:
    return version_with_crosswalk(table, key, version)[0]


def version_with_crosswalk(
    table: Table, key: str, version: int
) -> tuple[Instrument, Crosswalk | None]:
    """The version and the crosswalk from the version before it (none for a packaged one)."""
    if PACKAGED.get(key) == version:
        return load_instrument(key, version), None
    cached = _published.get((key, version))
    if cached is not None:
        return cached
    record = table.get(keys.instrument_version(key, version), consistent=False)
    if record is None:
        raise NotFound(f"Instrument {key} version {version} not found.")
    instrument = validate_instrument(record["instrument"])
    crosswalk = None
    if record.get("crosswalk") is not None:
        crosswalk = Crosswalk(version - 1, version, dict(record["crosswalk"]))
    _published[(key, version)] = (instrument, crosswalk)
    return instrument, crosswalk


def latest_version(table: Table, key: str = DEFAULT_INSTRUMENT) -> int:
    page = table.query(keys.instrument_partition(key), limit=1, forward=False)
    if page.items:
        return int(page.items[0]["instrument_version"])
    return PACKAGED.get(key, 0)


def published(table: Table, key: str = DEFAULT_INSTRUMENT) -> list[dict[str, Any]]:
    """Every published version of the instrument ``key`` as stored, oldest first (one query)."""
    return table.query_all(keys.instrument_partition(key))
