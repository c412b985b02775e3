"""The research export's use cases: request one (202, a job makes the files), read its state
(with fresh download links once ready), and the job itself.

The job reads the counted cycles of the instrument version from the aggregates' contribution
records (one index partition, answers included: no cycle partition is read), each cycle's goals
(one query each), writes the CSV and its codebook to the private bucket, then marks the export
ready and emits ``ResearchExportReady`` in one transaction with its inbox record: the notify
service emails the requester a presigned link. A redelivered request finds the export ready
and does nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from functions.report.aggregates import Contribution
from functions.report.export import ExportCycle, ExportGoal, codebook_csv, export_csv
from functions.report.export_models import ResearchExport, ResearchExportIn
from functions.report.export_store import (
    counted_contributions,
    export_file_key,
    export_record_key,
    goals_of_cycle,
    read_export,
)
from shared import clock
from shared.access import relations_in_general
from shared.adapters import storage
from shared.adapters.table import Table
from shared.context import Context
from shared.domain.instrument import DEFAULT_INSTRUMENT
from shared.errors import NotFound
from shared.events import Actor, Envelope, new_event
from shared.events.report import ResearchExportReady, ResearchExportRequested
from shared.store.audit import audit_entry
from shared.store.instrument_versions import get_version

CONSUMER = "research-export"
LINK_SECONDS = 300
CSV = "text/csv; charset=utf-8"


def new_export_id() -> str:
    return f"rex_{uuid.uuid4().hex[:20]}"


def object_key(export_id: str, name: str) -> str:
    return export_file_key(export_id, name)


def request_export(ctx: Context, table: Table, body: ResearchExportIn) -> ResearchExport:
    ctx.authorize(relations_in_general(ctx.caller))
    instrument = get_version(table, body.instrument_version, DEFAULT_INSTRUMENT)
    export_id = new_export_id()
    record = {
        **export_record_key(export_id),
        "type": "research_export",
        "export_id": export_id,
        "state": "requested",
        "instrument_key": instrument.key,
        "instrument_version": instrument.version,
        "requested_at": clock.now_iso(),
        "requested_by": ctx.caller.user_id,
    }
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    stored = uow.create(record, what="Research export")
    uow.emit(
        new_event(
            ResearchExportRequested(export_id=export_id),
            actor=ctx.actor,
            correlation_id=ctx.correlation_id,
        )
    )
    uow.append(audit_entry(ctx, "export", scope="national", scope_id="research", target=export_id))
    uow.commit()
    return _view(stored, links=False)


def get_export(ctx: Context, table: Table, export_id: str, bucket: str) -> ResearchExport:
    ctx.authorize(relations_in_general(ctx.caller))
    record = read_export(table, export_id)
    if record is None:
        raise NotFound("Research export not found.")
    table.append(audit_entry(ctx, "read", scope="national", scope_id="research", target=export_id))
    return _view(record, links=True, bucket=bucket)


def _view(record: dict[str, Any], *, links: bool, bucket: str | None = None) -> ResearchExport:
    ready = record["state"] == "ready"
    view = ResearchExport(
        export_id=record["export_id"],
        state=record["state"],
        instrument_key=record["instrument_key"],
        instrument_version=int(record["instrument_version"]),
        requested_at=record["requested_at"],
        requested_by=record["requested_by"],
        ready_at=record.get("ready_at"),
        rows=record.get("rows"),
    )
    if links and ready and bucket:
        view.download_url = download_link(bucket, str(record["export_id"]))
        view.codebook_url = storage.presigned_get(
            bucket,
            object_key(record["export_id"], "codebook.csv"),
            None,
            "nqms-research-export-codebook.csv",
            CSV,
            LINK_SECONDS,
        )
    return view


def download_link(bucket: str, export_id: str, expires_in: int = LINK_SECONDS) -> str:
    return storage.presigned_get(
        bucket,
        object_key(export_id, "export.csv"),
        None,
        f"nqms-research-export-{export_id}.csv",
        CSV,
        expires_in,
    )


# =========================================================================== the job
def exported_cycles(table: Table, instrument_key: str, version: int) -> list[ExportCycle]:
    """Every counted cycle of the version (submitted, not archived), with its goals."""
    records = counted_contributions(table, instrument_key, version)
    cycles = []
    for record in records:
        if not record.get("contribution"):
            continue
        counted = Contribution.from_record(record["contribution"])
        goals = [
            ExportGoal(
                item_code=str(goal.get("item_code") or ""),
                baseline_rating=goal.get("baseline_rating"),
                target_rating=goal.get("target_rating"),
                achieved_rating=goal.get("achieved_rating"),
                status=str(goal.get("status") or ""),
            )
            for goal in goals_of_cycle(table, counted.cycle_id)
        ]
        cycles.append(
            ExportCycle(
                cycle_id=counted.cycle_id,
                program_id=counted.program_id,
                year=counted.year,
                answers={key: (ip, rating) for key, ip, rating in counted.answers},
                goals=goals,
            )
        )
    return sorted(cycles, key=lambda c: (c.year, c.cycle_id))


def run_export(table: Table, event: Envelope, bucket: str, secret: bytes) -> bool:
    """Make the export the event asks for; False when it was made already."""
    export_id = event.data_as(ResearchExportRequested).export_id
    record = read_export(table, export_id)
    if record is None or record["state"] == "ready":
        return False
    instrument = get_version(table, int(record["instrument_version"]), record["instrument_key"])
    cycles = exported_cycles(table, instrument.key, instrument.version)
    storage.put(
        bucket, object_key(export_id, "export.csv"), export_csv(instrument, secret, cycles), CSV
    )
    storage.put(bucket, object_key(export_id, "codebook.csv"), codebook_csv(instrument), CSV)

    def mark_ready(uow: Any) -> None:
        uow.replace(
            {**record, "state": "ready", "ready_at": clock.now_iso(), "rows": len(cycles)},
            expected_version=int(record["version"]),
            what="Research export",
        )
        uow.emit(
            new_event(
                ResearchExportReady(export_id=export_id, requested_by=record["requested_by"]),
                actor=Actor(kind="system"),
                correlation_id=event.correlation_id,
            )
        )

    from shared.consumers import Inbox  # the job's only: the API's cold start skips Powertools

    return Inbox(table, CONSUMER).run_once(event, mark_ready)
