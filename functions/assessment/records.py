"""Assessment records' API views, and the instrument record. Pure.

Answers are read and written through ``functions/assessment/store.py`` (a cycle and its
answers share one partition); cycles of a program are listed through gsi1
(``PROGRAM#<id>#CYCLES``). The cycle record itself (its builder, its typed form) is shared by
every service: ``shared/store/cycles.py``.
"""

from __future__ import annotations

from functions.assessment.models import (
    Answer,
    Cycle,
    InstrumentSummary,
    PreviousAnswer,
)
from functions.assessment.store import StoredAnswer
from shared import keys
from shared.domain.cycle_states import allowed_actions
from shared.domain.instrument import Instrument
from shared.store.cycles import Record


# --------------------------------------------------------------------------- cycles
def cycle_view(item: Record) -> Cycle:
    actions = [a.value for a in allowed_actions(item["state"])]
    return Cycle.model_validate({**item, "allowed_actions": actions})


# --------------------------------------------------------------------------- answers
def answer_view(answer: StoredAnswer, instrument: Instrument) -> Answer:
    """The answer, shown under the item's code in this cycle's instrument."""
    item = instrument.item_by_key(answer.item_key)
    code = item.code if item is not None else answer.item_code
    return Answer.model_validate({**answer.item, "item_code": code})


def previous_view(answer: StoredAnswer, cycle_id: str) -> PreviousAnswer:
    return PreviousAnswer.model_validate({**answer.item, "cycle_id": cycle_id})


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
