"""Use cases of the plan service: the plan's text, its goals, finalizing, and goal progress.

Every operation starts from the cycle (``shared.store.cycles.authorized_cycle``: 404 for a cycle
outside the caller's tenancy, 403 for one it may read but not act on). Each write checks the
cycle's state again in its transaction, appends a history entry (who changed what, when) and
an audit entry. Reads of a plan are audited, one entry per request.

Before finalization both sides edit; after it, goal definitions and the text change only
through the affiliate's staff (a 403 for the program's staff, decided here because it depends
on the cycle's state, which the access table does not know).
"""

from __future__ import annotations

from datetime import date

from functions.plan import records, rules, store
from functions.plan.models import (
    CompleteIn,
    Finalized,
    Goal,
    GoalIn,
    GoalSummary,
    Plan,
    PlanText,
    PlanTextIn,
    ProgressIn,
    RetireIn,
    SendBackIn,
    VerifyIn,
)
from functions.plan.records import GoalSet, StoredGoal
from functions.plan.rules import EDITABLE, IN_EFFECT, GoalStatus, require_state
from functions.plan.store import Plans
from shared import clock
from shared.access import Relation, relations_to_program
from shared.adapters.table import ConditionFailed, StaleVersion, Table, UnitOfWork, stale
from shared.context import Context
from shared.domain.cycle_states import Action, CycleState, transition
from shared.domain.instrument import Instrument, Item
from shared.edge.versions import expected_version
from shared.errors import (
    Forbidden,
    IllegalTransition,
    RuleViolation,
    VersionConflict,
)
from shared.events import EventData
from shared.events.plan import GoalCompleted, GoalSentBack, GoalVerified, PlanFinalized
from shared.store import cycles
from shared.store.cycles import CycleRecord, Record
from shared.store.instrument_versions import get_version


# =========================================================================== helpers
def _user(ctx: Context) -> str:
    return ctx.caller.user_id or "system"


def _is_affiliate(ctx: Context, cycle: CycleRecord) -> bool:
    held = relations_to_program(ctx.caller, cycle.program_id, cycle.affiliate_ids)
    return Relation.SERVING_AFFILIATE_STAFF in held


def _editing(ctx: Context, cycle: CycleRecord, doing: str) -> frozenset[CycleState]:
    """The states this caller's edit may commit in: the program's staff edit only the draft
    (403 once finalized), the affiliate's staff also the finalized plan."""
    require_state(cycle.state, EDITABLE, doing)
    if _is_affiliate(ctx, cycle):
        return EDITABLE
    if rules.is_finalized(cycle.state):
        raise Forbidden(
            "The plan is finalized: program staff may not change it any more; this needs "
            "affiliate staff serving the program.",
            missing_permission=ctx.operation_id,
            required=[Relation.SERVING_AFFILIATE_STAFF.value],
        )
    return frozenset({CycleState.REVIEW_COMPLETED})


#: Why an edit is refused once the cycle moved on (``{state}``: the state it is in now).
LOCKED = "The cycle is now {state}: reload the plan."


def _commit(uow: UnitOfWork, cycle_id: str) -> None:
    """Commit a plan write: the cycle moved on meanwhile (finalized, say) is a 409 naming its
    state; the goal set changed meanwhile, the goal-set 409."""
    try:
        cycles.commit(uow, cycle_id, reason=LOCKED)
    except ConditionFailed as failed:
        changed = store.changed_meanwhile(failed, cycle_id)
        if changed is None:
            raise
        raise changed from failed


def _anchor(cycle: CycleRecord) -> date:
    """What target dates are measured from: finalization, or today for a draft."""
    finalized_at = cycle.plan_finalized_at
    return date.fromisoformat(str(finalized_at)[:10]) if finalized_at else clock.now().date()


def _instrument(table: Table, cycle: CycleRecord) -> Instrument:
    return get_version(table, cycle.instrument_version, cycle.instrument_key)


def _goal_view(cycle: CycleRecord, instrument: Instrument, record: Record) -> Goal:
    return records.goal_view(record, instrument, today=clock.now().date(), anchor=_anchor(cycle))


