"""The program's evidence library: documents kept at program level and linked to items.

A document is one record in its program's partition (``PROGRAM#<id>`` / ``EVIDENCE#<doc>``)
and one private object (``programs/<id>/evidence/<doc>``). Its life:

1. *create*: a ``pending`` record and a presigned POST (15 minutes) pinned to the object key,
   the declared content type and exactly the declared size; the client uploads straight to
   storage;
2. *confirm*: the object is checked (there, the declared size and type) and the record becomes
   ``available`` with the object's version id and SHA-256; a bad object is deleted and the
   record stays pending;
3. *link*: the items it supports, stored by stable item key (codes may change by version);
4. *download*: an audited, five-minute presigned GET of the confirmed version; *delete*:
   record first, then object.

Evidence cannot be swapped after the fact: the bucket is versioned, so the form reused after
confirmation (it stays valid for its 15 minutes) only adds a newer version, which nothing
serves: downloads name the confirmed version, and the SHA-256 in the document lets anyone check
the bytes they got.

Why the function hashes the object itself: S3 can keep a SHA-256 it verified on upload
(``x-amz-checksum-sha256``), but for a browser POST that means the client computing the hash
before declaring the file, and the emulator the local stack and tests run on (moto 5.2.5)
neither checks nor keeps a checksum sent with a POST form, so what S3 would enforce could not be
tested here. Instead, confirming reads the confirmed version once as a stream (at most the size
limit, 25 MB by default) and records its digest; the same code is correct on AWS and in moto,
and clients send nothing new.

Pending records carry ``expires_at`` (the table's TTL attribute), so abandoned uploads vanish;
confirming removes it. Only available documents are listed, linked or downloaded.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from functions.assessment import store
from functions.assessment.evidence_models import (
    EvidenceDocument,
    EvidenceDownload,
    EvidenceItemLink,
    EvidenceLinksIn,
    EvidenceList,
    EvidenceUpload,
    EvidenceUploadIn,
    UploadTarget,
)
from shared import clock
from shared.adapters import storage
from shared.adapters.table import StaleVersion, Table, key_of, stale
from shared.context import Context
from shared.domain.instrument import Instrument, load_instrument
from shared.edge.versions import expected_version
from shared.errors import (
    Conflict,
    NotFound,
    RuleViolation,
    VersionConflict,
)
from shared.observability import logger
from shared.settings import EvidenceSettings, get_settings
from shared.store.audit import AuditAction, audit_entry
from shared.store.pagination import PageRequest
from shared.store.programs import authorized_program

Record = dict[str, Any]

PENDING, AVAILABLE = "pending", "available"
WHAT = store.EVIDENCE
UPLOAD_EXPIRES = timedelta(minutes=15)
DOWNLOAD_EXPIRES = timedelta(minutes=5)
#: An upload not confirmed within this time is forgotten (DynamoDB TTL removes the record).
PENDING_RETENTION = timedelta(days=7)


# --------------------------------------------------------------------------- records (pure)
def new_document_id() -> str:
    return f"doc_{uuid.uuid4().hex[:20]}"


def object_key(program_id: str, document_id: str) -> str:
    return f"programs/{program_id}/evidence/{document_id}"


def document_item(
    *, program_id: str, document_id: str, body: EvidenceUploadIn, uploaded_by: str
) -> Record:
    expires = clock.now() + PENDING_RETENTION
    return {
        **store.evidence_key(program_id, document_id),
        "type": "evidence",
        "document_id": document_id,
        "program_id": program_id,
        "object_key": object_key(program_id, document_id),
        "filename": body.filename,
        "content_type": body.content_type,
        "size_bytes": body.size_bytes,
        "title": body.title,
        "description": body.description,
        "state": PENDING,
        "item_keys": [],
        "uploaded_by": uploaded_by,
        "expires_at": int(expires.timestamp()),
    }


def confirmed_item(record: Record, found: storage.ObjectInfo, sha256: str) -> Record:
    """The available document: the exact version confirmed and what its bytes hash to."""
    confirmed = {k: v for k, v in record.items() if k != "expires_at"}
    return {
        **confirmed,
        "state": AVAILABLE,
        "size_bytes": found.size_bytes,
        "object_version": found.version_id,
        "sha256": sha256,
        "confirmed_at": clock.now_iso(),
    }


def document_view(record: Record, instrument: Instrument) -> EvidenceDocument:
    return EvidenceDocument.model_validate({**record, "items": _links(record, instrument)})


def _links(record: Record, instrument: Instrument) -> list[EvidenceItemLink]:
    links = []
    for key in record.get("item_keys", []):
        item = instrument.item_by_key(key)
        links.append(EvidenceItemLink(key=key, code=item.code if item else None))
    return links


def _same_media_type(stored: str | None, declared: str) -> bool:
    """Compare media types without parameters (``text/plain; charset=utf-8``) or case."""
    return (stored or "").split(";")[0].strip().lower() == declared.lower()


# --------------------------------------------------------------------------- helpers
def _instrument() -> Instrument:
    return load_instrument()


def _bucket() -> str:
    bucket = get_settings(EvidenceSettings).evidence_bucket
    if not bucket:
        raise RuntimeError("EVIDENCE_BUCKET is not configured for this function")
    return bucket


def _document(table: Table, program_id: str, document_id: str) -> Record:
    return store.get_document(table, program_id, document_id)


def _available(table: Table, program_id: str, document_id: str) -> Record:
    """The document if it is available; a pending upload is not yet a document to others."""
    record = _document(table, program_id, document_id)
    if record.get("state") != AVAILABLE:
        raise NotFound(f"{WHAT} not found.")
    return record


def _audit(ctx: Context, action: AuditAction, program_id: str, document_id: str) -> Record:
    return audit_entry(
        ctx, action, scope="program", scope_id=program_id, target=f"evidence:{document_id}"
    )


# --------------------------------------------------------------------------- use cases
def create_upload(
    ctx: Context, table: Table, program_id: str, body: EvidenceUploadIn
) -> EvidenceUpload:
    authorized_program(ctx, table, program_id)
    settings = get_settings(EvidenceSettings)
    if body.size_bytes > settings.evidence_max_bytes:
        raise RuleViolation(
            f"The file is too large: at most {settings.evidence_max_bytes} bytes.",
            field="body.size_bytes",
            max_bytes=settings.evidence_max_bytes,
        )
    document_id = new_document_id()
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    record = uow.create(
        document_item(
            program_id=program_id,
            document_id=document_id,
            body=body,
            uploaded_by=ctx.caller.user_id or "system",
        ),
        what=WHAT,
    )
    uow.append(_audit(ctx, "change", program_id, document_id))
    uow.commit()
    target = storage.presigned_post(
        _bucket(),
        record["object_key"],
        body.content_type,
        body.size_bytes,
        int(UPLOAD_EXPIRES.total_seconds()),
    )
    document = document_view(record, _instrument())
    return EvidenceUpload(
        **document.model_dump(),
        upload=UploadTarget(
            url=target["url"], fields=target["fields"], expires_at=clock.iso_in(UPLOAD_EXPIRES)
        ),
    )


def confirm(ctx: Context, table: Table, program_id: str, document_id: str) -> EvidenceDocument:
    authorized_program(ctx, table, program_id)
    record = _document(table, program_id, document_id)
    if record.get("state") == AVAILABLE:
        return document_view(record, _instrument())  # confirming twice changes nothing
    bucket, key, max_bytes = (
        _bucket(),
        record["object_key"],
        get_settings(EvidenceSettings).evidence_max_bytes,
    )
    found = storage.head(bucket, key)
    if found is None:
        raise _not_arrived(document_id)
    refusal = _refusal(found, record, max_bytes)
    if refusal is not None:
        storage.delete(bucket, key)
        raise refusal
    if found.version_id is None:
        # Without versions a later write under the key would change what is served.
        raise RuntimeError(f"the evidence bucket {bucket} is not versioned")
    sha256 = storage.sha256(bucket, key, found.version_id, max_bytes)
    if sha256 is None:  # removed between the two reads
        raise _not_arrived(document_id)
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    confirmed = uow.replace(
        confirmed_item(record, found, sha256), expected_version=int(record["version"]), what=WHAT
    )
    uow.append(_audit(ctx, "change", program_id, document_id))
    try:
        uow.commit()
    except VersionConflict:
        current = _document(table, program_id, document_id)
        if current.get("state") == AVAILABLE:  # a concurrent confirm won: same outcome
            return document_view(current, _instrument())
        raise
    return document_view(confirmed, _instrument())


def _not_arrived(document_id: str) -> Conflict:
    return Conflict(
        "The upload has not arrived: upload the file with the form you were given, "
        "then confirm again.",
        document_id=document_id,
    )


def _refusal(found: storage.ObjectInfo, record: Record, max_bytes: int) -> RuleViolation | None:
    """Why the stored object is not the declared file, if it is not.

    The form's policy already pins the size and type on S3; checking again here keeps the rule
    where it can be tested (moto does not enforce POST policies) and costs nothing.
    """
    declared_type, declared_size = str(record["content_type"]), int(record["size_bytes"])
    if found.size_bytes > max_bytes:
        return RuleViolation(
            f"The uploaded file is {found.size_bytes} bytes; the limit is {max_bytes}. "
            "It was removed: upload a smaller file.",
            field="file",
            size_bytes=found.size_bytes,
            max_bytes=max_bytes,
        )
    if found.size_bytes < 1:
        return RuleViolation("The uploaded file is empty. It was removed.", field="file")
    if not _same_media_type(found.content_type, declared_type):
        return RuleViolation(
            f"The uploaded file is {found.content_type or 'of no declared type'}, not the "
            f"declared {declared_type}. It was removed: upload it again.",
            field="file",
            content_type=found.content_type,
            declared_content_type=declared_type,
        )
    if found.size_bytes != declared_size:
        return RuleViolation(
            f"The uploaded file is {found.size_bytes} bytes, not the declared {declared_size}. "
            "It was removed: upload it again.",
            field="file",
            size_bytes=found.size_bytes,
            declared_size_bytes=declared_size,
        )
    return None


def list_documents(ctx: Context, table: Table, program_id: str, page: PageRequest) -> EvidenceList:
    """Available documents, one query per page (pending uploads are skipped, so a page may
    hold fewer than ``limit`` items while ``next`` still leads on)."""
    authorized_program(ctx, table, program_id)
    found = store.documents_page(table, program_id, page)
    # Titles, descriptions and file names are confidential: one audit entry per page.
    table.append(
        audit_entry(
            ctx,
            "read",
            scope="program",
            scope_id=program_id,
            target=f"program:{program_id}/evidence",
        )
    )
    instrument = _instrument()
    return EvidenceList(
        items=[document_view(i, instrument) for i in found.items if i.get("state") == AVAILABLE],
        next=found.next,
    )


def link(
    ctx: Context,
    table: Table,
    program_id: str,
    document_id: str,
    body: EvidenceLinksIn,
    if_match: str | None,
) -> EvidenceDocument:
    authorized_program(ctx, table, program_id)
    expected = expected_version(if_match, body.version)
    record = _document(table, program_id, document_id)
    instrument = _instrument()
    if record.get("state") != AVAILABLE:
        raise Conflict(
            "Only an available document can be linked: confirm its upload first.",
            document_id=document_id,
            state=record.get("state"),
        )
    version = int(record["version"])

    def view(current: Record) -> dict[str, Any]:
        return document_view(current, instrument).model_dump(mode="json")

    if expected is not None and expected != version:
        raise stale(WHAT, record, view(record))
    item_keys = resolve_items(instrument, body.items)
    if item_keys == list(record.get("item_keys", [])):
        return document_view(record, instrument)
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    updated = uow.replace({**record, "item_keys": item_keys}, expected_version=version, what=WHAT)
    uow.append(_audit(ctx, "change", program_id, document_id))
    try:
        uow.commit()
    except StaleVersion as failed:
        raise failed.showing(view(failed.stored or record)) from failed
    return document_view(updated, instrument)


def resolve_items(instrument: Instrument, refs: Sequence[str]) -> list[str]:
    """Item keys for codes or keys, in the order given, each once; unknown ones are a 422."""
    resolved: list[str] = []
    unknown: list[dict[str, str]] = []
    first_unknown = ""
    for index, ref in enumerate(refs):
        item = instrument.item_by_key(ref) or instrument.item_by_code(ref)
        if item is None:
            first_unknown = first_unknown or ref
            unknown.append(
                {
                    "field": f"body.items[{index}]",
                    "message": f"{ref!r} is neither an item code nor an item key",
                    "code": "unknown_item",
                }
            )
        elif item.key not in resolved:
            resolved.append(item.key)
    if unknown:
        raise RuleViolation(
            f"Unknown item {first_unknown!r}: use item codes such as A1 (or item keys).",
            field=unknown[0]["field"],
            errors=unknown,
        )
    return resolved


def download(ctx: Context, table: Table, program_id: str, document_id: str) -> EvidenceDownload:
    authorized_program(ctx, table, program_id)
    record = _available(table, program_id, document_id)
    # The read is audited before the link exists: no audit entry, no link.
    table.append(_audit(ctx, "export", program_id, document_id))
    url = storage.presigned_get(
        _bucket(),
        record["object_key"],
        record.get("object_version"),
        record["filename"],
        record["content_type"],
        int(DOWNLOAD_EXPIRES.total_seconds()),
    )
    return EvidenceDownload(
        url=url, expires_at=clock.iso_in(DOWNLOAD_EXPIRES), filename=record["filename"]
    )


def delete(ctx: Context, table: Table, program_id: str, document_id: str) -> None:
    """Remove the record (and with it its links), then the object."""
    authorized_program(ctx, table, program_id)
    record = _document(table, program_id, document_id)
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    uow.delete(key_of(record), expected_version=int(record["version"]), what=WHAT)
    uow.append(_audit(ctx, "change", program_id, document_id))
    uow.commit()
    try:
        storage.delete(_bucket(), record["object_key"])
    except Exception:
        # The record is gone, so no one can reach the object any more; it stays in the
        # bucket until someone removes it, so say exactly which one. The caller's delete
        # did happen: answering an error now would only make a retry say 404.
        logger.exception("evidence object left behind", extra={"object_key": record["object_key"]})
