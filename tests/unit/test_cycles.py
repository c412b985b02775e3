"""The storage side of a cycle shared by every service: its typed record and its state guards."""

from __future__ import annotations

import re

import pytest

from shared.domain.cycle_states import ANSWERABLE, TRANSITIONS, Action, CycleState, sources
from shared.store.cycles import CycleRecord, state_condition

S = CycleState


def test_a_state_condition_admits_exactly_the_states_it_is_built_from() -> None:
    condition = state_condition(ANSWERABLE)
    placeholders = re.findall(r":\w+", condition.expression)
    assert sorted(placeholders) == sorted(condition.values)
    assert {condition.values[p] for p in placeholders} == {S.OPEN.value, S.RETURNED.value}
    assert dict(condition.names) == {"#state": "state"}


def test_a_state_condition_needs_a_state() -> None:
    with pytest.raises(ValueError, match="at least one state"):
        state_condition(frozenset())


def test_submitting_is_guarded_by_the_states_in_which_answers_change() -> None:
    assert sources(Action.SUBMIT) == ANSWERABLE
    assert sources(Action.START_REVIEW) == {S.SUBMITTED}
    assert sources(Action.RETURN) == {S.SUBMITTED, S.IN_REVIEW}


def test_every_action_has_a_state_condition_the_table_accepts() -> None:
    # DynamoDB placeholders are ':' followed by alphanumerics or '_': state values must fit.
    for action in {t.action for t in TRANSITIONS}:
        condition = state_condition(sources(action))
        assert all(re.fullmatch(r":[A-Za-z0-9_]+", p) for p in condition.values)


ITEM = {
    "pk": "CYCLE#cyc_1",
    "sk": "CYCLE",
    "cycle_id": "cyc_1",
    "program_id": "prg_1",
    "state": "submitted",
    "instrument_key": "nqms",
    "instrument_version": 2,
    "version": 3,
    "previous_cycle_id": None,
    "due_date": "2026-12-01",
}


def test_a_cycle_record_is_typed_and_keeps_the_item_it_was_read_from() -> None:
    record = CycleRecord.from_item({**ITEM, "affiliate_ids": ["aff_1", "aff_2"]})
    assert record.state is S.SUBMITTED
    assert record.affiliate_ids == ("aff_1", "aff_2")
    assert (record.instrument_version, record.version) == (2, 3)
    assert record.item["due_date"] == "2026-12-01"
