"""Response models of the report service."""

from __future__ import annotations

from pydantic import Field

from shared.edge.types import Output


class DocumentLink(Output):
    """A document made for this request, in the private bucket: download it from ``url``."""

    url: str = Field(
        description="A short-lived presigned link (GET, no Authorization header) that "
        "downloads the file; it stops working at `expires_at`."
    )
    expires_at: str = Field(description="When the link stops working (UTC, ISO 8601).")
    filename: str = Field(description="The file's name, as the download saves it.")
    content_type: str = Field(description="`application/pdf` or `text/csv; charset=utf-8`.")
    size_bytes: int = Field(description="The file's size.")


class ProgressChange(Output):
    """The change since the program's previous cycle in the list (null: nothing to compare)."""

    average_rating: float | None = None
    share_in_practice: float | None = None


class SectionProgressFigures(Output):
    letter: str
    title: str
    items: int
    answered: int
    average_rating: float | None = Field(description="Over the items in place (rated 1-5).")
    share_in_practice: float | None = Field(
        description="Practices in place over those answered yes or no (0 to 1)."
    )
    change: ProgressChange


class CycleProgress(Output):
    cycle_id: str
    state: str
    opened_at: str
    submitted_at: str | None = None
    instrument_version: int
    sections: list[SectionProgressFigures]


class ProgramProgress(Output):
    """A program compared with itself only: its submitted cycles, oldest first."""

    program_id: str
    program_name: str
    cycles: list[CycleProgress]
