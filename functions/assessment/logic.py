"""Use cases of the assessment service: cycles, answers, readiness, submission, comparison.

Every operation on a cycle starts from its program (``shared.store.cycles.authorized_cycle``,
deciding from the program's affiliations the cycle carries): a cycle of a program the caller
does not belong to answers 404, exactly like one that does not exist (one it may read but not
act on, 403).
Reads of results write one audit entry per request.
"""

from __future__ import annotations

from typing import Any

from functions.assessment import instruments, records, store
from functions.assessment.models import (
    AnswerIn,
    Assessment,
    AssessmentItem,
    Blocker,
    Comparison,
    Cycle,
    CycleIn,
    CycleList,
    ItemChange,
    LastEdit,
    Progress,
    ReadinessReport,
    ReturnIn,
    SectionChange,
    SectionProgress,
)
from functions.assessment.models import (
    Readiness as ReadinessView,
)
from functions.assessment.store import Answers, Cycles, StoredAnswer
from shared import clock
from shared.adapters.retry import TRANSIENT
from shared.adapters.table import ConditionFailed, StaleVersion, Table, UnitOfWork
from shared.context import Context
from shared.domain import answers as rules
from shared.domain.cycle_states import (
    ANSWERABLE,
    FINISHED,
    Action,
    CycleState,
    check_readiness,
    due_date,
    may_open_new_cycle,
    sources,
    transition,
)
from shared.domain.instrument import Instrument
from shared.edge.versions import expected_version
from shared.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    NotReady,
    RuleViolation,
    VersionConflict,
)
from shared.events import (
    AssessmentReturned,
    AssessmentSubmitted,
    CycleArchived,
    CycleOpened,
)
from shared.store import cycles, instrument_versions
from shared.store import reminders as reminder_store
from shared.store.clashes import Clash
from shared.store.cycles import CycleRecord, Record
from shared.store.idempotency import Once
from shared.store.pagination import PageRequest
from shared.store.programs import authorized_program, read_program

#: Why a cycle refuses answers (``{state}``: the state it is in).
LOCKED = "The cycle is {state}: answers can only change while it is open or returned."


def _assessment_partition(
    ctx: Context, table: Table, answers: Answers, cycle_id: str
) -> tuple[CycleRecord, dict[str, StoredAnswer]]:
    """The cycle and all its answers with one query (plus the program, for access)."""
    cycle, found = answers.read_assessment(cycle_id)
    return cycles.authorize(ctx, cycle), found


def _instrument_of(table: Table, cycle: CycleRecord) -> Instrument:
    return instrument_versions.get_version(table, cycle.instrument_version, cycle.instrument_key)


# =========================================================================== cycles
def open_cycle(
    ctx: Context, table: Table, cycle_store: Cycles, program_id: str, body: CycleIn
) -> Cycle:
    program = authorized_program(ctx, table, program_id)
    today = clock.now().date()
    check = check_readiness(program.matching_since, today)
    if check.warning and not body.readiness_override_reason:
        raise RuleViolation(
            check.warning,
            field="body.readiness_override_reason",
            warning=check.warning,
            months=check.months_matching,
        )
    readiness = ReadinessView(
        months_matching=check.months_matching,
        warning=check.warning,
        override_reason=body.readiness_override_reason if check.warning else None,
    )
    guard = cycle_store.current(program_id)
    previous = cycle_store.read(guard.current_cycle_id) if guard else None
    if previous is not None and not may_open_new_cycle(previous.state):
        raise IllegalTransition(
            f"The program's current cycle is {previous.state.value}; a new cycle opens once "
            "its review is completed (or it is archived).",
            current_state=previous.state.value,
            current_cycle_id=previous.cycle_id,
        )
    version = body.instrument_version or instrument_versions.latest_version(table)
    instrument = instrument_versions.get_version(table, version)
    weeks = None if body.due_date else cycle_store.due_weeks(program.primary_affiliate_id)
    due = due_date(today, body.due_date, weeks)
    cycle_id = cycles.new_cycle_id()
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    previous_id = previous.cycle_id if previous else None
    item = uow.create(
        cycles.cycle_item(
            cycle_id=cycle_id,
            program=program,
            instrument=instrument,
            opened_at=clock.now_iso(),
            opened_by=ctx.caller.user_id or "system",
            due_date=due,
            readiness=readiness.model_dump(mode="json"),
            previous_cycle_id=previous_id,
        ),
        what="Cycle",
    )
    # The reminders job's records (due soon, overdue, the digest's watch), with the cycle.
    for record in reminder_store.reminder_records(cycle_id, program_id, due, today):
        uow.create(record, what="Reminder")
    cycles.point_guard(uow, program_id, guard, cycle_id)
    if previous is not None and previous.state in FINISHED:
        superseded = transition(previous.state, Action.SUPERSEDE)
        cycles.save(
            uow,
            previous,
            {"state": superseded.value, "superseded_by": cycle_id},
            states=sources(Action.SUPERSEDE),
            what="Previous cycle",
        )
    cycles.audit_change(ctx, uow, program_id, f"cycle:{cycle_id}")
    uow.emit(
        cycles.cycle_event(
            ctx,
            program_id,
            program.affiliate_ids,
            cycle_id,
            CycleOpened(
                cycle_id=cycle_id,
                program_id=program_id,
                instrument_key=instrument.key,
                instrument_version=instrument.version,
                due_date=due,
                previous_cycle_id=previous_id,
                readiness_overridden=check.warning is not None,
            ),
        )
    )
    try:
        uow.commit()
    except ConditionFailed as failed:
        # The current-cycle guard taken, or it or the previous cycle changed: a race.
        if cycles.guard_taken(failed, program_id) or isinstance(failed, StaleVersion):
            raise Conflict(
                "Another cycle of this program was opened at the same moment; reload."
            ) from failed
        raise
    return records.cycle_view(item)


