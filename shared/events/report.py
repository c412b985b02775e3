"""Events of the report service: the research export's request and its completion (ids only:
the file is in the private bucket, its link made for whoever reads it)."""

from __future__ import annotations

from shared.events.base import Catalogue, EventData, catalogue


class ResearchExportRequested(EventData):
    export_id: str


class ResearchExportReady(EventData):
    export_id: str
    requested_by: str


CATALOGUE: Catalogue = catalogue("nqms.report", ResearchExportRequested, ResearchExportReady)
