"""Instrument versions: the packaged first version, and later ones national staff publish.

Version 1 of ``nqms-eepm4`` ships with the code (``shared/instruments``); later versions are
records in the table, each with the crosswalk from the version before it. A published version
never changes, so versions are cached per process once read.
"""

from __future__ import annotations

from typing import Any

from functions.assessment import records
from functions.assessment.models import InstrumentIn, InstrumentList, InstrumentSummary
from shared import clock, keys
from shared.access import relations_in_general
from shared.adapters.table import Table
from shared.audit import audit_entry
from shared.context import Context
from shared.errors import AlreadyExists, NotFound, RuleViolation
from shared.events import InstrumentPublished, new_event
from shared.instrument import (
    DEFAULT_INSTRUMENT,
    Crosswalk,
    Instrument,
    InstrumentError,
    crosswalk_for,
    load_instrument,
    translate_answers,
    validate_instrument,
)

PACKAGED: dict[str, int] = {DEFAULT_INSTRUMENT: 1}  # instrument key -> packaged version
_published: dict[tuple[str, int], tuple[Instrument, Crosswalk | None]] = {}


def forget_published() -> None:
    """Drop the per-process cache of published versions (tests start from an empty table)."""
    _published.clear()


def get_version(table: Table, version: int, key: str = DEFAULT_INSTRUMENT) -> Instrument:
    return _get(table, key, version)[0]


def _get(table: Table, key: str, version: int) -> tuple[Instrument, Crosswalk | None]:
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


def translate_keys(
    table: Table, answers: dict[str, Any], *, from_version: int, to_version: int
) -> dict[str, Any]:
    """Answers keyed for ``from_version``, re-keyed for ``to_version`` through the crosswalks
    of the versions in between (each version's record holds the one from the version before)."""
    newer_versions = range(min(from_version, to_version) + 1, max(from_version, to_version) + 1)
    chain = [c for v in newer_versions if (c := _get(table, DEFAULT_INSTRUMENT, v)[1])]
    backward = to_version < from_version
    return translate_answers(answers, chain[::-1] if backward else chain, backward=backward)


def list_instruments(ctx: Context, table: Table) -> InstrumentList:
    ctx.authorize(relations_in_general(ctx.caller))
    summaries: list[InstrumentSummary] = [
        records.instrument_summary(load_instrument(key, version), None)
        for key, version in PACKAGED.items()
    ]
    for key in PACKAGED:
        for record in table.query_all(keys.instrument_partition(key)):
            summaries.append(
                InstrumentSummary(
                    key=record["instrument_key"],
                    version=int(record["instrument_version"]),
                    title=record["title"],
                    item_count=int(record["item_count"]),
                    published_at=record.get("created_at"),
                )
            )
    return InstrumentList(items=summaries)


def get_instrument(ctx: Context, table: Table, version: int) -> Instrument:
    ctx.authorize(relations_in_general(ctx.caller))
    return get_version(table, version)


def publish_instrument(ctx: Context, table: Table, body: InstrumentIn) -> InstrumentSummary:
    """A new version of an instrument; cycles already open stay on the version they had."""
    ctx.authorize(relations_in_general(ctx.caller))
    try:
        instrument = validate_instrument(body.instrument)
    except InstrumentError as error:
        raise RuleViolation(
            f"The instrument is malformed: {error}", field="body.instrument"
        ) from error
    expected = latest_version(table, instrument.key) + 1
    if instrument.version != expected:
        raise RuleViolation(
            f"The next version of {instrument.key} is {expected}, not {instrument.version}.",
            field="body.instrument.version",
        )
    mapping: dict[str, str | None] | None = None
    if expected > 1:
        previous = get_version(table, expected - 1, instrument.key)
        try:
            mapping = dict(crosswalk_for(previous, instrument, body.crosswalk).mapping)
        except InstrumentError as error:
            raise RuleViolation(
                f"The crosswalk is malformed: {error}", field="body.crosswalk"
            ) from error
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    uow.create(
        records.instrument_item(instrument, mapping),
        what=f"Version {instrument.version} of {instrument.key}",
        on_exists=lambda _current: AlreadyExists(
            f"Version {instrument.version} of {instrument.key} was just published by someone else."
        ),
    )
    uow.append(
        audit_entry(ctx, "change", scope="national", scope_id="instruments", target=instrument.key)
    )
    uow.emit(
        new_event(
            InstrumentPublished(
                instrument_key=instrument.key,
                version=instrument.version,
                item_count=len(instrument.items),
            ),
            actor=ctx.actor,
            correlation_id=ctx.correlation_id,
        )
    )
    uow.commit()
    return records.instrument_summary(instrument, clock.now_iso())
