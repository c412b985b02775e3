"""The assessment's answers in the table: read with their cycle, written at the version read.

A cycle and its answers share one partition (``CYCLE#<id>``): the cycle record under sort key
``CYCLE``, each answer under ``ANSWER#<item key>``, so :func:`read_assessment` reads a whole
assessment with one query. An answer is read as a :class:`StoredAnswer`; a new one is built by
:func:`answer_item` and written at the version the caller read (:func:`save_answer`); a save
cancelled on it is found with :func:`answer_clash`, which carries the answer as stored now.

The cycle use cases (open, list, read, return, archive) read cycles through the :class:`Cycles`
protocol (the table's: :class:`TableCycles`, given by the handler): a program's cycles through
its index, newest first, and the affiliate's own number of weeks to the due date. The cycle
record itself (its builder, its typed form, its state guard) is shared by every service:
``shared/store/cycles.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from shared import keys
from shared.adapters.table import ConditionFailed, Table, UnitOfWork
from shared.context import Context
from shared.domain.instrument import Item
from shared.store import cycles
from shared.store.affiliates import read_affiliate
from shared.store.clashes import Clash, clash_on
from shared.store.cycles import CurrentCycleGuard, CycleRecord
from shared.store.pagination import Listed, PageRequest, list_page

WHAT = "Answer"
Record = dict[str, Any]


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as stored, typed. ``item`` is the record as read (the views show it)."""

    cycle_id: str
    item_key: str
    item_code: str
    in_practice: str
    rating: int | None
    notes: str | None
    saved_by: str
    saved_at: str
    version: int
    item: Record = field(repr=False, compare=False)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> StoredAnswer:
        rating = item.get("rating")
        return cls(
            cycle_id=str(item["cycle_id"]),
            item_key=str(item["item_key"]),
            item_code=str(item["item_code"]),
            in_practice=str(item["in_practice"]),
            rating=int(rating) if rating is not None else None,
            notes=item.get("notes"),
            saved_by=str(item["saved_by"]),
            saved_at=str(item["saved_at"]),
            version=int(item.get("version", 0)),
            item=dict(item),
        )


def answer_key(cycle_id: str, item_key: str) -> keys.Key:
    return keys.answer(cycle_id, item_key)


# =========================================================================== reads
def split_partition(
    items: Iterable[Record],
) -> tuple[Record | None, dict[str, StoredAnswer]]:
    """The cycle record and its answers by item key, from one query of the partition."""
    cycle: Record | None = None
    answers: dict[str, StoredAnswer] = {}
    for item in items:
        if item["sk"] == "CYCLE":
            cycle = item
        elif item["sk"].startswith(keys.ANSWER_PREFIX):
            answer = StoredAnswer.from_item(item)
            answers[answer.item_key] = answer
    return cycle, answers


def read_assessment(table: Table, cycle_id: str) -> tuple[Record | None, dict[str, StoredAnswer]]:
    """The cycle record (None if there is none) and all its answers, with one query."""
    return split_partition(table.query_all(keys.cycle_partition(cycle_id)))


class Answers(Protocol):
    """The assessments' answers as the use cases read and write them: what
    ``functions/assessment/logic.py`` depends on (the table's: :class:`TableAnswers`)."""

    def read_assessment(self, cycle_id: str) -> tuple[Record | None, dict[str, StoredAnswer]]:
        """The cycle record (None if there is none) and all its answers, by item key."""
        ...

    def save(self, uow: UnitOfWork, record: Record, *, expected_version: int) -> StoredAnswer:
        """``record`` written in ``uow`` if the stored answer is at ``expected_version``."""
        ...


