"""Assessment API: instruments, cycles, answers, readiness, submission, comparison, evidence.

Thin routes: each one parses the request and calls one use case in ``logic`` or
``instruments``; evidence routes live in ``evidence_routes``.
"""

from __future__ import annotations

from typing import Annotated

from functions.assessment import instruments, logic, store
from functions.assessment.models import (
    Answer,
    AnswerIn,
    Assessment,
    Comparison,
    Cycle,
    CycleIn,
    CycleList,
    InstrumentDetail,
    InstrumentIn,
    InstrumentList,
    InstrumentSummary,
    ReadinessReport,
    ReturnIn,
)
from functions.assessment.settings import AssessmentSettings
from shared.adapters.table import default_table
from shared.edge.api import (
    context,
    create_app,
    handler_for,
    problem_responses,
    respond_once,
    respond_once_joined,
    success,
)
from shared.edge.http import Response
from shared.edge.params import (
    CycleId,
    IdempotencyKey,
    IfMatch,
    ItemCode,
    Limit,
    Next,
    Path,
    ProgramId,
    Query,
    id_pattern,
)
from shared.edge.router import Declared
from shared.edge.versions import versioned
from shared.settings import cold_start
from shared.store.pagination import DEFAULT_LIMIT, PageRequest

cold_start(AssessmentSettings)

app = create_app()
# Imported on the first evidence request: S3 and the evidence models are not every cold start's.
app.include_router_of(
    "functions.assessment.evidence_routes",
    [
        Declared("POST", "/programs/<programId>/evidence", "createEvidenceUpload"),
        Declared("POST", "/programs/<programId>/evidence/<documentId>/confirm", "confirmEvidence"),
        Declared("GET", "/programs/<programId>/evidence", "listEvidence"),
        Declared("PUT", "/programs/<programId>/evidence/<documentId>/links", "linkEvidence"),
        Declared("GET", "/programs/<programId>/evidence/<documentId>/download", "downloadEvidence"),
        Declared("DELETE", "/programs/<programId>/evidence/<documentId>", "deleteEvidence"),
    ],
)
INSTRUMENTS, CYCLES, ANSWERS = ["instruments"], ["cycles"], ["answers"]

Version = Annotated[int, Path(alias="version", ge=1, le=10_000)]


def _answers() -> store.Answers:
    """The answers the use cases read and write: the single table's."""
    return store.TableAnswers(default_table())


def _cycles() -> store.Cycles:
    """The cycles the cycle use cases read: the single table's."""
    return store.TableCycles(default_table())


# =========================================================================== instruments
@app.get(
    "/instruments",
    operation_id="listInstruments",
    tags=INSTRUMENTS,
    summary="Versions of the self-assessment instrument",
    responses=problem_responses(401),
)
def list_instruments() -> InstrumentList:
    return instruments.list_instruments(context(app), default_table())


@app.post(
    "/instruments",
    operation_id="publishInstrument",
    tags=INSTRUMENTS,
    summary="Publish a new instrument version (national admins)",
    description="Open cycles stay on the version they were opened with. From version 2 on, "
    "`crosswalk` maps each item key of the previous version to its key in this one "
    "(null: retired); unmapped keys must still exist.",
    responses={
        **success(201, "Location", description="Published."),
        **problem_responses(401, 403, 409, 422),
    },
)
def publish_instrument(
    body: InstrumentIn, idempotency_key: IdempotencyKey = None
) -> Response[InstrumentSummary]:
    return respond_once(
        app,
        idempotency_key=idempotency_key,
        body=body.model_dump(mode="json"),
        status=201,
        make=lambda ctx: instruments.publish_instrument(ctx, default_table(), body),
        location="/instruments/{version}",
    )


@app.get(
    "/instruments/<version>",
    operation_id="getInstrument",
    tags=INSTRUMENTS,
    summary="One instrument version, every item",
    responses=problem_responses(401, 404),
)
def get_instrument(version: Version) -> InstrumentDetail:
    found = instruments.get_instrument(context(app), default_table(), version)
    return InstrumentDetail.model_validate(found.to_dict())


# =========================================================================== cycles
@app.post(
    "/programs/<programId>/cycles",
    operation_id="openCycle",
    tags=CYCLES,
    summary="Open an assessment cycle for a program (affiliate staff)",
    description="When the program has matched mentors and mentees for less than 12 months, "
    "`readiness_override_reason` is required (422 otherwise) and recorded. The due date "
    "defaults to the affiliate's number of weeks (8 unless configured). The program's "
    "previous cycle, once its review is completed, becomes historical.",
    responses={
        **success(201, "Location", description="Opened."),
        **problem_responses(403, 404, 409, 422),
    },
)
def open_cycle(
    program_id: ProgramId, body: CycleIn, idempotency_key: IdempotencyKey = None
) -> Response[Cycle]:
    return respond_once(
        app,
        idempotency_key=idempotency_key,
        body=body.model_dump(mode="json"),
        status=201,
        make=lambda ctx: logic.open_cycle(ctx, default_table(), _cycles(), program_id, body),
        location="/cycles/{cycle_id}",
    )


