"""A cycle in the table, for every service that acts on one (assessment, review, plan, badges).

``shared/domain/cycle_states.py`` is the pure state machine; this module is its storage
side, kept in one copy so that every service decides access, guards state and records a
transition alike:

- :class:`CycleRecord`, the typed cycle record (``from_item``), and :func:`cycle_item`, the one
  builder of a new cycle's item (it copies the program's ``affiliate_ids``).
- :func:`authorized_cycle` / :func:`authorize`: the cycle, if the caller may perform this
  operation on it, decided from the program's affiliations the cycle carries (no program
  read) through ``Context.authorize``: 404 like a missing cycle, or 403 when the caller may
  read it but not do this.
- :func:`known_cycle`: the facts of a cycle that never change, kept per process, so a hot
  write (saving an answer) reads no cycle; its state is then checked in the write's
  transaction with :func:`guard_state`.
- :func:`guard_state` / :func:`commit`: the one check that a cycle is still in one of some
  states when a write commits, and the one mapping of its failure: 409 naming the state the
  cycle is locked in (``locked``, the service's words), or 404 once the cycle is gone.
- :func:`read` / :func:`read_many` / :func:`record_of`: a cycle typed without deciding access
  (the jobs, the program's previous cycle); :func:`save`: a cycle written back at its version
  and in some states; :func:`read_guard` / :func:`point_guard`: the program's current cycle.
- :func:`transition_cycle`: one state change, with its audit entry and its event, and the
  review queue's entries kept in line (``shared/store/review_queue.py``), uncommitted.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared import keys
from shared.access import relations_to_program
from shared.adapters.table import Condition, ConditionFailed, OpKind, Table, UnitOfWork
from shared.context import Context
from shared.domain.cycle_states import Action, CycleState, sources, transition
from shared.domain.instrument import Instrument
from shared.errors import IllegalTransition, NotFound
from shared.events import Envelope, EventData, new_event
from shared.store import review_queue
from shared.store.audit import audit_entry
from shared.store.programs import ProgramRecord

Record = dict[str, Any]


# =========================================================================== the record
@dataclass(frozen=True)
class CycleRecord:
    """A stored cycle, typed. ``item`` is the record as read: a transition writes it back with
    its changes, so fields a service does not know about are kept."""

    cycle_id: str
    program_id: str
    affiliate_ids: tuple[str, ...]
    state: CycleState
    instrument_key: str
    instrument_version: int
    version: int
    opened_at: str | None
    previous_cycle_id: str | None
    due_date: date | None
    submitted_at: str | None
    review_date: date | None
    plan_finalized_at: str | None
    plan_finalized_by: str | None
    item: Record = field(repr=False, compare=False)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> CycleRecord:
        return cls(
            cycle_id=str(item["cycle_id"]),
            program_id=str(item["program_id"]),
            affiliate_ids=tuple(item["affiliate_ids"]),
            state=CycleState(item["state"]),
            instrument_key=str(item["instrument_key"]),
            instrument_version=int(item["instrument_version"]),
            version=int(item.get("version", 0)),
            opened_at=item.get("opened_at"),
            previous_cycle_id=item.get("previous_cycle_id"),
            due_date=_date(item.get("due_date")),
            submitted_at=item.get("submitted_at"),
            review_date=_date(item.get("review_date")),
            plan_finalized_at=item.get("plan_finalized_at"),
            plan_finalized_by=item.get("plan_finalized_by"),
            item=dict(item),
        )


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def new_cycle_id() -> str:
    return f"cyc_{uuid.uuid4().hex[:20]}"


def cycle_item(
    *,
    cycle_id: str,
    program: ProgramRecord,
    instrument: Instrument,
    opened_at: str,
    opened_by: str,
    due_date: date,
    readiness: Mapping[str, Any],
    previous_cycle_id: str | None,
) -> Record:
    """A new cycle (state open), in the program's cycle index."""
    return {
        **keys.cycle(cycle_id),
        "type": "cycle",
        "cycle_id": cycle_id,
        "program_id": program.program_id,
        "program_name": program.name,  # shown in the review queue; renames rewrite it
        # Copied so that acting on the cycle authorizes without reading the program: a
        # program's affiliations are fixed at enrollment (functions/directory), so the copy
        # stays right (tests/unit/test_program_affiliations.py guards that).
        "affiliate_ids": list(program.affiliate_ids),
        "state": CycleState.OPEN.value,
        "instrument_key": instrument.key,
        "instrument_version": instrument.version,
        "opened_at": opened_at,
        "opened_by": opened_by,
        "due_date": due_date.isoformat(),
        "readiness": dict(readiness),
        "previous_cycle_id": previous_cycle_id,
        "gsi1pk": keys.cycles_of_program_index_pk(program.program_id),
        "gsi1sk": f"{opened_at}#{cycle_id}",
    }