def _history(
    uow: UnitOfWork,
    ctx: Context,
    cycle: CycleRecord,
    action: str,
    *,
    goal_id: str | None = None,
    changes: Record | None = None,
) -> None:
    uow.append(
        records.history_record(
            cycle.cycle_id,
            at=clock.now_iso(),
            by=_user(ctx),
            action=action,
            goal_id=goal_id,
            changes=changes,
        )
    )
    target = f"cycle:{cycle.cycle_id}/plan" + (f"/goal:{goal_id}" if goal_id else "")
    cycles.audit_change(ctx, uow, cycle.program_id, target)


def _emit(uow: UnitOfWork, ctx: Context, cycle: CycleRecord, event: EventData) -> None:
    uow.emit(cycles.cycle_event(ctx, cycle.program_id, cycle.affiliate_ids, cycle.cycle_id, event))


# =========================================================================== reading
def get_plan(ctx: Context, table: Table, plans: Plans, cycle_id: str) -> Plan:
    """The plan with its goals, progress and history: one query of its partition. Before the
    review is completed it is empty (``state`` says where the cycle is)."""
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    instrument = _instrument(table, cycle)
    found = plans.read_plan(cycle_id)
    cycles.audit_read(ctx, table, cycle.program_id, f"cycle:{cycle_id}/plan")
    today, anchor = clock.now().date(), _anchor(cycle)
    goals = [
        records.goal_view(
            goal,
            instrument,
            today=today,
            anchor=anchor,
            updates=found.updates.get(goal["goal_id"], []),
        )
        for goal in found.goals
    ]
    summary = rules.summarize(
        ((GoalStatus(g.status), g.retired, date.fromisoformat(g.target_date)) for g in goals),
        today,
    )
    return Plan(
        cycle_id=cycle_id,
        program_id=cycle.program_id,
        state=cycle.state.value,
        finalized_at=cycle.plan_finalized_at,
        finalized_by=cycle.plan_finalized_by,
        text=records.text_view(found.text),
        goals=goals,
        summary=GoalSummary.model_validate(vars(summary)),
        history=[records.history_view(h) for h in found.history],
    )


# =========================================================================== text
def save_text(
    ctx: Context,
    table: Table,
    plans: Plans,
    cycle_id: str,
    body: PlanTextIn,
    if_match: str | None,
) -> PlanText:
    """The text at the version read (none: create only). A stale save is a 409 with the
    current text, so nothing a colleague wrote is lost; the history keeps every change."""
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    states = _editing(ctx, cycle, "editing the plan")
    expected = expected_version(if_match, body.version) or 0

    stored = plans.get_text(cycle_id)
    try:
        if int((stored or {}).get("version", 0)) != expected:
            raise _text_conflict(stored)
        record = records.text_record(cycle_id, body, _user(ctx), clock.now_iso())
        uow = table.unit_of_work(actor_id=ctx.caller.user_id)
        cycles.guard_state(uow, cycle_id, states)
        saved = plans.save_text(uow, record, expected_version=expected)
        before = {**dict.fromkeys(records.TEXT_RECORD_FIELDS, ""), **(stored or {})}
        changed = rules.changes(before, record, records.TEXT_RECORD_FIELDS)
        _history(uow, ctx, cycle, "text_changed", changes=changed)
        try:
            _commit(uow, cycle_id)
        except ConditionFailed as failed:
            clash = store.text_clash(failed, cycle_id)
            if clash is not None:
                raise _text_conflict(clash.stored) from failed
            raise
    except VersionConflict as conflict:
        if conflict.extensions.get("current") is not None:
            # The 409 shows a colleague's text: a read, audited before it is served.
            cycles.audit_read(ctx, table, cycle.program_id, f"cycle:{cycle_id}/plan")
        raise
    return records.text_view(saved)


