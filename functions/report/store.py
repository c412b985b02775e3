"""What the report service reads from the table, as the documents' facts.

A cycle's partition (the cycle and its answers) is one query, its plan's partition another,
the serving affiliates' names one batch; the instrument version is packaged or cached per
process. A program's progress reads its cycle index once and each reported cycle's partition
once (a program has a cycle every three years). Access is decided on the cycle record read with
its partition (``shared.store.cycles.authorize``), or on the program.

The plan's records are read by their field names (``functions/plan/records.py`` writes them):
the report's artifact holds no other function's code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from functions.report.documents import (
    AnswerFacts,
    AssessmentFacts,
    GoalFacts,
    PlanFacts,
    PlanPartFacts,
    section_figures,
)
from functions.report.progress import CycleFigures
from shared import keys
from shared.adapters.table import Table
from shared.context import Context
from shared.domain.cycle_states import CycleState
from shared.store import cycles
from shared.store.cycles import CycleRecord
from shared.store.instrument_versions import get_version
from shared.store.programs import ProgramRecord, authorized_program

Record = dict[str, Any]

#: The plan's parts and their titles, as the plan service stores them (``<part>_strengths``).
PLAN_PARTS = (
    ("management", "Program design and management"),
    ("operations", "Program operations"),
    ("evaluation", "Program evaluation"),
)
#: Cycles whose assessment was submitted and stands: they are a program's reported cycles.
REPORTED = frozenset(
    {
        CycleState.SUBMITTED,
        CycleState.IN_REVIEW,
        CycleState.REVIEW_COMPLETED,
        CycleState.PLAN_FINALIZED,
        CycleState.HISTORICAL,
    }
)


def authorized_assessment(ctx: Context, table: Table, cycle_id: str) -> tuple[CycleRecord, Record]:
    """The cycle (if the caller may have this document of it; else 403 or 404) and its answers
    by item key, from one query of its partition."""
    items = table.query_all(keys.cycle_partition(cycle_id))
    cycle = cycles.authorize(ctx, next((i for i in items if i["sk"] == "CYCLE"), None))
    return cycle, _answers(items)


def _answers(items: Iterable[Record]) -> dict[str, AnswerFacts]:
    return {
        str(i["item_key"]): AnswerFacts(
            in_practice=str(i["in_practice"]),
            rating=int(i["rating"]) if i.get("rating") is not None else None,
            notes=str(i.get("notes") or ""),
        )
        for i in items
        if str(i["sk"]).startswith(keys.ANSWER_PREFIX)
    }


def assessment_facts(
    table: Table,
    cycle: CycleRecord,
    answers: Mapping[str, AnswerFacts],
    plan: Iterable[Record] = (),
) -> AssessmentFacts:
    affiliates = table.batch_get([keys.affiliate(a) for a in cycle.affiliate_ids])
    return AssessmentFacts(
        cycle_id=cycle.cycle_id,
        program_id=cycle.program_id,
        program_name=str(cycle.item.get("program_name") or cycle.program_id),
        affiliate_names=tuple(str(a["name"]) for a in affiliates),
        instrument=get_version(table, cycle.instrument_version, cycle.instrument_key),
        opened_at=str(cycle.item.get("opened_at") or ""),
        submitted_at=cycle.submitted_at,
        state=cycle.state.value,
        answers=answers,
        goals=_goals(plan),
    )


def plan_records(table: Table, cycle_id: str) -> list[Record]:
    """The plan's partition: its text, goals, goal set, updates and history (one query)."""
    return table.query_all(keys.plan_partition(cycle_id))


def _goals(plan: Iterable[Record]) -> tuple[GoalFacts, ...]:
    goals = [r for r in plan if str(r["sk"]).startswith(keys.GOAL_PREFIX) and not r.get("retired")]
    goals.sort(key=lambda r: (str(r.get("created_at") or ""), str(r["goal_id"])))
    return tuple(
        GoalFacts(
            item_key=str(r["item_key"]),
            title=str(r["title"]),
            baseline_rating=_int(r.get("baseline_rating")),
            target_rating=int(r["target_rating"]),
            achieved_rating=_int(r.get("achieved_rating")),
            status=str(r["status"]),
            start_date=str(r["start_date"]),
            target_date=str(r["target_date"]),
        )
        for r in goals
    )


def plan_facts(
    assessment: AssessmentFacts, cycle: CycleRecord, plan: Iterable[Record]
) -> PlanFacts:
    text = next((r for r in plan if r["sk"] == keys.plan_text("_")["sk"]), {})
    return PlanFacts(
        assessment=assessment,
        parts=tuple(
            PlanPartFacts(
                title=title,
                strengths=str(text.get(f"{part}_strengths") or ""),
                areas_for_improvement=str(text.get(f"{part}_areas_for_improvement") or ""),
            )
            for part, title in PLAN_PARTS
        ),
        finalized_at=cycle.plan_finalized_at,
    )


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


# =========================================================================== progress
def authorized_progress(
    ctx: Context, table: Table, program_id: str
) -> tuple[ProgramRecord, list[CycleFigures]]:
    """The program (if the caller may read its results; else 403 or 404) and its reported
    cycles' figures, oldest first."""
    program = authorized_program(ctx, table, program_id)
    return program, progress_figures(table, program_id)


def progress_figures(
    table: Table,
    program_id: str,
    *,
    until: str | None = None,
    known: Mapping[str, Mapping[str, AnswerFacts]] | None = None,
) -> list[CycleFigures]:
    """The program's reported cycles (submitted, not archived), oldest first; ``until``: only
    those opened no later than that cycle's ``opened_at``; ``known``: answers already read, by
    cycle id (not read again)."""
    index = keys.cycles_of_program_index_pk(program_id)
    listed = [
        cycles.record_of(i)
        for i in table.query_all(index, index=keys.GSI1)
        if i.get("state") in REPORTED
    ]
    listed.sort(key=lambda c: (str(c.item.get("opened_at") or ""), c.cycle_id))
    found = []
    for cycle in listed:
        opened = str(cycle.item.get("opened_at") or "")
        if until is not None and opened > until:
            continue
        answers = (known or {}).get(cycle.cycle_id)
        if answers is None:
            answers = _answers(table.query_all(keys.cycle_partition(cycle.cycle_id)))
        instrument = get_version(table, cycle.instrument_version, cycle.instrument_key)
        found.append(
            CycleFigures(
                cycle_id=cycle.cycle_id,
                state=cycle.state.value,
                opened_at=opened,
                submitted_at=cycle.submitted_at,
                instrument_version=cycle.instrument_version,
                sections=tuple(section_figures(instrument, answers)),
            )
        )
    return found