def guard_item(program_id: str, cycle_id: str) -> Record:
    """The program's current cycle: one record, written in the transaction that opens one."""
    return {
        **keys.current_cycle_guard(program_id),
        "type": "guard",
        "program_id": program_id,
        "current_cycle_id": cycle_id,
    }


@dataclass(frozen=True)
class CurrentCycleGuard:
    """The program's current-cycle record, typed: which cycle is current, at which version."""

    program_id: str
    current_cycle_id: str
    version: int
    created_at: str | None

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> CurrentCycleGuard:
        return cls(
            program_id=str(item["program_id"]),
            current_cycle_id=str(item["current_cycle_id"]),
            version=int(item.get("version", 0)),
            created_at=item.get("created_at"),
        )


def read_guard(
    table: Table, program_id: str, *, consistent: bool = True
) -> CurrentCycleGuard | None:
    """The program's current-cycle record, if it has one."""
    item = table.get(keys.current_cycle_guard(program_id), consistent=consistent)
    return CurrentCycleGuard.from_item(item) if item is not None else None


def point_guard(
    uow: UnitOfWork, program_id: str, guard: CurrentCycleGuard | None, cycle_id: str | None
) -> None:
    """Make ``cycle_id`` the program's current cycle (None: no current cycle), over ``guard``
    as read (None: the program had none, so two concurrent first cycles cannot both open)."""
    if guard is None:
        if cycle_id is not None:
            uow.create(guard_item(program_id, cycle_id), what="Current cycle")
        return
    if cycle_id is None:
        uow.delete(
            keys.current_cycle_guard(program_id),
            expected_version=guard.version,
            what="Current cycle",
        )
        return
    uow.replace(
        {**guard_item(program_id, cycle_id), "created_at": guard.created_at},
        expected_version=guard.version,
        what="Current cycle",
    )


def guard_taken(failed: ConditionFailed, program_id: str) -> bool:
    """Whether ``failed`` is the program's current-cycle record, changed meanwhile."""
    return failed.on(keys.current_cycle_guard(program_id))


# =========================================================================== state guards
def state_condition(states: Iterable[CycleState]) -> Condition:
    """A condition that the stored cycle is in one of ``states``, built from the state set
    (``ANSWERABLE``, the sources of an action), so no write spells the states out again."""
    chosen = sorted(CycleState(s).value for s in states)
    if not chosen:
        raise ValueError("a state condition needs at least one state")
    values = {f":state_{value}": value for value in chosen}
    return Condition(f"#state IN ({', '.join(values)})", {"#state": "state"}, values)


def locked(state: CycleState, reason: str) -> IllegalTransition:
    """The 409 for a cycle in ``state`` that the action does not apply to; ``reason`` is the
    service's sentence, ``{state}`` standing for the state."""
    return IllegalTransition(reason.format(state=state.value), current_state=state.value)