def _text_conflict(stored: Record | None) -> VersionConflict:
    """A save at a version the text is not at: the 409 shows the text as stored."""
    if stored is None:
        return VersionConflict(
            "The plan has no text yet; send it without a version.",
            current=None,
            current_version=0,
        )
    return VersionConflict(
        f"The plan's text changed since you read it: it is at version {stored['version']}, "
        f"saved by {stored['changed_by']} at {stored['changed_at']}. Merge your change "
        "into `current` and resend with that version.",
        current=records.text_view(stored).model_dump(mode="json"),
        current_version=stored["version"],
    )


# =========================================================================== goal definitions
def _item(instrument: Instrument, code: str) -> Item:
    item = instrument.item_by_code(code)
    if item is None:
        raise RuleViolation(
            f"Item {code} is not in this cycle's instrument.", field="body.item_code"
        )
    return item


def _definition(
    plans: Plans, cycle: CycleRecord, instrument: Instrument, body: GoalIn, *, with_set: bool
) -> tuple[Record, GoalSet | None]:
    """The hard rules (422 naming the field), and the baseline: the one given, else the
    program's rating of the item in this cycle (none when it was answered no or n/a). The
    owner's membership, the answer and (``with_set``) the goal set are read in one request;
    the goal set is returned as read."""
    item = _item(instrument, body.item_code)
    rules.check_goal_dates(body.start_date, body.target_date)
    facts = plans.goal_facts(
        cycle.cycle_id, cycle.program_id, body.owner_id, item.key, with_set=with_set
    )
    if not facts.owner_is_staff:
        raise RuleViolation(
            "The owner must be a staff member of the program.", field="body.owner_id"
        )
    baseline = body.baseline_rating
    if baseline is None and facts.rating is not None:
        baseline = facts.rating
    return records.goal_definition(item, body, baseline), facts.goal_set


def _not_retired(goal: StoredGoal) -> None:
    if goal.retired:
        raise IllegalTransition(
            "The goal is retired: it stays in the plan's history and no longer changes.",
            current_state="retired",
        )


def add_goal(ctx: Context, table: Table, plans: Plans, cycle_id: str, body: GoalIn) -> Goal:
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    states = _editing(ctx, cycle, "adding a goal")
    instrument = _instrument(table, cycle)
    definition, goal_set = _definition(plans, cycle, instrument, body, with_set=True)
    read = goal_set or GoalSet(cycle_id)
    rules.check_goal_added(len(read.active), rules.is_finalized(cycle.state))
    goal_id = records.new_goal_id()
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    cycles.guard_state(uow, cycle_id, states)
    saved = plans.create_goal(uow, records.goal_record(cycle_id, goal_id, definition, _user(ctx)))
    plans.save_goal_set(uow, read, [*read.active, goal_id])
    added = rules.changes({}, definition, records.DEFINITION_FIELDS)
    _history(uow, ctx, cycle, "goal_added", goal_id=goal_id, changes=added)
    _commit(uow, cycle_id)
    return _goal_view(cycle, instrument, saved)


def update_goal(
    ctx: Context,
    table: Table,
    plans: Plans,
    cycle_id: str,
    goal_id: str,
    body: GoalIn,
    if_match: str | None,
) -> Goal:
    """A goal's definition at the version read (its status and progress are kept)."""
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    states = _editing(ctx, cycle, "changing a goal")
    instrument = _instrument(table, cycle)
    goal = plans.get_goal(cycle_id, goal_id)
    expected = expected_version(if_match, body.version)

    def view(current: Record) -> object:
        return _goal_view(cycle, instrument, current).model_dump(mode="json")

    if expected != goal.version:
        # The 409 shows the goal as it is now: a read, audited before it is served.
        cycles.audit_read(ctx, table, cycle.program_id, f"cycle:{cycle_id}/plan/goal:{goal_id}")
        if expected is None:
            raise VersionConflict(
                f"Send the version you read (If-Match) to change a goal; it is at version "
                f"{goal.version}.",
                current=view(goal.item),
                current_version=goal.version,
            )
        raise stale("Goal", goal.item, view(goal.item))
    _not_retired(goal)
    rules.check_definable(goal.status)
    definition, _ = _definition(plans, cycle, instrument, body, with_set=False)
    changed = rules.changes(goal.item, definition, records.DEFINITION_FIELDS)
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    cycles.guard_state(uow, cycle_id, states)
    saved = plans.save_goal(uow, goal, definition)
    _history(uow, ctx, cycle, "goal_changed", goal_id=goal_id, changes=changed)
    _commit_goal(uow, cycle, instrument, goal)
    return _goal_view(cycle, instrument, saved)


