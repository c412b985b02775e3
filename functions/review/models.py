"""Request and response models of the review API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Literal, Self, TypeVar

from pydantic import (
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from functions.review.rules import (
    MAX_AGENDA_CHARS,
    MAX_NOTE_CHARS,
    MeetingProblem,
    MeetingRefused,
    meeting_address,
    meeting_end,
    meeting_guests,
    meeting_instant,
    meeting_link,
    meeting_text,
)
from shared.edge.types import BodyVersion, Input, Output, TimeZone

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTE_CHARS)]
Status = Literal["needs_review", "reviewed", "flagged"]


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
    version: BodyVersion = None


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


T = TypeVar("T")


def _ruled(rule: Callable[..., T], *args: object) -> T:
    """A meeting rule's result, or its refusal as this field's validation error."""
    try:
        return rule(*args)
    except MeetingRefused as refused:
        raise PydanticCustomError(refused.code, "{message}", {"message": refused.message}) from None


def _refused(title: str, problems: Sequence[MeetingProblem], given: object) -> ValidationError:
    """Problems named ``guests[1]`` (as the review's 422s always named them) as one error."""
    return ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(
                type=PydanticCustomError(p.code, "{message}", {"message": p.message}),
                loc=(p.field,),
                input=given,
            )
            for p in problems
        ],
    )


class AttendeesIn(Input):
    staff: list[str] = Field(
        default_factory=list, description="User ids of program and affiliate staff."
    )
    guests: list[str] = Field(default_factory=list, description="Email addresses.")

    @model_validator(mode="after")
    def _guests_are_addresses(self) -> Self:
        guests, problems = meeting_guests(self.guests)
        if problems:
            raise _refused("AttendeesIn", problems, self.guests)
        self.guests = list(guests)
        return self


class MeetingIn(Input):
    # A meeting as requested, validated once by the review's rules (``rules.meeting_*``): once
    # valid, ``start`` and ``end`` are UTC instants, the text is as kept and the guests are
    # addresses, deduplicated. Today's date and who may attend are the logic's to check.
    # (A comment, not a docstring: the docstring would change the contract's description.)

    time_zone: TimeZone
    start: datetime = Field(description="Wall time in the zone (or with the zone's offset).")
    end: datetime
    mode: Literal["in_person", "online"]
    address: str | None = Field(default=None, validate_default=True)
    link: str | None = Field(default=None, validate_default=True)
    attendees: AttendeesIn = Field(default_factory=AttendeesIn)
    agenda: str | None = None
    version: BodyVersion = None

    @field_validator("start")
    @classmethod
    def _start_in_its_zone(cls, start: datetime, info: ValidationInfo) -> datetime:
        zone = info.data.get("time_zone")
        return start if zone is None else _ruled(meeting_instant, start, zone)

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        zone = info.data.get("time_zone")
        if zone is None:
            return end
        end = _ruled(meeting_instant, end, zone)
        start = info.data.get("start")
        return end if start is None else _ruled(meeting_end, start, end)

    @field_validator("address")
    @classmethod
    def _address_in_person(cls, address: str | None, info: ValidationInfo) -> str | None:
        return _ruled(meeting_address, info.data.get("mode"), address)

    @field_validator("link")
    @classmethod
    def _link_online(cls, link: str | None, info: ValidationInfo) -> str | None:
        return _ruled(meeting_link, info.data.get("mode"), link)

    @field_validator("agenda")
    @classmethod
    def _agenda_as_kept(cls, agenda: str | None) -> str | None:
        return _ruled(meeting_text, agenda, MAX_AGENDA_CHARS)

    @property
    def staff(self) -> list[str]:
        return self.attendees.staff

    @property
    def guests(self) -> list[str]:
        return self.attendees.guests


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
