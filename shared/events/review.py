"""Events of the review service. Thin: ids, states, versions; never the notes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from shared.events.base import Catalogue, EventData, catalogue


class ReviewStarted(EventData):
    """The first review action moved the cycle from submitted to in review."""

    cycle_id: str
    program_id: str
    started_by: str


class ReviewerAssigned(EventData):
    cycle_id: str
    program_id: str
    reviewer_id: str
    assigned_by: str


class ItemReviewed(EventData):
    cycle_id: str
    program_id: str
    item_key: str
    status: str
    version: int


class ReviewCompleted(EventData):
    """The review meeting was held: the review date starts the badges' three years."""

    cycle_id: str
    program_id: str
    review_date: date  # the meeting's local calendar date in its time zone
    completed_by: str
    meeting_uid: str


class ReviewMeetingChange(BaseModel):
    """The fields every meeting event carries (the invite's identity and the meeting's
    times); not an event itself, so each event is ``(ReviewMeetingChange, EventData)``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    cycle_id: str
    program_id: str
    uid: str
    sequence: int
    start: str  # UTC instant
    end: str
    time_zone: str


class ReviewMeetingScheduled(ReviewMeetingChange, EventData):
    """Scheduled (again, after a cancellation: same UID, next SEQUENCE)."""


class ReviewMeetingRescheduled(ReviewMeetingChange, EventData):
    """Moved or changed: same UID, SEQUENCE + 1."""


class ReviewMeetingCancelled(ReviewMeetingChange, EventData):
    """Cancelled: same UID, SEQUENCE + 1."""


CATALOGUE: Catalogue = catalogue(
    "nqms.review",
    ReviewStarted,
    ReviewerAssigned,
    ItemReviewed,
    ReviewMeetingScheduled,
    ReviewMeetingRescheduled,
    ReviewMeetingCancelled,
    ReviewCompleted,
)
