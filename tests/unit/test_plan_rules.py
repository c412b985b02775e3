"""The plan's pure rules: the goal window, gentle and hard rules, statuses, counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from functions.plan.rules import (
    GoalStatus,
    add_months,
    after_completion,
    after_progress,
    after_send_back,
    after_verification,
    check_finalizable,
    check_goal_added,
    check_goal_dates,
    check_goal_retired,
    goal_warnings,
    summarize,
)
from shared.domain.goals import is_overdue
from shared.errors import IllegalTransition, RuleViolation

S = GoalStatus


def test_months_later_keep_the_day_or_take_the_months_last() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 12) == date(2027, 11, 15)


def test_gentle_rules_warn_and_never_refuse() -> None:
    anchor = date(2026, 3, 1)
    inside = date(2026, 12, 1)
    assert goal_warnings(baseline=2, target=4, target_date=inside, anchor=anchor) == []
    assert goal_warnings(baseline=None, target=1, target_date=inside, anchor=anchor) == []
    for edge in (date(2026, 9, 1), date(2027, 3, 1)):  # 6 and 12 months: inside
        assert goal_warnings(baseline=2, target=4, target_date=edge, anchor=anchor) == []
    warned = goal_warnings(baseline=4, target=4, target_date=date(2027, 3, 2), anchor=anchor)
    assert [(w.code, w.field) for w in warned] == [
        ("target-not-above-baseline", "target_rating"),
        ("target-date-outside-window", "target_date"),
    ]


def test_a_target_date_before_the_start_is_refused_naming_it() -> None:
    check_goal_dates(date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(RuleViolation) as refused:
        check_goal_dates(date(2026, 1, 2), date(2026, 1, 1))
    assert refused.value.extensions["field"] == "body.target_date"


@pytest.mark.parametrize("active", [0, 2, 6])
def test_finalizing_needs_three_to_five_active_goals(active: int) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_finalizable(active)
    assert refused.value.extensions["rule"] == "three-to-five-goals"
    for fine in (3, 4, 5):
        check_finalizable(fine)


def test_a_finalized_plan_keeps_three_to_five_a_draft_may_hold_more() -> None:
    check_goal_added(5, finalized=False)
    check_goal_retired(3, finalized=False)
    with pytest.raises(RuleViolation):
        check_goal_added(5, finalized=True)
    with pytest.raises(RuleViolation):
        check_goal_retired(3, finalized=True)
    check_goal_added(4, finalized=True)
    check_goal_retired(4, finalized=True)


def test_statuses_run_from_work_to_completion_to_verification_or_back() -> None:
    assert after_progress(S.NOT_STARTED) is S.IN_PROGRESS
    assert after_completion(S.IN_PROGRESS) is S.COMPLETED
    assert after_send_back(S.COMPLETED) is S.SENT_BACK
    assert after_progress(S.SENT_BACK) is S.IN_PROGRESS
    assert after_verification(S.COMPLETED, 4) is S.VERIFIED
    refusals: list[tuple[Callable[[], object], str]] = [
        (lambda: after_verification(S.IN_PROGRESS, 4), "in_progress"),
        (lambda: after_progress(S.COMPLETED), "completed"),
        (lambda: after_completion(S.VERIFIED), "verified"),
        (lambda: after_send_back(S.SENT_BACK), "sent_back"),
    ]
    for refused, status in refusals:
        with pytest.raises(IllegalTransition) as error:
            refused()
        assert error.value.extensions["current_state"] == status


def test_overdue_is_past_the_target_date_active_and_not_verified() -> None:
    target, day_after = date(2026, 6, 30), date(2026, 7, 1)
    assert not is_overdue(S.IN_PROGRESS, False, target, target)
    assert is_overdue(S.IN_PROGRESS, False, target, day_after)
    assert is_overdue(S.COMPLETED, False, target, day_after)
    assert not is_overdue(S.VERIFIED, False, target, day_after)
    assert not is_overdue(S.IN_PROGRESS, True, target, day_after)
    counts = summarize(
        [
            (S.VERIFIED, False, target),
            (S.IN_PROGRESS, False, target),
            (S.NOT_STARTED, False, date(2027, 1, 1)),
            (S.NOT_STARTED, True, target),
        ],
        day_after,
    )
    assert (counts.active, counts.verified, counts.open, counts.overdue, counts.retired) == (
        3,
        1,
        2,
        1,
        1,
    )