class TableAnswers:
    """The answers in the single table: a cycle and its answers read with one query."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def read_assessment(self, cycle_id: str) -> tuple[Record | None, dict[str, StoredAnswer]]:
        return read_assessment(self._table, cycle_id)

    def save(self, uow: UnitOfWork, record: Record, *, expected_version: int) -> StoredAnswer:
        return save_answer(uow, record, expected_version=expected_version)


class Cycles(Protocol):
    """Cycles as the cycle use cases read them (the table's: :class:`TableCycles`)."""

    def authorized(self, ctx: Context, cycle_id: str) -> CycleRecord:
        """The cycle if the caller may perform this operation on it; else 403 or 404."""
        ...

    def read(self, cycle_id: str) -> CycleRecord | None:
        """The cycle, access not decided (the program's previous cycle)."""
        ...

    def current(self, program_id: str) -> CurrentCycleGuard | None:
        """The program's current-cycle record, if it has one."""
        ...

    def of_program(self, program_id: str, page: PageRequest) -> Listed[CycleRecord]:
        """A page of the program's cycles, newest first (400 for a cursor not of this list)."""
        ...

    def due_weeks(self, affiliate_id: str) -> int | None:
        """The affiliate's own number of weeks to complete an assessment, if it set one."""
        ...


class TableCycles:
    """The cycles in the single table: a program's cycles through ``gsi1`` by opening time."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def authorized(self, ctx: Context, cycle_id: str) -> CycleRecord:
        return cycles.authorized_cycle(ctx, self._table, cycle_id)

    def read(self, cycle_id: str) -> CycleRecord | None:
        return cycles.read(self._table, cycle_id)

    def current(self, program_id: str) -> CurrentCycleGuard | None:
        return cycles.read_guard(self._table, program_id)

    def of_program(self, program_id: str, page: PageRequest) -> Listed[CycleRecord]:
        scope = keys.cycles_of_program_index_pk(program_id)
        found = list_page(self._table, scope, scope, page, index=keys.GSI1, forward=False)
        return Listed([cycles.record_of(item) for item in found.items], found.next)

    def due_weeks(self, affiliate_id: str) -> int | None:
        affiliate = read_affiliate(self._table, affiliate_id)
        return affiliate.default_due_weeks if affiliate is not None else None


def as_stored(answers: Mapping[str, StoredAnswer]) -> dict[str, Record]:
    """The answers as the rules read them (``shared/domain/answers.py``), by item key."""
    return {key: answer.item for key, answer in answers.items()}


# =========================================================================== writes
def answer_item(
    *,
    cycle_id: str,
    item: Item,
    in_practice: str,
    rating: int | None,
    notes: str | None,
    saved_by: str,
    saved_at: str,
) -> Record:
    """A new answer to ``item`` (its version is set when it is saved)."""
    return {
        **answer_key(cycle_id, item.key),
        "type": "answer",
        "cycle_id": cycle_id,
        "item_key": item.key,
        "item_code": item.code,
        "in_practice": in_practice,
        "rating": rating,
        "notes": notes,
        "saved_by": saved_by,
        "saved_at": saved_at,
    }


def save_answer(uow: UnitOfWork, record: Record, *, expected_version: int) -> StoredAnswer:
    """``record`` written if the stored answer is at ``expected_version`` (0: none yet)."""
    return StoredAnswer.from_item(
        uow.save_at_version(record, expected_version=expected_version, what=WHAT)
    )


def answer_clash(
    failed: ConditionFailed, cycle_id: str, item_key: str
) -> Clash[StoredAnswer] | None:
    """The clash, if ``failed`` is the answer's own condition; else None."""
    return clash_on(failed, answer_key(cycle_id, item_key), StoredAnswer.from_item)


# =========================================================================== evidence
EVIDENCE = "Evidence document"


def evidence_key(program_id: str, document_id: str) -> keys.Key:
    """A document of the program's evidence library: in the program's partition."""
    return keys.evidence(program_id, document_id)


def get_document(table: Table, program_id: str, document_id: str) -> Record:
    """The document as stored (pending or available), or 404."""
    return table.require(evidence_key(program_id, document_id), EVIDENCE)


def documents_page(table: Table, program_id: str, page: PageRequest) -> Listed[Record]:
    """A page of the program's evidence records as stored (pending ones included), one
    consistent query of its partition; the cursor is checked (400) before anything is read."""
    partition = keys.evidence_partition(program_id)
    scope = f"{partition}#{keys.EVIDENCE_PREFIX}"
    return list_page(table, scope, partition, page, sk_prefix=keys.EVIDENCE_PREFIX, consistent=True)
