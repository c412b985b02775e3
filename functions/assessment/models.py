"""Request and response models of the assessment API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from shared.edge.types import BodyVersion, Input, Output

InPractice = Literal["yes", "no", "n/a"]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


# --------------------------------------------------------------------------- instruments
class InstrumentSummary(Output):
    key: str
    version: int
    title: str
    item_count: int
    published_at: str | None = None


class InstrumentPartView(Output):
    id: str
    title: str


class InstrumentSectionView(Output):
    letter: str
    part: str
    title: str


class InstrumentItemView(Output):
    key: str = Field(description="Stable across versions: answers and goals use it.")
    code: str = Field(description="Display code, e.g. A1; may change between versions.")
    part: str
    section: str
    prompt: str
    references: list[str]
    kind: Literal["benchmark", "enhancement", "management"]
    guidance: str
    evidence_hint: str
    allows_na: bool


class InstrumentDetail(Output):
    key: str
    version: int
    title: str
    item_count: int
    parts: list[InstrumentPartView]
    sections: list[InstrumentSectionView]
    items: list[InstrumentItemView]


class InstrumentList(Output):
    items: list[InstrumentSummary]


class InstrumentIn(Input):
    """A new version of an instrument, as data (validated by the instrument validator)."""

    instrument: dict[str, Any] = Field(description="The whole question bank of the version.")
    crosswalk: dict[str, str | None] | None = Field(
        default=None,
        description="Item keys of the previous version mapped to keys of this one (null: retired).",
    )


# --------------------------------------------------------------------------- cycles
class CycleIn(Input):
    due_date: date | None = Field(
        default=None, description="Suggested completion date; default: affiliate's weeks."
    )
    readiness_override_reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=1000)]
        | None
    ) = Field(
        default=None,
        description="Required when the program has matched for less than 12 months.",
    )
    instrument_version: int | None = Field(default=None, ge=1, description="Default: latest.")


class Readiness(Output):
    months_matching: int
    warning: str | None
    override_reason: str | None = None


class Cycle(Output):
    cycle_id: str
    program_id: str
    state: str
    instrument_key: str
    instrument_version: int
    opened_at: str
    opened_by: str
    due_date: date
    readiness: Readiness
    previous_cycle_id: str | None = None
    submitted_at: str | None = None
    submitted_by: str | None = None
    returned_at: str | None = None
    return_comment: str | None = None
    archived_at: str | None = None
    allowed_actions: list[str] = Field(default_factory=list)
    version: int


class CycleList(Output):
    items: list[Cycle]
    next: str | None = None


class ReturnIn(Input):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


# --------------------------------------------------------------------------- answers
class AnswerIn(Input):
    in_practice: InPractice = Field(description="Is the practice in place?")
    rating: int | None = Field(
        default=None,
        ge=1,
        le=5,
        validate_default=True,
        description="How well it is implemented, 1 to 5: required with yes, absent otherwise.",
    )
    notes: Notes | None = Field(
        default=None, validate_default=True, description="Why this answer; required with n/a."
    )
    version: BodyVersion = None

    @field_validator("rating")
    @classmethod
    def _rating_goes_with_yes(cls, rating: int | None, info: ValidationInfo) -> int | None:
        in_practice = info.data.get("in_practice")
        if in_practice == "yes" and rating is None:
            raise ValueError("a rating from 1 to 5 is required when the practice is in place")
        if in_practice in ("no", "n/a") and rating is not None:
            raise ValueError(f"no rating with {in_practice!r}: leave it out")
        return rating

    @field_validator("notes")
    @classmethod
    def _notes_explain_na(cls, notes: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("in_practice") == "n/a" and not notes:
            raise ValueError("notes are required with n/a: say why the practice does not apply")
        return notes or None


class Answer(Output):
    item_key: str
    item_code: str
    in_practice: InPractice
    rating: int | None = None
    notes: str | None = None
    saved_by: str
    saved_at: str
    version: int


class PreviousAnswer(Output):
    cycle_id: str
    in_practice: InPractice
    rating: int | None = None


class AssessmentItem(Output):
    key: str
    code: str
    section: str
    prompt: str
    references: list[str]
    kind: str
    guidance: str
    evidence_hint: str
    allows_na: bool
    answer: Answer | None = None
    previous: PreviousAnswer | None = None


class SectionProgress(Output):
    letter: str
    title: str
    answered: int
    total: int


class Progress(Output):
    answered: int
    total: int
    sections: list[SectionProgress]
    resume_at: str | None = Field(description="Code of the first unanswered item.")


class LastEdit(Output):
    by: str
    at: str
    item_code: str


class Assessment(Output):
    cycle: Cycle
    progress: Progress
    last_edit: LastEdit | None = None
    items: list[AssessmentItem]


class Blocker(Output):
    code: str
    message: str
    item_code: str | None = None


class ReadinessReport(Output):
    ready: bool
    blockers: list[Blocker]


# --------------------------------------------------------------------------- comparison
class BriefAnswer(Output):
    in_practice: InPractice | None = None
    rating: int | None = None


class ItemChange(Output):
    item_key: str
    item_code: str
    section: str
    before: BriefAnswer | None
    after: BriefAnswer | None
    rating_change: int | None


class SectionChange(Output):
    letter: str
    title: str
    in_practice_before: int
    in_practice_after: int
    average_rating_before: float | None
    average_rating_after: float | None


class Comparison(Output):
    cycle_id: str
    with_cycle_id: str
    instrument_version: int
    with_instrument_version: int
    items: list[ItemChange]
    sections: list[SectionChange]
