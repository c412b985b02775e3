"""Events of the reminders job (source ``nqms.reminders``): due soon, overdue, the weekly
digest. Thin: ids and dates; the notifier reads names and dates from the table."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from shared.events.base import Catalogue, EventData, catalogue


class GoalRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cycle_id: str
    goal_id: str


class AssessmentDueSoon(EventData):
    """7 days before the cycle's due date (program staff; optional: "reminders")."""

    cycle_id: str
    program_id: str
    due_date: date
    affiliate_ids: list[str]


class AssessmentOverdue(EventData):
    """The day after the due date, still not submitted (program staff; "reminders")."""

    cycle_id: str
    program_id: str
    due_date: date
    affiliate_ids: list[str]


class OverdueDigestDue(EventData):
    """Weekly, per affiliate with overdue work (that affiliate's staff who opted in)."""

    affiliate_id: str
    week_of: date
    cycle_ids: list[str]
    goals: list[GoalRef]


CATALOGUE: Catalogue = catalogue(
    "nqms.reminders", AssessmentDueSoon, AssessmentOverdue, OverdueDigestDue
)
