"""Request and response models of the review API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from functions.review.rules import MAX_NOTE_CHARS
from shared.time_zones import TimeZone

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTE_CHARS)]
Status = Literal["needs_review", "reviewed", "flagged"]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built on first use


class Output(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)  # built on first use


class ReviewerIn(Input):
    user_id: str = Field(
        min_length=1,
        max_length=64,
        description="A staff member of an affiliate serving the program.",
    )


class ItemReviewIn(Input):
    status: Status = Field(description="A flag needs a note to the program saying why.")
    note_to_program: Note | None = Field(default=None, description="The program sees this.")
    internal_note: Note | None = Field(
        default=None, description="Affiliate and national staff only; never the program."
    )
    version: int | None = Field(
        default=None, ge=0, description="The version you read (instead of an If-Match header)."
    )


class Reviewer(Output):
    user_id: str
    assigned_by: str
    assigned_at: str


class Assignment(Output):
    cycle_id: str
    state: str = Field(description="in_review once the first review action is taken.")
    reviewer: Reviewer


class ItemReview(Output):
    item_key: str
    item_code: str
    status: Status
    note_to_program: str | None = None
    internal_note: str | None = Field(default=None, description="Absent for the program's staff.")
    reviewed_by: str
    reviewed_at: str
    version: int


class ReviewProgress(Output):
    reviewed: int
    flagged: int
    needs_review: int
    total: int


class Completion(Output):
    cycle_id: str
    state: str
    review_date: date = Field(
        description="The meeting's local calendar date in its time zone: badges run three "
        "years from it."
    )
    completed_by: str
    completed_at: str


class Review(Output):
    cycle_id: str
    program_id: str
    state: str
    reviewer: Reviewer | None = None
    progress: ReviewProgress
    items: list[ItemReview] = Field(description="Items with a review status, in instrument order.")
    meeting: MeetingView | None = Field(default=None, description="The review meeting, if any.")
    completion: Completion | None = Field(
        default=None, description="Once the review is completed: its review date, and who."
    )


QueueState = Literal["submitted", "in_review"]


class QueueRow(Output):
    cycle_id: str
    program_id: str
    program_name: str
    affiliate_ids: list[str] = Field(description="The affiliates serving the program.")
    state: QueueState
    submitted_at: str
    due_date: date = Field(description="The cycle's due date.")
    overdue: bool = Field(description="The due date has passed and the review is not done.")
    reviewer_id: str | None = Field(default=None, description="The assigned reviewer, if any.")
    progress: ReviewProgress


class ReviewQueue(Output):
    items: list[QueueRow] = Field(description="Oldest submission first.")
    next: str | None = Field(default=None, description="Cursor of the next page, if any.")


class AttendeesIn(Input):
    staff: list[str] = Field(
        default_factory=list, description="User ids of program and affiliate staff."
    )
    guests: list[str] = Field(default_factory=list, description="Email addresses.")


class MeetingIn(Input):
    time_zone: TimeZone
    start: datetime = Field(description="Wall time in the zone (or with the zone's offset).")
    end: datetime
    mode: Literal["in_person", "online"]
    address: str | None = None
    link: str | None = None
    attendees: AttendeesIn = Field(default_factory=AttendeesIn)
    agenda: str | None = None
    version: int | None = Field(
        default=None, ge=0, description="The version you read (instead of an If-Match header)."
    )


class MeetingView(Output):
    uid: str
    sequence: int
    status: Literal["scheduled", "cancelled"]
    time_zone: str
    start: str = Field(description="Local time in the meeting's zone, with its offset.")
    end: str
    mode: Literal["in_person", "online"]
    address: str | None = None
    link: str | None = None
    staff: list[str]
    guests: list[str]
    agenda: str | None = None
    version: int
