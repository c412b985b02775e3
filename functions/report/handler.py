"""Report API: a program's documents (its assessment and plan as PDF and CSV) and its own
progress across cycles.

Thin routes: each one parses the request and calls one use case in ``logic``. A document is
answered as a link (``DocumentLink``): the file is made into the private bucket and downloaded
from a short presigned URL, never through the API.
"""

from __future__ import annotations

from typing import Annotated

from functions.report import logic
from functions.report.models import DocumentLink, ProgramProgress
from functions.report.settings import ReportSettings
from shared.adapters.table import default_table
from shared.edge.api import context, create_app, handler_for, problem_responses
from shared.edge.params import CycleId, ProgramId, Query
from shared.edge.router import Declared
from shared.settings import cold_start

cold_start(ReportSettings)

app = create_app()
# Each imported on its first request: a cold start for a document or the progress does not pay
# for the aggregates' or the export's models and stores.
app.include_router_of(
    "functions.report.aggregate_routes",
    [
        Declared("GET", "/affiliates/<affiliateId>/aggregates", "getAffiliateAggregate"),
        Declared("GET", "/aggregates", "getNationalAggregate"),
    ],
)
app.include_router_of(
    "functions.report.export_routes",
    [
        Declared("POST", "/research-exports", "requestResearchExport"),
        Declared("GET", "/research-exports/<exportId>", "getResearchExport"),
    ],
)
REPORTS = ["reports"]
DOCUMENTS = "/cycles/<cycleId>/documents"
LINK = (
    "Answers a JSON link, not the file: GET `url` (no Authorization header) within five "
    "minutes to download it. Every download is audited."
)


@app.get(
    DOCUMENTS + "/assessment.pdf",
    operation_id="getAssessmentPdf",
    tags=REPORTS,
    summary="The assessment as a printable PDF: a cover, then a page per section",
    description="The cover names the program, affiliates, cycle, instrument version and dates; "
    "each section starts a page with its average rating and share of practices in place, then "
    "each item's code, text, answer, rating and notes; then the program's progress across its "
    "cycles as a chart. `goals=true` adds the plan's goals. " + LINK,
    responses=problem_responses(404),
)
def get_assessment_pdf(
    cycle_id: CycleId,
    goals: Annotated[bool, Query(description="Add the plan's goals at the end.")] = False,
) -> DocumentLink:
    return logic.assessment_pdf(context(app), default_table(), cycle_id, with_goals=goals)


@app.get(
    DOCUMENTS + "/assessment.csv",
    operation_id="getAssessmentCsv",
    tags=REPORTS,
    summary="The assessment as a CSV file: a row per item (per goal), 16 columns",
    description="UTF-8 with a byte-order mark; cells that a spreadsheet would read as a formula "
    "start with a quote. " + LINK,
    responses=problem_responses(404),
)
def get_assessment_csv(cycle_id: CycleId) -> DocumentLink:
    return logic.assessment_csv(context(app), default_table(), cycle_id)


@app.get(
    DOCUMENTS + "/plan.pdf",
    operation_id="getPlanPdf",
    tags=REPORTS,
    summary="The Improvement and Innovation Plan as a printable PDF",
    description="Strengths and areas for improvement per part, then each goal with its item, "
    "baseline, target and achieved ratings, status and dates. " + LINK,
    responses=problem_responses(404),
)
def get_plan_pdf(cycle_id: CycleId) -> DocumentLink:
    return logic.plan_pdf(context(app), default_table(), cycle_id)


@app.get(
    DOCUMENTS + "/goals.csv",
    operation_id="getGoalsCsv",
    tags=REPORTS,
    summary="The plan's goals as a CSV file, a row per goal",
    description="UTF-8 with a byte-order mark; formula-looking cells neutralised. " + LINK,
    responses=problem_responses(404),
)
def get_goals_csv(cycle_id: CycleId) -> DocumentLink:
    return logic.goals_csv(context(app), default_table(), cycle_id)


@app.get(
    "/programs/<programId>/progress",
    operation_id="getProgramProgress",
    tags=REPORTS,
    summary="The program's own progress across its cycles, per section",
    description="Each submitted, non-archived cycle (oldest first) with each section's average "
    "rating and share of practices in place, and the change since the cycle before. A program "
    "is only ever compared with itself.",
    responses=problem_responses(403, 404),
)
def get_program_progress(program_id: ProgramId) -> ProgramProgress:
    return logic.program_progress(context(app), default_table(), program_id)


lambda_handler = handler_for(app)