def retire_goal(
    ctx: Context, table: Table, plans: Plans, cycle_id: str, goal_id: str, body: RetireIn
) -> Goal:
    """The goal stops counting; it stays in the plan, with its history. A finalized plan
    keeps 3 to 5 active goals (add the replacing goal first)."""
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    states = _editing(ctx, cycle, "retiring a goal")
    instrument = _instrument(table, cycle)
    goal, read = plans.goal_with_set(cycle_id, goal_id)
    _not_retired(goal)
    rules.check_goal_retired(len(read.active), rules.is_finalized(cycle.state))
    now = clock.now_iso()
    fields = {"retired": True, "retired_reason": body.reason, "retired_at": now}
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    cycles.guard_state(uow, cycle_id, states)
    saved = plans.save_goal(uow, goal, {**fields, "retired_by": _user(ctx)})
    plans.save_goal_set(uow, read, [g for g in read.active if g != goal_id])
    changed = rules.changes(goal.item, fields, ("retired", "retired_reason"))
    _history(uow, ctx, cycle, "goal_retired", goal_id=goal_id, changes=changed)
    _commit(uow, cycle_id)
    return _goal_view(cycle, instrument, saved)


# =========================================================================== finalize
def finalize_plan(ctx: Context, table: Table, plans: Plans, cycle_id: str) -> Finalized:
    """review_completed -> plan_finalized with 3 to 5 active goals, checked against the goal
    set's version in the same transaction (a goal added meanwhile: 409, never 6)."""
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    transition(cycle.state, Action.FINALIZE_PLAN)  # 409 naming the state, before any count
    read = plans.get_goal_set(cycle_id)
    active = list(read.active)
    rules.check_finalizable(len(active))
    user, now = _user(ctx), clock.now_iso()
    uow, updated = cycles.transition_cycle(
        ctx,
        table,
        cycle,
        Action.FINALIZE_PLAN,
        {"plan_finalized_at": now, "plan_finalized_by": user},
        PlanFinalized(
            cycle_id=cycle_id, program_id=cycle.program_id, finalized_by=user, goal_ids=active
        ),
    )
    plans.require_unchanged(uow, read)
    uow.append(records.history_record(cycle_id, at=now, by=user, action="plan_finalized"))
    _commit(uow, cycle_id)
    return Finalized(
        cycle_id=cycle_id, state=str(updated["state"]), finalized_at=now, goal_ids=active
    )


# =========================================================================== goal work
def _working_goal(
    ctx: Context, table: Table, plans: Plans, cycle_id: str, goal_id: str, doing: str
) -> tuple[CycleRecord, StoredGoal]:
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    require_state(cycle.state, IN_EFFECT, doing)
    goal = plans.get_goal(cycle_id, goal_id)
    _not_retired(goal)
    return cycle, goal


def _save_work(
    ctx: Context,
    table: Table,
    plans: Plans,
    cycle: CycleRecord,
    goal: StoredGoal,
    fields: Record,
    action: str,
    *,
    event: EventData | None = None,
    extra: Record | None = None,
) -> Goal:
    """A goal's status change at the version read, with its history entry (the fields it
    changed), an optional extra record (a progress update) and event, in one transaction."""
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    cycles.guard_state(uow, cycle.cycle_id, IN_EFFECT)
    instrument = _instrument(table, cycle)
    saved = plans.save_goal(uow, goal, fields)
    if extra is not None:
        uow.create(extra, what="Progress update")
    changed = rules.changes(goal.item, fields, fields)
    _history(uow, ctx, cycle, action, goal_id=goal.goal_id, changes=changed)
    if event is not None:
        _emit(uow, ctx, cycle, event)
    _commit_goal(uow, cycle, instrument, goal)
    return _goal_view(cycle, instrument, saved)