def list_cycles(
    ctx: Context,
    table: Table,
    cycle_store: Cycles,
    program_id: str,
    page: PageRequest,
    include_archived: bool,
) -> CycleList:
    authorized_program(ctx, table, program_id)
    found = cycle_store.of_program(program_id, page)
    cycles.audit_read(ctx, table, program_id, f"program:{program_id}/cycles")  # one per page
    items = [
        records.cycle_view(c.item)
        for c in found.items
        if include_archived or c.state is not CycleState.ARCHIVED
    ]
    return CycleList(items=items, next=found.next)


def get_cycle(ctx: Context, table: Table, cycle_store: Cycles, cycle_id: str) -> Cycle:
    loaded = cycle_store.authorized(ctx, cycle_id)
    cycles.audit_read(ctx, table, loaded.program_id, f"cycle:{cycle_id}")
    return records.cycle_view(loaded.item)


# =========================================================================== answers
def save_answer(
    ctx: Context,
    table: Table,
    answers: Answers,
    cycle_id: str,
    item_code: str,
    body: AnswerIn,
    if_match: str | None,
) -> Any:
    """One transaction: the cycle must still be answerable, and the answer at the version read.

    Without a version, the save only creates: if a colleague already answered the item, the
    answer is not overwritten and the 409 carries what they saved.
    """
    # A cycle this process knows is not read: its state is checked by the transaction below.
    facts, state = cycles.known_cycle(ctx, table, cycle_id)
    instrument = instrument_versions.get_version(
        table, facts.instrument_version, facts.instrument_key
    )
    item = instrument.item_by_code(item_code)
    if item is None:
        raise NotFound(f"Item {item_code} is not in this cycle's instrument.")
    rules.check_answer_fits_item(item, body.in_practice)
    expected = expected_version(if_match, body.version) or 0
    if state is not None and state not in ANSWERABLE:
        raise cycles.locked(state, LOCKED)

    def attempt() -> StoredAnswer:
        # Saving answers concurrently can make DynamoDB cancel a transaction for a conflict
        # on the shared cycle record; the conditions are checked again on each attempt.
        uow = table.unit_of_work(actor_id=ctx.caller.user_id)
        cycles.guard_state(uow, cycle_id, ANSWERABLE)
        record = store.answer_item(
            cycle_id=cycle_id,
            item=item,
            in_practice=body.in_practice,
            rating=body.rating,
            notes=body.notes,
            saved_by=ctx.caller.user_id or "system",
            saved_at=clock.now_iso(),
        )
        saved = answers.save(uow, record, expected_version=expected)
        cycles.audit_change(ctx, uow, facts.program_id, f"cycle:{cycle_id}/answer:{item.key}")
        try:
            cycles.commit(uow, cycle_id, reason=LOCKED)
        except ConditionFailed as failed:
            clash = store.answer_clash(failed, cycle_id, item.key)
            if clash is not None:
                raise _answer_conflict(item.code, clash, instrument) from failed
            raise
        return saved

    try:
        saved = TRANSIENT.run(attempt)
    except VersionConflict as conflict:
        if conflict.extensions.get("current") is not None:
            # The 409 shows a colleague's answer and notes: a read, audited before it is served.
            cycles.audit_read(ctx, table, facts.program_id, f"cycle:{cycle_id}/answer:{item.key}")
        raise
    return records.answer_view(saved, instrument)