def guard_state(uow: UnitOfWork, cycle_id: str, states: Iterable[CycleState]) -> None:
    """``uow`` commits only while the cycle is in one of ``states`` (checked, not written);
    :func:`commit` turns a failure into the 409 naming the state, or a 404."""
    uow.check(keys.cycle(cycle_id), state_condition(states), what="Cycle")


def state_refused(failed: ConditionFailed, cycle_id: str) -> bool:
    """Whether ``failed`` is the :func:`guard_state` of cycle ``cycle_id``."""
    return failed.op.kind is OpKind.CHECK and failed.on(keys.cycle(cycle_id))


def commit(uow: UnitOfWork, cycle_id: str, *, reason: str) -> None:
    """Commit ``uow``. A :func:`guard_state` of cycle ``cycle_id`` that failed is
    :func:`locked` with ``reason`` (or 404 "Cycle not found." when the cycle is gone); any
    other failure propagates."""
    try:
        uow.commit()
    except ConditionFailed as failed:
        if state_refused(failed, cycle_id):
            if failed.stored is None:
                raise NotFound("Cycle not found.") from failed
            raise locked(CycleState(failed.stored["state"]), reason) from failed
        raise


# =========================================================================== known cycles
@dataclass(frozen=True)
class KnownCycle:
    """What never changes once a cycle is opened: its program, the program's affiliations and
    its instrument version. Kept per process, so a hot write reads no cycle nor program; what
    changes (the state, a record's version) is checked in the write's transaction."""

    program_id: str
    affiliate_ids: tuple[str, ...]
    instrument_key: str
    instrument_version: int


#: Bounded: a few hundred bytes each; an evicted cycle is read again.
KNOWN_CYCLES_MAX = 4096
_known_cycles: OrderedDict[str, KnownCycle] = OrderedDict()


def forget_known_cycles() -> None:
    """Drop the per-process cycle facts (tests start from an empty table)."""
    _known_cycles.clear()


def _remember(cycle: CycleRecord) -> KnownCycle:
    facts = KnownCycle(
        cycle.program_id, cycle.affiliate_ids, cycle.instrument_key, cycle.instrument_version
    )
    _known_cycles[cycle.cycle_id] = facts
    _known_cycles.move_to_end(cycle.cycle_id)
    while len(_known_cycles) > KNOWN_CYCLES_MAX:
        _known_cycles.popitem(last=False)
    return facts


def known_cycle(ctx: Context, table: Table, cycle_id: str) -> tuple[KnownCycle, CycleState | None]:
    """The cycle's facts if the caller may perform this operation on it (else 403/404), and its
    state if it had to be read. ``None``: known to this process and not read, so the caller
    checks the state in its transaction (:func:`guard_state`), as it would after a read."""
    facts = _known_cycles.get(cycle_id)
    if facts is None:
        cycle = authorized_cycle(ctx, table, cycle_id)
        return _remember(cycle), cycle.state
    _authorize_facts(ctx, facts.program_id, facts.affiliate_ids)
    return facts, None


# =========================================================================== loading
def record_of(item: Mapping[str, Any]) -> CycleRecord:
    """A cycle item read without deciding access (a job's, or a second cycle of a program
    already authorized), typed."""
    return CycleRecord.from_item(item)


def read(table: Table, cycle_id: str, *, consistent: bool = True) -> CycleRecord | None:
    """The cycle, unauthorized: for the jobs that act on every cycle (reminders), the
    program's previous cycle, or its current one (a badge's status)."""
    item = table.get(keys.cycle(cycle_id), consistent=consistent)
    return record_of(item) if item is not None else None


def read_many(table: Table, cycle_ids: Iterable[str]) -> dict[str, CycleRecord]:
    """The cycles found among ``cycle_ids``, by id, in one consistent batch (unauthorized)."""
    found = table.batch_get([keys.cycle(c) for c in cycle_ids])
    return {str(i["cycle_id"]): record_of(i) for i in found}


