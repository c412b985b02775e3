"""Instrument versions: listing, publishing, and translating answers between versions.

Reading one version (packaged or published, cached per process) is
``shared.store.instrument_versions``, which every service uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from functions.assessment import records
from functions.assessment.models import InstrumentIn, InstrumentList, InstrumentSummary
from shared import clock
from shared.access import relations_in_general
from shared.adapters.table import ItemExists, Table
from shared.context import Context
from shared.domain.instrument import (
    DEFAULT_INSTRUMENT,
    Instrument,
    InstrumentError,
    crosswalk_for,
    load_instrument,
    translate_answers,
    validate_instrument,
)
from shared.errors import AlreadyExists, RuleViolation
from shared.events import InstrumentPublished, new_event
from shared.store.audit import audit_entry
from shared.store.instrument_versions import (
    PACKAGED,
    get_version,
    latest_version,
    published,
    version_with_crosswalk,
)

T = TypeVar("T")


def translate_keys(
    table: Table, answers: Mapping[str, T], *, from_version: int, to_version: int
) -> dict[str, T]:
    """Answers keyed for ``from_version``, re-keyed for ``to_version`` through the crosswalks
    of the versions in between (each version's record holds the one from the version before)."""
    newer_versions = range(min(from_version, to_version) + 1, max(from_version, to_version) + 1)
    chain = [
        c for v in newer_versions if (c := version_with_crosswalk(table, DEFAULT_INSTRUMENT, v)[1])
    ]
    backward = to_version < from_version
    return translate_answers(answers, chain[::-1] if backward else chain, backward=backward)


def list_instruments(ctx: Context, table: Table) -> InstrumentList:
    ctx.authorize(relations_in_general(ctx.caller))
    summaries: list[InstrumentSummary] = [
        records.instrument_summary(load_instrument(key, version), None)
        for key, version in PACKAGED.items()
    ]
    for key in PACKAGED:
        for record in published(table, key):
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
    try:
        uow.commit()
    except ItemExists as failed:
        raise AlreadyExists(
            f"Version {instrument.version} of {instrument.key} was just published by someone else."
        ) from failed
    return records.instrument_summary(instrument, clock.now_iso())
