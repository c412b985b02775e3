"""The report service's use cases: a program's documents (made into the private bucket and served
by a short presigned link) and its own progress across cycles.

Every document is made for the request that asks for it, from the table as it is now, written
under ``documents/<program>/<cycle>/`` (the bucket expires them after a day) and linked for five
minutes: no document passes through the API, so API Gateway's 6 MB and 29 s limits are never
the ceiling of a document's size. Each download is audited (an ``export`` entry) before its link
exists: no audit entry, no link.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from functions.report import documents, pdf, store
from functions.report.models import (
    CycleProgress,
    DocumentLink,
    ProgramProgress,
    ProgressChange,
    SectionProgressFigures,
)
from functions.report.progress import CycleFigures, changes
from functions.report.settings import ReportsBucketSettings
from shared import clock
from shared.adapters import storage
from shared.adapters.table import Table
from shared.context import Context
from shared.settings import get_settings
from shared.store import cycles
from shared.store.audit import audit_entry

PDF, CSV = "application/pdf", "text/csv; charset=utf-8"
LINK_EXPIRES = timedelta(minutes=5)


def assessment_pdf(ctx: Context, table: Table, cycle_id: str, *, with_goals: bool) -> DocumentLink:
    cycle, answers = store.authorized_assessment(ctx, table, cycle_id)
    plan = store.plan_records(table, cycle_id) if with_goals else []
    facts = store.assessment_facts(table, cycle, answers, plan)
    progress = store.progress_figures(
        table, cycle.program_id, until=facts.opened_at, known={cycle_id: answers}
    )
    body = pdf.assessment_pdf(facts, with_goals=with_goals, progress=progress)
    return _deliver(ctx, table, facts, "assessment", body, PDF, f"{facts.name}.pdf")


def assessment_csv(ctx: Context, table: Table, cycle_id: str) -> DocumentLink:
    cycle, answers = store.authorized_assessment(ctx, table, cycle_id)
    facts = store.assessment_facts(table, cycle, answers, store.plan_records(table, cycle_id))
    body = documents.assessment_csv(facts)
    return _deliver(ctx, table, facts, "assessment", body, CSV, f"{facts.name}.csv")


def plan_pdf(ctx: Context, table: Table, cycle_id: str) -> DocumentLink:
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)  # the answers are not in it
    plan = store.plan_records(table, cycle_id)
    facts = store.plan_facts(store.assessment_facts(table, cycle, {}, plan), cycle, plan)
    body = pdf.plan_pdf(facts)
    return _deliver(ctx, table, facts.assessment, "plan", body, PDF, f"{facts.name}.pdf")


def goals_csv(ctx: Context, table: Table, cycle_id: str) -> DocumentLink:
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    facts = store.assessment_facts(table, cycle, {}, store.plan_records(table, cycle_id))
    body = documents.goals_csv(facts)
    name = f"{facts.program_name} plan goals {facts.opened_at[:4]}.csv"
    return _deliver(ctx, table, facts, "goals", body, CSV, name)


def _deliver(
    ctx: Context,
    table: Table,
    facts: documents.AssessmentFacts,
    kind: str,
    body: bytes,
    content_type: str,
    filename: str,
) -> DocumentLink:
    """Store the document, audit the download, and link it."""
    bucket = get_settings(ReportsBucketSettings).reports_bucket
    extension = filename.rsplit(".", 1)[1]
    key = f"documents/{facts.program_id}/{facts.cycle_id}/{kind}-{uuid.uuid4().hex}.{extension}"
    storage.put(bucket, key, body, content_type)
    target = f"cycle:{facts.cycle_id}/documents/{kind}.{extension}"
    table.append(
        audit_entry(ctx, "export", scope="program", scope_id=facts.program_id, target=target)
    )
    seconds = int(LINK_EXPIRES.total_seconds())
    name = _filename(filename)
    url = storage.presigned_get(bucket, key, None, name, content_type, seconds)
    return DocumentLink(
        url=url,
        expires_at=clock.iso_in(LINK_EXPIRES),
        filename=name,
        content_type=content_type,
        size_bytes=len(body),
    )


def _filename(name: str) -> str:
    """A file name without characters file systems refuse."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip() or "document"


# =========================================================================== progress
def program_progress(ctx: Context, table: Table, program_id: str) -> ProgramProgress:
    program, figures = store.authorized_progress(ctx, table, program_id)
    cycles.audit_read(ctx, table, program_id, f"program:{program_id}/progress")
    return ProgramProgress(
        program_id=program.program_id,
        program_name=program.name,
        cycles=progress_views(figures),
    )


def progress_views(figures: list[CycleFigures]) -> list[CycleProgress]:
    views = []
    for cycle, change in zip(figures, changes(figures), strict=True):
        views.append(
            CycleProgress(
                cycle_id=cycle.cycle_id,
                state=cycle.state,
                opened_at=cycle.opened_at,
                submitted_at=cycle.submitted_at,
                instrument_version=cycle.instrument_version,
                sections=[
                    SectionProgressFigures(
                        letter=s.letter,
                        title=s.title,
                        items=s.items,
                        answered=s.answered,
                        average_rating=s.average_rating,
                        share_in_practice=s.share_in_practice,
                        change=ProgressChange(
                            average_rating=change[s.letter].average_rating,
                            share_in_practice=change[s.letter].share_in_practice,
                        ),
                    )
                    for s in cycle.sections
                ],
            )
        )
    return views
