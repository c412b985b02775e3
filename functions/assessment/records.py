"""Assessment records in the single table, and their API views. Pure.

A cycle and its answers share one partition (``CYCLE#<id>``): the cycle record under sort
key ``CYCLE``, each answer under ``ANSWER#<item key>``, so one query reads a whole
assessment. Cycles of a program are listed through gsi1 (``PROGRAM#<id>#CYCLES``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from functions.assessment.models import (
    Answer,
    AnswerIn,
    Cycle,
    InstrumentSummary,
    PreviousAnswer,
    Readiness,
)
from shared import keys
from shared.cycle import CycleState, allowed_actions
from shared.instrument import Instrument, Item

Record = dict[str, Any]


def new_cycle_id() -> str:
    return f"cyc_{uuid.uuid4().hex[:20]}"


# --------------------------------------------------------------------------- cycles
def cycle_item(
    *,
    cycle_id: str,
    program: Record,
    instrument: Instrument,
    opened_at: str,
    opened_by: str,
    due_date: date,
    readiness: Readiness,
    previous_cycle_id: str | None,
) -> Record:
    return {
        **keys.cycle(cycle_id),
        "type": "cycle",
        "cycle_id": cycle_id,
        "program_id": program["program_id"],
        # Copied so that acting on the cycle authorizes without reading the program: a
        # program's affiliations are fixed at enrollment (functions/directory), so the copy
        # stays right (tests/unit/test_program_affiliations.py guards that).
        "affiliate_ids": list(program["affiliate_ids"]),
        "state": CycleState.OPEN.value,
        "instrument_key": instrument.key,
        "instrument_version": instrument.version,
        "opened_at": opened_at,
        "opened_by": opened_by,
        "due_date": due_date.isoformat(),
        "readiness": readiness.model_dump(mode="json"),
        "previous_cycle_id": previous_cycle_id,
        "gsi1pk": keys.cycles_of_program_index_pk(program["program_id"]),
        "gsi1sk": f"{opened_at}#{cycle_id}",
    }


def guard_item(program_id: str, cycle_id: str) -> Record:
    return {
        **keys.current_cycle_guard(program_id),
        "type": "guard",
        "program_id": program_id,
        "current_cycle_id": cycle_id,
    }


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
