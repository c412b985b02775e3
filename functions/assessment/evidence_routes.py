"""Evidence routes of the assessment API (program document library). Thin routes over logic."""

from __future__ import annotations

from functions.assessment import evidence
from functions.assessment.evidence_models import (
    EvidenceDocument,
    EvidenceDownload,
    EvidenceLinksIn,
    EvidenceList,
    EvidenceUpload,
    EvidenceUploadIn,
)
from shared.adapters.table import default_table
from shared.edge.api import context, problem_responses, respond_once, success
from shared.edge.http import Response
from shared.edge.params import DocumentId, IdempotencyKey, IfMatch, Limit, Next, ProgramId
from shared.edge.router import Router
from shared.store.pagination import DEFAULT_LIMIT, PageRequest

router = Router()
TAGS = ["evidence"]


@router.post(
    "/programs/<programId>/evidence",
    operation_id="createEvidenceUpload",
    tags=TAGS,
    summary="Start uploading a document to the program's evidence library",
    description=(
        "Creates a pending document and answers with a presigned form (15 minutes) for "
        "uploading the file straight to storage; then confirm the document."
    ),
    status_code=201,
    responses={
        **success(201, "Location", model=EvidenceUpload),
        **problem_responses(400, 401, 403, 404, 409, 422),
    },
)
def create_evidence_upload(
    program_id: ProgramId, body: EvidenceUploadIn, idempotency_key: IdempotencyKey = None
) -> Response[EvidenceUpload]:
    return respond_once(
        router,
        idempotency_key=idempotency_key,
        body=body.model_dump(mode="json"),
        status=201,
        make=lambda ctx: evidence.create_upload(ctx, default_table(), program_id, body),
        location="/programs/{program_id}/evidence/{document_id}",
    )


@router.post(
    "/programs/<programId>/evidence/<documentId>/confirm",
    operation_id="confirmEvidence",
    tags=TAGS,
    summary="Confirm an uploaded document: checked, then available",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def confirm_evidence(program_id: ProgramId, document_id: DocumentId) -> EvidenceDocument:
    return evidence.confirm(context(router), default_table(), program_id, document_id)


@router.get(
    "/programs/<programId>/evidence",
    operation_id="listEvidence",
    tags=TAGS,
    summary="The program's available documents and the items they are linked to",
    responses=problem_responses(400, 401, 403, 404),
)
def list_evidence(
    program_id: ProgramId, limit: Limit = DEFAULT_LIMIT, next_: Next = None
) -> EvidenceList:
    return evidence.list_documents(
        context(router), default_table(), program_id, PageRequest(limit, next_)
    )


@router.put(
    "/programs/<programId>/evidence/<documentId>/links",
    operation_id="linkEvidence",
    tags=TAGS,
    summary="Set the items a document supports",
    responses=problem_responses(400, 401, 403, 404, 409, 422),
)
def link_evidence(
    program_id: ProgramId, document_id: DocumentId, body: EvidenceLinksIn, if_match: IfMatch = None
) -> EvidenceDocument:
    return evidence.link(context(router), default_table(), program_id, document_id, body, if_match)


@router.get(
    "/programs/<programId>/evidence/<documentId>/download",
    operation_id="downloadEvidence",
    tags=TAGS,
    summary="A five-minute download link for a document (the download is audited)",
    responses=problem_responses(401, 403, 404),
)
def download_evidence(program_id: ProgramId, document_id: DocumentId) -> EvidenceDownload:
    return evidence.download(context(router), default_table(), program_id, document_id)


@router.delete(
    "/programs/<programId>/evidence/<documentId>",
    operation_id="deleteEvidence",
    tags=TAGS,
    summary="Delete a document and its links",
    status_code=204,
    responses={204: {"description": "Deleted"}, **problem_responses(401, 403, 404, 409)},
)
def delete_evidence(program_id: ProgramId, document_id: DocumentId) -> Response[None]:
    evidence.delete(context(router), default_table(), program_id, document_id)
    return Response(status_code=204)
