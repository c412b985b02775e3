"""Request and response models of the plan API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from functions.plan.rules import MAX_NOTE_CHARS, MAX_RATING, MAX_TEXT_CHARS, MIN_RATING
from shared.edge.types import BodyVersion, Input, Output

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT_CHARS)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTE_CHARS)]
RequiredNote = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NOTE_CHARS)
]
Rating = Annotated[int, Field(ge=MIN_RATING, le=MAX_RATING)]
Status = Literal["not_started", "in_progress", "completed", "verified", "sent_back"]


# =========================================================================== text
class PartTextIn(Input):
    strengths: Text = ""
    areas_for_improvement: Text = ""


class PlanTextIn(Input):
    management: PartTextIn = Field(default_factory=PartTextIn)
    operations: PartTextIn = Field(default_factory=PartTextIn)
    evaluation: PartTextIn = Field(default_factory=PartTextIn)
    version: BodyVersion = None


class PartText(Output):
    strengths: str = ""
    areas_for_improvement: str = ""


class PlanText(Output):
    management: PartText
    operations: PartText
    evaluation: PartText
    changed_by: str | None = None
    changed_at: str | None = None
    version: int = Field(description="0 before anyone wrote it: send it back to create.")


# =========================================================================== goals
class GoalIn(Input):
    item_code: str = Field(
        min_length=1, max_length=16, description="The instrument item the goal improves."
    )
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    action_steps: list[Note] = Field(default_factory=list, max_length=30)
    owner_id: str = Field(
        min_length=1, max_length=64, description="A staff member of the program (user id)."
    )
    baseline_rating: Rating | None = Field(
        default=None, description="Defaults to the program's rating of the item, if it has one."
    )
    target_rating: Rating
    start_date: date
    target_date: date = Field(description="On or after the start; 6 to 12 months is usual.")
    version: BodyVersion = None


class RetireIn(Input):
    reason: RequiredNote


class ProgressIn(Input):
    on: date | None = Field(default=None, description="The update's date (today if absent).")
    note: RequiredNote


class CompleteIn(Input):
    note: RequiredNote
    evidence_ids: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Documents of the program's evidence library that show it.",
    )


class VerifyIn(Input):
    achieved_rating: Rating = Field(
        description="A new observation of the item; the program's answer is never changed."
    )
    note: Note | None = None


class SendBackIn(Input):
    comment: RequiredNote


class GoalWarning(Output):
    code: Literal["target-not-above-baseline", "target-date-outside-window"]
    field: str
    message: str


class ProgressUpdate(Output):
    on: str
    note: str
    posted_by: str
    posted_at: str


class Goal(Output):
    goal_id: str
    item_key: str
    item_code: str
    title: str
    action_steps: list[str]
    owner_id: str
    baseline_rating: int | None = None
    target_rating: int
    start_date: str
    target_date: str
    status: Status
    retired: bool = False
    retired_reason: str | None = None
    overdue: bool
    completion_note: str | None = None
    evidence_ids: list[str] = Field(default_factory=list)
    completed_by: str | None = None
    completed_at: str | None = None
    achieved_rating: int | None = None
    verified_by: str | None = None
    verified_at: str | None = None
    sent_back_comment: str | None = None
    progress: list[ProgressUpdate] = Field(default_factory=list)
    warnings: list[GoalWarning] = Field(default_factory=list)
    version: int


class GoalSummary(Output):
    active: int
    verified: int
    open: int = Field(description="Active goals not verified yet.")
    overdue: int
    retired: int


class HistoryEntry(Output):
    at: str
    by: str
    action: str
    goal_id: str | None = None
    changes: dict[str, dict[str, object]] = Field(
        default_factory=dict, description="field -> {from, to}"
    )


class Plan(Output):
    cycle_id: str
    program_id: str
    state: str
    finalized_at: str | None = None
    finalized_by: str | None = None
    text: PlanText
    goals: list[Goal] = Field(description="Active goals first, then retired ones.")
    summary: GoalSummary
    history: list[HistoryEntry] = Field(description="Oldest first.")


class Finalized(Output):
    cycle_id: str
    state: str
    finalized_at: str
    goal_ids: list[str]
