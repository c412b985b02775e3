"""Events of the reminders job (``functions/notify/reminder_job.py``). Thin: ids and dates.

The job only finds what is due and publishes these through the outbox; the notify consumer
turns them into emails (and honours each user's opt-outs).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from shared.events.base import Catalogue, EventData, catalogue


class AssessmentDueSoon(EventData):
    """Seven days before the cycle's due date, once per cycle, while it is not submitted."""

    cycle_id: str
    program_id: str
    affiliate_ids: list[str]
    due_date: date


class AssessmentOverdue(EventData):
    """The day after the due date, once per cycle, if it is still not submitted."""

    cycle_id: str
    program_id: str
    affiliate_ids: list[str]
    due_date: date


class GoalRef(BaseModel):
    """One plan goal, by its ids."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    cycle_id: str
    goal_id: str


class OverdueDigestDue(EventData):
    """Weekly (Mondays, UTC), per affiliate with overdue work: the overdue assessments of the
    programs it serves and their overdue plan goals."""

    affiliate_id: str
    week_of: date
    cycle_ids: list[str]
    goals: list[GoalRef]


CATALOGUE: Catalogue = catalogue(
    "nqms.reminders", AssessmentDueSoon, AssessmentOverdue, OverdueDigestDue
)
