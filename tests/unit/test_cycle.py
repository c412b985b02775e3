"""The cycle's state machine and readiness rule: pure, every service builds on them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain.cycle_states import (
    ANSWERABLE,
    TRANSITIONS,
    Action,
    CycleState,
    allowed_actions,
    may_open_new_cycle,
    months_between,
    readiness_warning,
    transition,
)
from shared.errors import IllegalTransition

S, A = CycleState, Action


def test_the_happy_path_runs_from_open_to_plan_finalized() -> None:
    state = S.OPEN
    for action in (A.SUBMIT, A.START_REVIEW, A.COMPLETE_REVIEW, A.FINALIZE_PLAN):
        state = transition(state, action)
    assert state == S.PLAN_FINALIZED


def test_returning_unlocks_answers_and_resubmitting_locks_them() -> None:
    returned = transition(S.SUBMITTED, A.RETURN)
    assert returned in ANSWERABLE
    assert transition(returned, A.SUBMIT) == S.SUBMITTED
    assert S.SUBMITTED not in ANSWERABLE


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.OPEN, A.RETURN),
        (S.SUBMITTED, A.SUBMIT),
        (S.OPEN, A.COMPLETE_REVIEW),
        (S.ARCHIVED, A.ARCHIVE),
        (S.ARCHIVED, A.SUBMIT),
        (S.HISTORICAL, A.SUBMIT),
        (S.PLAN_FINALIZED, A.RETURN),
    ],
)
def test_an_illegal_transition_is_a_409_naming_the_current_state(
    state: CycleState, action: Action
) -> None:
    with pytest.raises(IllegalTransition) as raised:
        transition(state, action)
    assert raised.value.status == 409
    assert raised.value.extensions["current_state"] == state.value
    assert state.value in raised.value.detail


def test_archived_is_final_and_every_live_state_can_be_archived() -> None:
    assert allowed_actions(S.ARCHIVED) == []
    for state in S:
        if state != S.ARCHIVED:
            assert transition(state, A.ARCHIVE) == S.ARCHIVED


def test_every_transition_names_a_service_that_owns_it() -> None:
    owners = {t.owner for t in TRANSITIONS}
    assert owners == {"assessment", "review", "plan"}
    pairs = [(t.source, t.action) for t in TRANSITIONS]
    assert len(pairs) == len(set(pairs))  # deterministic


def test_a_new_cycle_waits_for_the_review_of_the_current_one() -> None:
    assert may_open_new_cycle(None)
    assert not may_open_new_cycle(S.OPEN)
    assert not may_open_new_cycle(S.SUBMITTED)
    assert may_open_new_cycle(S.REVIEW_COMPLETED)
    assert may_open_new_cycle(S.PLAN_FINALIZED)


@given(st.sampled_from(list(S)), st.sampled_from(list(A)))
def test_transition_either_lands_in_a_known_state_or_refuses(
    state: CycleState, action: Action
) -> None:
    try:
        assert transition(state, action) in set(S)
    except IllegalTransition:
        assert action not in allowed_actions(state)


def test_readiness_warns_before_twelve_months_of_matching() -> None:
    assert months_between(date(2025, 1, 31), date(2026, 1, 30)) == 11
    assert months_between(date(2025, 1, 31), date(2026, 1, 31)) == 12
    warning = readiness_warning(date(2026, 6, 1), date(2026, 11, 23))
    assert warning is not None
    assert "5 months" in warning
    assert readiness_warning(date(2025, 11, 23), date(2026, 11, 23)) is None
    future = readiness_warning(date(2027, 1, 1), date(2026, 11, 23))
    assert future is not None
    assert "0 months" in future