def authorized_cycle(ctx: Context, table: Table, cycle_id: str) -> CycleRecord:
    """The cycle if the caller may perform this operation on it; else 403 or 404."""
    return authorize(ctx, table.get(keys.cycle(cycle_id)))


def authorize(ctx: Context, item: Record | None) -> CycleRecord:
    """The decision of :func:`authorized_cycle` for a cycle item already read (say with its
    partition), or ``None`` when there is none (the same 404 as not-yours)."""
    if item is None:
        ctx.authorize(relations_to_program(ctx.caller, "", ()), what="Cycle", exists=False)
        raise NotFound("Cycle not found.")
    # The program's affiliations, copied at openCycle: no program read.
    cycle = CycleRecord.from_item(item)
    _authorize_facts(ctx, cycle.program_id, cycle.affiliate_ids)
    _remember(cycle)
    return cycle


def _authorize_facts(ctx: Context, program_id: str, affiliate_ids: tuple[str, ...]) -> None:
    """The decision ``authorized_program`` makes, from the cycle's copy of the program."""
    ctx.authorize(relations_to_program(ctx.caller, program_id, affiliate_ids), what="Cycle")


# =========================================================================== changes
def cycle_event(
    ctx: Context, program_id: str, affiliate_ids: Iterable[str], cycle_id: str, data: EventData
) -> Envelope:
    """An event about a cycle, addressed to its program and the affiliates serving it."""
    return new_event(
        data,
        actor=ctx.actor,
        correlation_id=ctx.correlation_id,
        affiliate_ids=list(affiliate_ids),
        program_id=program_id,
        cycle_id=cycle_id,
    )


def audit_change(ctx: Context, uow: UnitOfWork, program_id: str, target: str) -> None:
    """A change of a program's confidential data, audited in the change's transaction."""
    uow.append(audit_entry(ctx, "change", scope="program", scope_id=program_id, target=target))


def audit_read(ctx: Context, table: Table, program_id: str, target: str) -> None:
    """A read of a program's confidential data, audited before anything is returned."""
    table.append(audit_entry(ctx, "read", scope="program", scope_id=program_id, target=target))


def save(
    uow: UnitOfWork,
    cycle: CycleRecord,
    fields: Mapping[str, Any],
    *,
    states: Iterable[CycleState],
    what: str = "Cycle",
) -> Record:
    """``cycle`` written back with ``fields`` if it is still at the version read and in one of
    ``states``; else the commit raises a stale version on its key (see :func:`stale`)."""
    return uow.replace(
        {**cycle.item, **fields},
        expected_version=cycle.version,
        what=what,
        condition=state_condition(states),
    )


def transition_cycle(
    ctx: Context,
    table: Table,
    cycle: CycleRecord,
    action: Action,
    fields: Record,
    event: EventData,
) -> tuple[UnitOfWork, Record]:
    """One state change of a cycle, uncommitted: the cycle at the version read (and in a state
    the action leaves), its audit entry and its event; the caller may add writes, then commits.
    A refused action is a 409 naming the current state; a stale cycle makes the commit raise
    :class:`~shared.adapters.table.StaleVersion` on the cycle's key (see :func:`stale`)."""
    target = transition(cycle.state, action)
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    updated = save(uow, cycle, {**fields, "state": target.value}, states=sources(action))
    audit_change(ctx, uow, cycle.program_id, f"cycle:{cycle.cycle_id}")
    uow.emit(cycle_event(ctx, cycle.program_id, cycle.affiliate_ids, cycle.cycle_id, event))
    review_queue.keep_in_line(uow, cycle.state, updated, cycle.affiliate_ids)
    return uow, updated


def stale(failed: ConditionFailed, cycle_id: str) -> Record | None:
    """The cycle as stored, if ``failed`` is the versioned write of cycle ``cycle_id`` that
    found it changed (a transition's write, say); else None."""
    if failed.op.kind is OpKind.REPLACE and failed.on(keys.cycle(cycle_id)):
        return failed.stored
    return None
