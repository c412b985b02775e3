"""Badge rules: validity dates at their edges, earning, and the renewal rule."""

from __future__ import annotations

from datetime import date

import pytest

from functions.badge.rules import (
    BadgeFacts,
    BadgeStatus,
    CycleAchievements,
    Level,
    NewerCycle,
    add_months,
    badge_id,
    current_status,
    earned_levels,
    expiry_day,
    notice_days,
    valid_until,
)


@pytest.mark.parametrize(
    ("review", "until"),
    [
        (date(2026, 11, 23), date(2029, 11, 23)),
        (date(2028, 2, 29), date(2031, 2, 28)),  # no 29 February in 2031
        (date(2027, 2, 28), date(2030, 2, 28)),
        (date(2029, 2, 28), date(2032, 2, 28)),  # 2032 has a 29th; the date stays the 28th
        (date(2026, 12, 31), date(2029, 12, 31)),
    ],
)
def test_a_badge_is_valid_through_the_review_date_three_years_later(
    review: date, until: date
) -> None:
    assert valid_until(review) == until


def test_it_expires_the_day_after_and_is_announced_90_and_30_days_before() -> None:
    until = date(2029, 3, 1)
    assert expiry_day(until) == date(2029, 3, 2)
    assert notice_days(until) == {90: date(2028, 12, 1), 30: date(2029, 1, 30)}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2029, 1, 31), 1, date(2029, 2, 28)),
        (date(2029, 11, 23), 12, date(2030, 11, 23)),
        (date(2031, 2, 28), 12, date(2032, 2, 28)),
        (date(2029, 12, 15), 3, date(2030, 3, 15)),
    ],
)
def test_months_are_added_to_the_calendar(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_the_same_cycle_and_level_always_name_the_same_badge() -> None:
    first = badge_id("cyc_0123456789abcdef0123", Level.STEP_1)
    assert first == badge_id("cyc_0123456789abcdef0123", "step1")
    assert first != badge_id("cyc_0123456789abcdef0123", Level.STEP_2)
    assert first.startswith("bdg_")
    assert len(first) == 24


def test_each_level_says_its_name_and_what_it_means() -> None:
    assert Level.STEP_1.display_name == "Initiated in NQMS"
    assert Level.STEP_2.display_name == "Progressing in NQMS"
    assert "Improvement and Innovation Plan" in Level.STEP_1.criteria
    assert "three goals" in Level.STEP_2.criteria


@pytest.mark.parametrize(
    ("facts", "levels"),
    [
        (CycleAchievements(True, date(2026, 5, 1), True, 0), [Level.STEP_1]),
        (CycleAchievements(True, date(2026, 5, 1), True, 2), [Level.STEP_1]),
        (CycleAchievements(True, date(2026, 5, 1), True, 3), [Level.STEP_1, Level.STEP_2]),
        (CycleAchievements(True, date(2026, 5, 1), False, 3), []),  # no finalized plan
        (CycleAchievements(True, None, True, 0), []),  # review not completed
        (CycleAchievements(False, date(2026, 5, 1), True, 0), []),
    ],
)
def test_step_1_needs_submission_review_and_plan_and_step_2_three_verified_goals(
    facts: CycleAchievements, levels: list[Level]
) -> None:
    assert earned_levels(facts) == levels


UNTIL = date(2029, 5, 1)
BADGE = BadgeFacts(valid_until=UNTIL)
RENEWING = BadgeStatus.RENEWAL_IN_PROGRESS


@pytest.mark.parametrize(
    ("newer", "as_of", "status"),
    [
        (None, UNTIL, BadgeStatus.ACTIVE),  # valid through its last day
        (None, date(2029, 5, 2), BadgeStatus.EXPIRED),
        # a newer cycle opened in time: valid meanwhile, through the grace period
        (
            NewerCycle(date(2029, 4, 1), False, False),
            date(2029, 4, 2),
            BadgeStatus.RENEWAL_IN_PROGRESS,
        ),
        (
            NewerCycle(date(2029, 4, 1), False, False),
            date(2030, 5, 1),
            BadgeStatus.RENEWAL_IN_PROGRESS,
        ),
        (NewerCycle(date(2029, 4, 1), False, False), date(2030, 5, 2), BadgeStatus.EXPIRED),
        (NewerCycle(UNTIL, False, False), date(2029, 6, 1), RENEWING),
        # opened too late, or archived: the badge keeps its own date
        (NewerCycle(date(2029, 5, 2), False, False), date(2029, 5, 2), BadgeStatus.EXPIRED),
        (NewerCycle(date(2029, 4, 1), True, False), date(2029, 4, 2), BadgeStatus.ACTIVE),
        (NewerCycle(date(2029, 4, 1), True, False), date(2029, 5, 2), BadgeStatus.EXPIRED),
        # the newer cycle's Step 1 supersedes it
        (NewerCycle(date(2029, 4, 1), False, True), date(2029, 4, 2), BadgeStatus.SUPERSEDED),
    ],
)
def test_the_renewal_rule(newer: NewerCycle | None, as_of: date, status: BadgeStatus) -> None:
    assert current_status(BADGE, newer, as_of) == status


def test_an_affiliate_may_set_a_shorter_grace_period_and_revocation_is_final() -> None:
    newer = NewerCycle(date(2029, 4, 1), False, False)
    assert current_status(BADGE, newer, date(2029, 8, 2), grace_months=3) == BadgeStatus.EXPIRED
    assert current_status(BADGE, newer, date(2029, 8, 1), grace_months=3).is_valid
    revoked = BadgeFacts(valid_until=UNTIL, revoked=True)
    assert current_status(revoked, None, date(2027, 1, 1)) == BadgeStatus.REVOKED
    assert not BadgeStatus.REVOKED.is_valid