def _commit_goal(
    uow: UnitOfWork, cycle: CycleRecord, instrument: Instrument, goal: StoredGoal
) -> None:
    """Commit a goal's change: a goal changed meanwhile is the 409 showing it as it is now."""
    try:
        _commit(uow, cycle.cycle_id)
    except StaleVersion as failed:
        current_goal = store.goal_changed(failed, goal)
        if current_goal is None:
            raise
        current = _goal_view(cycle, instrument, current_goal).model_dump(mode="json")
        raise failed.showing(current) from failed


def post_progress(
    ctx: Context, table: Table, plans: Plans, cycle_id: str, goal_id: str, body: ProgressIn
) -> Goal:
    cycle, goal = _working_goal(ctx, table, plans, cycle_id, goal_id, "posting progress")
    status = rules.after_progress(goal.status)
    now = clock.now_iso()
    update = records.update_record(
        cycle_id,
        goal_id,
        on=body.on or clock.now().date(),
        note=body.note,
        by=_user(ctx),
        at=now,
    )
    return _save_work(
        ctx, table, plans, cycle, goal, {"status": status.value}, "progress_posted", extra=update
    )


def complete_goal(
    ctx: Context, table: Table, plans: Plans, cycle_id: str, goal_id: str, body: CompleteIn
) -> Goal:
    """Marked completed by the program, with a note and optionally documents of its
    evidence library (each must be an available document of this program)."""
    cycle, goal = _working_goal(ctx, table, plans, cycle_id, goal_id, "completing a goal")
    status = rules.after_completion(goal.status)
    wanted = list(dict.fromkeys(body.evidence_ids))
    if wanted:
        available = plans.available_evidence(cycle.program_id, wanted)
        missing = [d for d in wanted if d not in available]
        if missing:
            raise RuleViolation(
                f"Not an available document of the program's evidence: {', '.join(missing)}.",
                field="body.evidence_ids",
            )
    fields = {
        "status": status.value,
        "completion_note": body.note,
        "evidence_ids": wanted,
        "completed_by": _user(ctx),
        "completed_at": clock.now_iso(),
    }
    event = GoalCompleted(
        cycle_id=cycle_id,
        program_id=cycle.program_id,
        goal_id=goal_id,
        item_key=goal.item_key,
        completed_by=_user(ctx),
    )
    return _save_work(ctx, table, plans, cycle, goal, fields, "goal_completed", event=event)


def verify_goal(
    ctx: Context, table: Table, plans: Plans, cycle_id: str, goal_id: str, body: VerifyIn
) -> Goal:
    """The affiliate verifies with the achieved rating: a new observation kept on the goal;
    the program's answer to the item is never written."""
    cycle, goal = _working_goal(ctx, table, plans, cycle_id, goal_id, "verifying a goal")
    status = rules.after_verification(goal.status, body.achieved_rating)
    fields = {
        "status": status.value,
        "achieved_rating": body.achieved_rating,
        "verification_note": body.note,
        "verified_by": _user(ctx),
        "verified_at": clock.now_iso(),
    }
    event = GoalVerified(
        cycle_id=cycle_id,
        program_id=cycle.program_id,
        goal_id=goal_id,
        item_key=goal.item_key,
        verified_by=_user(ctx),
    )
    return _save_work(ctx, table, plans, cycle, goal, fields, "goal_verified", event=event)


def send_back_goal(
    ctx: Context, table: Table, plans: Plans, cycle_id: str, goal_id: str, body: SendBackIn
) -> Goal:
    cycle, goal = _working_goal(ctx, table, plans, cycle_id, goal_id, "sending a goal back")
    status = rules.after_send_back(goal.status)
    fields = {
        "status": status.value,
        "sent_back_comment": body.comment,
        "sent_back_by": _user(ctx),
        "sent_back_at": clock.now_iso(),
    }
    event = GoalSentBack(
        cycle_id=cycle_id, program_id=cycle.program_id, goal_id=goal_id, sent_back_by=_user(ctx)
    )
    return _save_work(ctx, table, plans, cycle, goal, fields, "goal_sent_back", event=event)