@app.get(
    "/programs/<programId>/cycles",
    operation_id="listCycles",
    tags=CYCLES,
    summary="A program's cycles, newest first (archived ones only on request)",
    responses=problem_responses(400, 403, 404),
)
def list_cycles(
    program_id: ProgramId,
    limit: Limit = DEFAULT_LIMIT,
    next_: Next = None,
    include_archived: Annotated[bool, Query(description="Also list archived cycles.")] = False,
) -> CycleList:
    page = PageRequest(limit, next_)
    return logic.list_cycles(
        context(app), default_table(), _cycles(), program_id, page, include_archived
    )


@app.get(
    "/cycles/<cycleId>",
    operation_id="getCycle",
    tags=CYCLES,
    summary="A cycle: state, dates, readiness, what may happen next",
    responses=problem_responses(404),
)
def get_cycle(cycle_id: CycleId) -> Cycle:
    return logic.get_cycle(context(app), default_table(), _cycles(), cycle_id)


@app.post(
    "/cycles/<cycleId>/submit",
    operation_id="submitAssessment",
    tags=CYCLES,
    summary="Submit the self-assessment to the affiliate (locks the answers)",
    description="Refused with 422 `not-ready` and the list of `blockers` while anything "
    "blocks it. Send an `Idempotency-Key`: a retry with the same key returns the same "
    "result and submits once.",
    responses=problem_responses(403, 404, 409, 422),
)
def submit_assessment(cycle_id: CycleId, idempotency_key: IdempotencyKey = None) -> Response[Cycle]:
    return respond_once_joined(
        app,
        idempotency_key=idempotency_key,
        body={"cycle_id": cycle_id},
        status=200,
        make=lambda ctx, once: logic.submit_assessment(
            ctx, default_table(), _answers(), cycle_id, once
        ),
    )


@app.post(
    "/cycles/<cycleId>/return",
    operation_id="returnAssessment",
    tags=CYCLES,
    summary="Return a submitted assessment for changes, with a comment (affiliate staff)",
    responses=problem_responses(403, 404, 409),
)
def return_assessment(cycle_id: CycleId, body: ReturnIn) -> Cycle:
    return logic.return_assessment(context(app), default_table(), _cycles(), cycle_id, body)


@app.post(
    "/cycles/<cycleId>/archive",
    operation_id="archiveCycle",
    tags=CYCLES,
    summary="Archive a dead or test cycle: kept, left out of every report",
    responses=problem_responses(403, 404, 409),
)
def archive_cycle(cycle_id: CycleId) -> Cycle:
    return logic.archive_cycle(context(app), default_table(), _cycles(), cycle_id)


# =========================================================================== answers
@app.get(
    "/cycles/<cycleId>/answers",
    operation_id="getAssessment",
    tags=ANSWERS,
    summary="The assessment: every item with its answer, progress, where to resume",
    description="Each item also shows the previous cycle's answer when there is one.",
    responses=problem_responses(404),
)
def get_assessment(cycle_id: CycleId) -> Assessment:
    return logic.get_assessment(context(app), default_table(), _answers(), cycle_id)


@app.put(
    "/cycles/<cycleId>/answers/<itemCode>",
    operation_id="saveAnswer",
    tags=ANSWERS,
    summary="Save the answer to one item (program staff, while the cycle is open or returned)",
    description="Send the version you read in `If-Match` (or `version` in the body); without "
    "one the save only creates. A stale save gets 409 with the current answer in `current`, "
    "so nothing a colleague saved is lost. The response's `ETag` is the new version.",
    responses={**success(200, "ETag"), **problem_responses(400, 403, 404, 409, 422)},
)
def save_answer(
    cycle_id: CycleId, item_code: ItemCode, body: AnswerIn, if_match: IfMatch = None
) -> Response[Answer]:
    saved = logic.save_answer(
        context(app), default_table(), _answers(), cycle_id, item_code, body, if_match
    )
    return versioned(saved, saved.version)


@app.get(
    "/cycles/<cycleId>/readiness",
    operation_id="getReadiness",
    tags=ANSWERS,
    summary="Everything that blocks submission (empty: ready)",
    responses=problem_responses(404),
)
def get_readiness(cycle_id: CycleId) -> ReadinessReport:
    return logic.get_readiness(context(app), default_table(), _answers(), cycle_id)


@app.get(
    "/cycles/<cycleId>/comparison",
    operation_id="compareCycles",
    tags=ANSWERS,
    summary="Change per item and per section against another cycle of the same program",
    responses=problem_responses(404, 422),
)
def compare_cycles(
    cycle_id: CycleId,
    other: Annotated[
        str, Query(alias="with", pattern=id_pattern("cyc"), description="The other cycle.")
    ],
) -> Comparison:
    return logic.compare_cycles(context(app), default_table(), _answers(), cycle_id, other)


lambda_handler = handler_for(app)
