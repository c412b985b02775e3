"""Request and response models of the research export (``export_routes``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.edge.types import Input, Output


class ResearchExportIn(Input):
    instrument_version: int = Field(
        ge=1, description="The instrument version whose cycles are exported (a row per cycle)."
    )


class ResearchExport(Output):
    export_id: str
    state: Literal["requested", "ready"] = Field(
        description="`requested`: the job is making the files; `ready`: download them."
    )
    instrument_key: str
    instrument_version: int
    requested_at: str
    requested_by: str
    ready_at: str | None = None
    rows: int | None = Field(default=None, description="Cycles exported (a row each).")
    download_url: str | None = Field(
        default=None, description="The CSV, for a few minutes (GET, no Authorization header)."
    )
    codebook_url: str | None = Field(
        default=None, description="The codebook: every column, what it holds, its values."
    )
