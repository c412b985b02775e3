"""Badge rules, pure: what each step means, when a badge is earned, until when it is valid,
and what its status is on a given day (the renewal rule). The issuer, the expiry job and the
verify endpoint all decide with these functions, so a badge means the same thing everywhere.

Dates are calendar dates: the review date is the meeting's local date (``functions.review.
rules.review_date``) and a badge is valid through its ``valid_until`` day, expired the day after.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from shared.domain.badge_links import LEVEL_NAMES

#: Years a badge is valid after the review date.
VALID_YEARS = 3
#: Months a badge stays "renewal in progress" past its date while a newer cycle runs (an
#: affiliate may set its own).
DEFAULT_GRACE_MONTHS = 12
#: Days before ``valid_until`` on which the program is told its badge expires soon.
EXPIRY_NOTICE_DAYS: tuple[int, ...] = (90, 30)
#: Verified goals of the finalized plan that earn Step 2.
GOALS_FOR_STEP_2 = 3


class Level(StrEnum):
    STEP_1 = "step1"
    STEP_2 = "step2"

    @property
    def display_name(self) -> str:
        return LEVEL_NAMES[self.value]

    @property
    def criteria(self) -> str:
        """What the step means, in the words a partner reads (Open Badges criteria)."""
        return _CRITERIA[self]


_CRITERIA = {
    Level.STEP_1: (
        "The program completed the National Quality Mentoring System self-assessment against "
        "the Elements of Effective Practice for Mentoring, its MENTOR affiliate reviewed it "
        "and met the program, and together they completed an Improvement and Innovation Plan."
    ),
    Level.STEP_2: (
        "The program holds Step 1 and completed at least three goals of its Improvement and "
        "Innovation Plan, each verified by its MENTOR affiliate."
    ),
}


class BadgeStatus(StrEnum):
    ACTIVE = "active"
    RENEWAL_IN_PROGRESS = "renewal_in_progress"  # a newer cycle runs; still valid meanwhile
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"  # the newer cycle's Step 1 replaced it

    @property
    def is_valid(self) -> bool:
        """Whether a partner may rely on the badge today."""
        return self in (BadgeStatus.ACTIVE, BadgeStatus.RENEWAL_IN_PROGRESS)


# =========================================================================== identity
def badge_id(cycle_id: str, level: Level | str) -> str:
    """The badge of a cycle at a level, always the same id: an event delivered three times
    creates it once (a conditional create of this key)."""
    digest = hashlib.sha256(f"{cycle_id}:{Level(level).value}".encode()).hexdigest()
    return f"bdg_{digest[:20]}"


# =========================================================================== dates
def add_years(day: date, years: int) -> date:
    """The same calendar date ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def valid_until(review_date: date) -> date:
    """The last day a badge is valid: the review date three years later (29 Feb -> 28 Feb)."""
    return add_years(review_date, VALID_YEARS)


def expiry_day(until: date) -> date:
    """The first day a badge is expired (the expiry job's day for it)."""
    return until + timedelta(days=1)


def notice_days(until: date) -> dict[int, date]:
    """The day each "expires soon" notice is due: 90 and 30 days before ``until``."""
    return {days: until - timedelta(days=days) for days in EXPIRY_NOTICE_DAYS}


# =========================================================================== earning
@dataclass(frozen=True)
class CycleAchievements:
    """What the issuer reads of a cycle to decide (never taken from the event)."""

    submitted: bool
    review_date: date | None
    plan_finalized: bool
    verified_goals: int


def earned_levels(facts: CycleAchievements) -> list[Level]:
    """The levels a cycle has earned. Step 1: the assessment submitted, its review completed
    (a review date) and its plan finalized. Step 2: Step 1, and 3 verified goals of the plan."""
    if not (facts.submitted and facts.review_date is not None and facts.plan_finalized):
        return []
    if facts.verified_goals >= GOALS_FOR_STEP_2:
        return [Level.STEP_1, Level.STEP_2]
    return [Level.STEP_1]


# =========================================================================== status
@dataclass(frozen=True)
class NewerCycle:
    """A cycle of the same program opened after the badge's cycle."""

    opened_on: date
    archived: bool
    step_1_issued: bool  # its own Step 1 badge exists: it supersedes the older badges


@dataclass(frozen=True)
class BadgeFacts:
    valid_until: date
    revoked: bool = False
    superseded: bool = False  # a newer cycle's Step 1 replaced it (recorded by the issuer)


def current_status(
    badge: BadgeFacts,
    newer: NewerCycle | None,
    as_of: date,
    grace_months: int = DEFAULT_GRACE_MONTHS,
) -> BadgeStatus:
    """A badge's status on ``as_of`` (the renewal rule).

    Revoked is final. A newer cycle opened by ``valid_until`` keeps the badge valid, "renewal
    in progress", until that cycle's Step 1 supersedes it, the cycle is archived, or the grace
    period (``grace_months`` past ``valid_until``) ends. Otherwise it is active through
    ``valid_until`` and expired after.
    """
    if badge.revoked:
        return BadgeStatus.REVOKED
    if badge.superseded:
        return BadgeStatus.SUPERSEDED
    renewing = newer is not None and not newer.archived and newer.opened_on <= badge.valid_until
    if renewing and newer is not None and newer.step_1_issued:
        return BadgeStatus.SUPERSEDED
    if renewing and as_of <= add_months(badge.valid_until, grace_months):
        return BadgeStatus.RENEWAL_IN_PROGRESS
    if as_of <= badge.valid_until:
        return BadgeStatus.ACTIVE
    return BadgeStatus.EXPIRED