def _answer_conflict(
    code: str, clash: Clash[StoredAnswer], instrument: Instrument
) -> VersionConflict:
    """A save at a version the answer is not at: the 409 shows the answer as stored."""
    return clash.conflict(
        unsaved=f"Item {code} has no saved answer yet; send it without a version.",
        changed=lambda stored: (
            f"Item {code} changed since you read it: it is at version {stored.version}, "
            f"saved at {stored.saved_at}. Review that answer and resend with its version."
        ),
        view=lambda stored: records.answer_view(stored, instrument),
    )


def get_assessment(ctx: Context, table: Table, stored: Answers, cycle_id: str) -> Assessment:
    loaded, answers = _assessment_partition(ctx, table, stored, cycle_id)
    instrument = _instrument_of(table, loaded)
    previous = _previous_answers(table, stored, loaded.previous_cycle_id, instrument)
    cycles.audit_read(ctx, table, loaded.program_id, f"cycle:{cycle_id}")
    done = rules.progress(instrument, answers.keys())
    last = max(answers.values(), key=lambda a: a.saved_at, default=None)
    items = []
    for item in instrument.items:
        answer = answers.get(item.key)
        before = previous.get(item.key)
        items.append(
            AssessmentItem(
                key=item.key,
                code=item.code,
                section=item.section,
                prompt=item.prompt,
                references=list(item.references),
                kind=item.kind,
                guidance=item.guidance,
                evidence_hint=item.evidence_hint,
                allows_na=item.allows_na,
                answer=records.answer_view(answer, instrument) if answer else None,
                previous=records.previous_view(before, str(loaded.previous_cycle_id))
                if before
                else None,
            )
        )
    return Assessment(
        cycle=records.cycle_view(loaded.item),
        progress=Progress(
            answered=done.answered,
            total=done.total,
            sections=[SectionProgress(**vars(s)) for s in done.sections],
            resume_at=done.resume_at,
        ),
        last_edit=LastEdit(
            by=last.saved_by,
            at=last.saved_at,
            item_code=records.answer_view(last, instrument).item_code,
        )
        if last
        else None,
        items=items,
    )


def _previous_answers(
    table: Table, stored: Answers, previous_id: str | None, instrument: Instrument
) -> dict[str, StoredAnswer]:
    if not previous_id:
        return {}
    found, answers = stored.read_assessment(previous_id)
    previous = cycles.record_of(found) if found is not None else None
    if previous is None or previous.state is CycleState.ARCHIVED:
        return {}
    return instruments.translate_keys(
        table,
        answers,
        from_version=previous.instrument_version,
        to_version=instrument.version,
    )


# =========================================================================== readiness, submit
def get_readiness(ctx: Context, table: Table, stored: Answers, cycle_id: str) -> ReadinessReport:
    loaded, answers = _assessment_partition(ctx, table, stored, cycle_id)
    cycles.audit_read(ctx, table, loaded.program_id, f"cycle:{cycle_id}/readiness")
    return _readiness(table, loaded, answers)


def _readiness(
    table: Table, loaded: CycleRecord, answers: dict[str, StoredAnswer]
) -> ReadinessReport:
    blockers = rules.readiness_blockers(
        _instrument_of(table, loaded),
        store.as_stored(answers),
        answerable=loaded.state in ANSWERABLE,
        state=loaded.state.value,
    )
    return ReadinessReport(ready=not blockers, blockers=[Blocker(**vars(b)) for b in blockers])


def _commit_transition(uow: UnitOfWork, cycle_id: str) -> None:
    """Commit a cycle's transition: if the cycle changed meanwhile, the 409 shows it as it is
    now."""
    try:
        uow.commit()
    except StaleVersion as failed:
        stored = cycles.stale(failed, cycle_id)
        if stored is None:
            raise
        raise failed.showing(records.cycle_view(stored).model_dump(mode="json")) from failed


