"""Rules of the reminders job: whether a reminder still applies on its day, what is overdue,
and which week's digest is due. Pure (no AWS, no clock of its own: ``today`` is passed in).

- **Due soon** (seven days before the due date, ``shared/domain/reminders.py``) and **overdue** (the
  day after it) are published only while the assessment can still be answered: the cycle is
  open, or returned for changes. A cycle submitted (or further on), superseded or archived in
  between gets nothing. A "due soon" caught up late is still sent up to the due date itself,
  not after it (the overdue reminder follows). Weekends and holidays are nothing special.
- **Overdue work**, for the weekly digest: an assessment past its due date and still open or
  returned; a plan goal past its target date, active and not verified, in a plan in effect
  (finalized; a draft's goals are not being worked on yet).
- **The digest** goes out on Mondays (UTC), once per affiliate and week, to every affiliate
  serving a program with overdue work. A run that catches up several weeks sends the latest
  week's only: the digest lists what is overdue now, so earlier weeks would repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from shared.domain.cycle_states import ANSWERABLE, CycleState
from shared.domain.reminders import ReminderKind
from shared.events.reminders import GoalRef

#: Digests are due on Mondays (``date.weekday()``), in UTC like the job's clock.
DIGEST_WEEKDAY = 0
#: A cycle stays on the digest's watch list until it is superseded or archived.
UNWATCHED: frozenset[CycleState] = frozenset({CycleState.HISTORICAL, CycleState.ARCHIVED})
#: The states in which a plan's goals are worked on (the plan service's ``IN_EFFECT``).
GOALS_IN_EFFECT: frozenset[CycleState] = frozenset({CycleState.PLAN_FINALIZED})


def still_applies(kind: ReminderKind, state: CycleState, due_date: date, today: date) -> bool:
    """Whether a reminder looked at ``today`` is still worth sending for a cycle in ``state``."""
    if state not in ANSWERABLE:
        return False
    if kind is ReminderKind.DUE_SOON:
        return today <= due_date
    return due_date < today


def assessment_overdue(state: CycleState, due_date: date, today: date) -> bool:
    return state in ANSWERABLE and due_date < today


def still_watched(state: CycleState) -> bool:
    return state not in UNWATCHED


def digest_week(first: date, last: date) -> date | None:
    """The latest digest day (a Monday) from ``first`` through ``last``, if there is one."""
    if last < first:
        return None
    monday = last - timedelta(days=(last.weekday() - DIGEST_WEEKDAY) % 7)
    return monday if monday >= first else None


@dataclass(frozen=True)
class OverdueWork:
    """What one cycle has overdue, and the affiliates serving its program."""

    cycle_id: str
    affiliate_ids: tuple[str, ...]
    assessment_overdue: bool
    goal_ids: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return self.assessment_overdue or bool(self.goal_ids)


@dataclass
class Digest:
    """One affiliate's overdue work: the overdue assessments' cycles and the overdue goals."""

    cycle_ids: list[str] = field(default_factory=list)
    goals: list[GoalRef] = field(default_factory=list)


def digests(work: Iterable[OverdueWork]) -> dict[str, Digest]:
    """Per affiliate with overdue work, what its digest lists (in a stable order)."""
    found: dict[str, Digest] = {}
    for cycle in sorted(work, key=lambda w: w.cycle_id):
        if not cycle.any:
            continue
        for affiliate_id in sorted(set(cycle.affiliate_ids)):
            digest = found.setdefault(affiliate_id, Digest())
            if cycle.assessment_overdue:
                digest.cycle_ids.append(cycle.cycle_id)
            digest.goals.extend(
                GoalRef(cycle_id=cycle.cycle_id, goal_id=g) for g in sorted(cycle.goal_ids)
            )
    return dict(sorted(found.items()))
