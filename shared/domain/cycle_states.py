"""The NQMS cycle's state machine, whole, as pure code. Every service builds on it.

    open ──submit──▶ submitted ──start_review──▶ in_review ──complete_review──▶ review_completed
     ▲                  │                           │                               │
     └──── returned ◀──return──────────────────return                        finalize_plan
              │                                                                     ▼
              └──submit──▶ submitted                                         plan_finalized

    any state but archived ──supersede──▶ historical   (a new cycle was opened)
    any state but archived ──archive────▶ archived     (dead or test cycles: kept, never reported)

Each transition names the service that owns it; a transition not in the table is illegal, and
the error names the current state. The program's *current* cycle is guarded by one record
written in the same transaction that opens a cycle, so a program has at most one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from shared.errors import IllegalTransition, RuleViolation


class CycleState(StrEnum):
    OPEN = "open"  # access granted; staff answer the self-assessment
    SUBMITTED = "submitted"  # answers locked; waiting for the affiliate
    RETURNED = "returned"  # sent back for changes; answers unlocked
    IN_REVIEW = "in_review"  # the affiliate reviews item by item
    REVIEW_COMPLETED = "review_completed"  # review meeting held
    PLAN_FINALIZED = "plan_finalized"  # Improvement and Innovation Plan agreed
    HISTORICAL = "historical"  # superseded by a newer cycle; read-only
    ARCHIVED = "archived"  # dead or test cycle; kept, out of every report


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    START_REVIEW = "start_review"
    COMPLETE_REVIEW = "complete_review"
    FINALIZE_PLAN = "finalize_plan"
    SUPERSEDE = "supersede"
    ARCHIVE = "archive"


@dataclass(frozen=True)
class Transition:
    source: CycleState
    action: Action
    target: CycleState
    owner: str  # the service that performs it


S, A = CycleState, Action
_LIVE = [s for s in S if s not in (S.ARCHIVED, S.HISTORICAL)]

TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.OPEN, A.SUBMIT, S.SUBMITTED, "assessment"),
    Transition(S.RETURNED, A.SUBMIT, S.SUBMITTED, "assessment"),
    Transition(S.SUBMITTED, A.RETURN, S.RETURNED, "assessment"),
    Transition(S.IN_REVIEW, A.RETURN, S.RETURNED, "review"),
    Transition(S.SUBMITTED, A.START_REVIEW, S.IN_REVIEW, "review"),
    Transition(S.IN_REVIEW, A.COMPLETE_REVIEW, S.REVIEW_COMPLETED, "review"),
    Transition(S.REVIEW_COMPLETED, A.FINALIZE_PLAN, S.PLAN_FINALIZED, "plan"),
    *(Transition(s, A.SUPERSEDE, S.HISTORICAL, "assessment") for s in _LIVE),
    *(Transition(s, A.ARCHIVE, S.ARCHIVED, "assessment") for s in [*_LIVE, S.HISTORICAL]),
)
_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}

#: States in which the program's staff may change answers.
ANSWERABLE: frozenset[CycleState] = frozenset({S.OPEN, S.RETURNED})
#: States after which a new cycle may be opened (the current one has run its course).
FINISHED: frozenset[CycleState] = frozenset({S.REVIEW_COMPLETED, S.PLAN_FINALIZED})
#: States that never appear in reports or comparisons offered by default.
EXCLUDED_FROM_REPORTS: frozenset[CycleState] = frozenset({S.ARCHIVED})


def transition(state: CycleState | str, action: Action) -> CycleState:
    """The state after ``action``; IllegalTransition (409) naming the current state if not."""
    current = CycleState(state)
    found = _BY_KEY.get((current, action))
    if found is None:
        raise IllegalTransition(
            f"Cannot {action.value.replace('_', ' ')} a cycle that is {current.value}.",
            current_state=current.value,
        )
    return found.target


def sources(action: Action) -> frozenset[CycleState]:
    """The states an action leaves: a write of that transition is guarded by them."""
    return frozenset(t.source for t in TRANSITIONS if t.action == action)


def allowed_actions(state: CycleState | str) -> list[Action]:
    current = CycleState(state)
    return [t.action for t in TRANSITIONS if t.source == current]


def may_open_new_cycle(current_state: CycleState | str | None) -> bool:
    """A program may start a new cycle when it has none, or its current one is finished
    (review completed, plan finalized), already historical, or archived."""
    if current_state is None:
        return True
    state = CycleState(current_state)
    return state in FINISHED or state in (S.HISTORICAL, S.ARCHIVED)


# --------------------------------------------------------------------------- readiness
READY_AFTER_MONTHS = 12


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (negative if ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


@dataclass(frozen=True)
class ReadinessCheck:
    months_matching: int  # whole months, never negative
    warning: str | None  # set when opening a cycle needs an override reason


def check_readiness(matching_since: date, today: date) -> ReadinessCheck:
    """Programs should have matched mentors and mentees for a year before a cycle."""
    months = max(months_between(matching_since, today), 0)
    if months >= READY_AFTER_MONTHS:
        return ReadinessCheck(months, None)
    return ReadinessCheck(
        months,
        f"The program has matched mentors and mentees for {months} months; NQMS "
        f"expects at least {READY_AFTER_MONTHS}. Opening a cycle needs a reason.",
    )


def readiness_warning(matching_since: date, today: date) -> str | None:
    return check_readiness(matching_since, today).warning


# --------------------------------------------------------------------------- due date
#: Completion is suggested within 6 to 8 weeks of access; affiliates may set their own.
DEFAULT_DUE_WEEKS = 8


def due_date(opened_on: date, requested: date | None, affiliate_weeks: int | None) -> date:
    """The requested due date, or the affiliate's number of weeks (8 by default) from opening."""
    due = requested or opened_on + timedelta(weeks=affiliate_weeks or DEFAULT_DUE_WEEKS)
    if due <= opened_on:
        raise RuleViolation("The due date must be after today.", field="body.due_date")
    return due