def submit_assessment(
    ctx: Context, table: Table, stored: Answers, cycle_id: str, once: Once | None = None
) -> Cycle:
    """Submit once: with an ``Idempotency-Key``, its record commits in the same transaction."""
    loaded, answers = _assessment_partition(ctx, table, stored, cycle_id)
    transition(loaded.state, Action.SUBMIT)  # 409 naming the state before any readiness check
    report = _readiness(table, loaded, answers)
    if not report.ready:
        raise NotReady(
            f"The assessment cannot be submitted yet: {len(report.blockers)} item(s) block it.",
            blockers=[b.model_dump(mode="json") for b in report.blockers],
        )
    user = ctx.caller.user_id or "system"
    fields: Record = {"submitted_at": clock.now_iso(), "submitted_by": user}
    if not loaded.item.get("program_name"):  # opened before cycles carried it: the queue shows it
        program = read_program(table, loaded.program_id)
        fields["program_name"] = program.name if program is not None else None
    uow, updated = cycles.transition_cycle(
        ctx,
        table,
        loaded,
        Action.SUBMIT,
        fields,
        AssessmentSubmitted(cycle_id=cycle_id, program_id=loaded.program_id, submitted_by=user),
    )
    view = records.cycle_view(updated)
    if once is not None:
        once.join(uow, view.model_dump(mode="json"))
    _commit_transition(uow, cycle_id)
    return view


def return_assessment(
    ctx: Context, table: Table, cycle_store: Cycles, cycle_id: str, body: ReturnIn
) -> Cycle:
    loaded = cycle_store.authorized(ctx, cycle_id)
    user, at = ctx.caller.user_id or "system", clock.now_iso()
    uow, updated = cycles.transition_cycle(
        ctx,
        table,
        loaded,
        Action.RETURN,
        {"returned_at": at, "returned_by": user, "return_comment": body.comment},
        AssessmentReturned(
            cycle_id=cycle_id, program_id=loaded.program_id, returned_by=user, returned_at=at
        ),
    )
    _commit_transition(uow, cycle_id)
    return records.cycle_view(updated)


def archive_cycle(ctx: Context, table: Table, cycle_store: Cycles, cycle_id: str) -> Cycle:
    """Kept, never reported. If it was the program's current cycle, the one before it (if any)
    becomes current again, so a new cycle can be opened."""
    loaded = cycle_store.authorized(ctx, cycle_id)
    uow, updated = cycles.transition_cycle(
        ctx,
        table,
        loaded,
        Action.ARCHIVE,
        {"archived_at": clock.now_iso()},
        CycleArchived(
            cycle_id=cycle_id, program_id=loaded.program_id, previous_state=loaded.state.value
        ),
    )
    guard = cycle_store.current(loaded.program_id)
    if guard is not None and guard.current_cycle_id == cycle_id:
        cycles.point_guard(uow, loaded.program_id, guard, loaded.previous_cycle_id or None)
    _commit_transition(uow, cycle_id)
    return records.cycle_view(updated)


# =========================================================================== comparison
def compare_cycles(
    ctx: Context, table: Table, stored: Answers, cycle_id: str, other_id: str
) -> Comparison:
    """Two cycles of the same program, item by item and section by section. Never across
    programs: a cycle of another program answers 404 like a missing one."""
    if other_id == cycle_id:
        raise RuleViolation("Compare a cycle with another one.", field="query.with")
    loaded, answers = _assessment_partition(ctx, table, stored, cycle_id)
    found, other_answers = stored.read_assessment(other_id)
    other = cycles.record_of(found) if found is not None else None
    if other is None or other.program_id != loaded.program_id:
        raise NotFound(f"Cycle {other_id} not found among this program's cycles.")
    for record in (loaded, other):
        if record.state is CycleState.ARCHIVED:
            raise RuleViolation(
                f"Cycle {record.cycle_id} is archived; archived cycles are left out of "
                "comparisons.",
                field="query.with" if record is other else "path.cycleId",
            )
    instrument = _instrument_of(table, loaded)
    translated = instruments.translate_keys(
        table,
        other_answers,
        from_version=other.instrument_version,
        to_version=instrument.version,
    )
    cycles.audit_read(ctx, table, loaded.program_id, f"comparison:{cycle_id}:{other_id}")
    item_changes, section_changes = rules.compare(
        instrument, store.as_stored(answers), store.as_stored(translated)
    )
    return Comparison(
        cycle_id=cycle_id,
        with_cycle_id=other_id,
        instrument_version=instrument.version,
        with_instrument_version=other.instrument_version,
        items=[ItemChange.model_validate(vars(c)) for c in item_changes],
        sections=[SectionChange.model_validate(vars(s)) for s in section_changes],
    )
