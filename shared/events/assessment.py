"""Events of the assessment service (cycles, submission, instruments)."""

from __future__ import annotations

from datetime import date

from shared.events.base import Catalogue, EventData, catalogue


class CycleOpened(EventData):
    cycle_id: str
    program_id: str
    instrument_key: str
    instrument_version: int
    due_date: date
    previous_cycle_id: str | None
    readiness_overridden: bool


class AssessmentSubmitted(EventData):
    cycle_id: str
    program_id: str
    submitted_by: str


class AssessmentReturned(EventData):
    """The comment itself stays in the table: events carry no confidential text."""

    cycle_id: str
    program_id: str
    returned_by: str
    #: Which return (the cycle's ``returned_at``): a later return supersedes this one's email.
    returned_at: str | None = None


class CycleArchived(EventData):
    cycle_id: str
    program_id: str
    previous_state: str


class InstrumentPublished(EventData):
    instrument_key: str
    version: int
    item_count: int


CATALOGUE: Catalogue = catalogue(
    "nqms.assessment",
    CycleOpened,
    AssessmentSubmitted,
    AssessmentReturned,
    CycleArchived,
    InstrumentPublished,
)
