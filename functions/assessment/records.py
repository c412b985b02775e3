"""Assessment records in the single table, and their API views. Pure.

A cycle and its answers share one partition (``CYCLE#<id>``): the cycle record under sort
key ``CYCLE``, each answer under ``ANSWER#<item key>``, so one query reads a whole
assessment. Cycles of a program are listed through gsi1 (``PROGRAM#<id>#CYCLES``). The cycle record
itself (its builder, its typed form) is shared by every service: ``shared/store/cycles.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from functions.assessment.models import (
    Answer,
    AnswerIn,
    Cycle,
    InstrumentSummary,
    PreviousAnswer,
)
from shared import keys
from shared.domain.cycle_states import allowed_actions
from shared.domain.instrument import Instrument, Item
from shared.store.cycles import Record


# --------------------------------------------------------------------------- cycles
def cycle_view(item: Record) -> Cycle:
    actions = [a.value for a in allowed_actions(item["state"])]
    return Cycle.model_validate({**item, "allowed_actions": actions})


def split_partition(items: Iterable[Record]) -> tuple[Record | None, dict[str, Record]]:
    """The cycle record and its answers by item key, from one query of the partition."""
    cycle: Record | None = None
    answers: dict[str, Record] = {}
    for item in items:
        if item["sk"] == "CYCLE":
            cycle = item
        elif item["sk"].startswith(keys.ANSWER_PREFIX):
            answers[item["item_key"]] = item
    return cycle, answers


# --------------------------------------------------------------------------- answers
def answer_item(
    *, cycle_id: str, item: Item, body: AnswerIn, saved_by: str, saved_at: str
) -> Record:
    return {
        **keys.answer(cycle_id, item.key),
        "type": "answer",
        "cycle_id": cycle_id,
        "item_key": item.key,
        "item_code": item.code,
        "in_practice": body.in_practice,
        "rating": body.rating,
        "notes": body.notes,
        "saved_by": saved_by,
        "saved_at": saved_at,
    }


def answer_view(record: Record, instrument: Instrument) -> Answer:
    """The answer, shown under the item's code in this cycle's instrument."""
    item = instrument.item_by_key(record["item_key"])
    code = item.code if item is not None else record["item_code"]
    return Answer.model_validate({**record, "item_code": code})


def previous_view(record: Record, cycle_id: str) -> PreviousAnswer:
    return PreviousAnswer.model_validate({**record, "cycle_id": cycle_id})


# --------------------------------------------------------------------------- instruments
def instrument_item(instrument: Instrument, crosswalk: dict[str, str | None] | None) -> Record:
    return {
        **keys.instrument_version(instrument.key, instrument.version),
        "type": "instrument",
        "instrument_key": instrument.key,
        "instrument_version": instrument.version,
        "title": instrument.title,
        "item_count": len(instrument.items),
        "instrument": instrument.to_dict(),
        "crosswalk": crosswalk,
    }


def instrument_summary(instrument: Instrument, published_at: str | None) -> InstrumentSummary:
    return InstrumentSummary(
        key=instrument.key,
        version=instrument.version,
        title=instrument.title,
        item_count=len(instrument.items),
        published_at=published_at,
    )
