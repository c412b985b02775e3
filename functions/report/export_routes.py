"""Research export routes of the report API: request an export (202, a job makes it) and read
its state. Thin routes over ``export_logic``."""

from __future__ import annotations

from typing import Annotated

from functions.report import export_logic
from functions.report.export_models import ResearchExport, ResearchExportIn
from functions.report.settings import ReportsBucketSettings
from shared.adapters.table import default_table
from shared.edge.api import context, problem_responses, respond_once, success
from shared.edge.http import Response
from shared.edge.params import IdempotencyKey, Path, id_pattern
from shared.edge.router import Router
from shared.settings import get_settings

router = Router()
TAGS = ["reports"]
ExportId = Annotated[str, Path(alias="exportId", pattern=id_pattern("rex"))]


@router.post(
    "/research-exports",
    operation_id="requestResearchExport",
    tags=TAGS,
    summary="Request the de-identified research export of an instrument version",
    description="National staff with the results grant. Answers 202 at once; a job writes a "
    "CSV with a row per submitted, non-archived cycle (programs and cycles as stable "
    "pseudonyms, `Q_<code>_in_practice` and `Q_<code>_rating` per item, the goals; no notes, "
    "no names) and its codebook, then emails the requester a link. Audited.",
    status_code=202,
    responses={
        **success(202, "Location", model=ResearchExport),
        **problem_responses(400, 403, 404, 409, 422),
    },
)
def request_research_export(
    body: ResearchExportIn, idempotency_key: IdempotencyKey = None
) -> Response[ResearchExport]:
    return respond_once(
        router,
        idempotency_key=idempotency_key,
        body=body.model_dump(mode="json"),
        status=202,
        make=lambda ctx: export_logic.request_export(ctx, default_table(), body),
        location="/research-exports/{export_id}",
    )


@router.get(
    "/research-exports/<exportId>",
    operation_id="getResearchExport",
    tags=TAGS,
    summary="A research export's state, and its download links once ready",
    description="The links last a few minutes; read the export again for new ones. Audited.",
    responses=problem_responses(403, 404),
)
def get_research_export(export_id: ExportId) -> ResearchExport:
    bucket = get_settings(ReportsBucketSettings).reports_bucket
    return export_logic.get_export(context(router), default_table(), export_id, bucket)
