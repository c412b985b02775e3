"""The affiliates' review queue, kept in the transactions that change what it shows.

A cycle waiting for review (submitted, or in review) has one **entry** per queue it belongs
to: one for each affiliate serving its program (primary and secondary alike) and one national
(:data:`shared.keys.NATIONAL_QUEUE`, read by national staff with the results grant). An entry
is a small copy of what a queue row shows (program name, dates, state, reviewer) plus one
field per reviewed item (its status), so a queue page is one query of the sparse ``gsi1``
partition ``REVIEWS#<scope>``, oldest submission first: no Scan, no read per program.

Every write here joins a transaction that also writes the cycle (or checks its state) under
its version or state condition, so the entries never disagree with the cycle they copy:

- a transition into the queue (submit) writes the entries with the index keys;
- a transition within it (start review) or a review action (reviewer, item status) updates
  them;
- a transition out of it (return, complete, archive) removes the index keys: the entry drops
  out of every queue but keeps its item statuses for a resubmission.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared import keys
from shared.adapters.table import Condition, Table, UnitOfWork
from shared.domain.cycle_states import CycleState
from shared.store.pagination import Listed, PageRequest, list_page

#: The states a queue lists: submitted and waiting, or in review.
QUEUED: frozenset[CycleState] = frozenset({CycleState.SUBMITTED, CycleState.IN_REVIEW})
#: An entry's field holding one item's review status is this prefix and the item's key.
ITEM_STATUS_PREFIX = "item_status#"
_INDEX_FIELDS = ("gsi1pk", "gsi1sk")
#: The national queue's scope (every affiliate's submissions).
NATIONAL = keys.NATIONAL_QUEUE


def queue_scopes(affiliate_ids: Iterable[str]) -> list[str]:
    """The queues a cycle is listed in: each serving affiliate's, and the national one."""
    return [*sorted(set(affiliate_ids)), keys.NATIONAL_QUEUE]


def entry_fields(cycle: Mapping[str, Any], affiliate_ids: Iterable[str]) -> dict[str, Any]:
    """What a queue row shows of a cycle, from the cycle record as this transaction writes it."""
    return {
        "type": "review_queue_entry",
        "cycle_id": cycle["cycle_id"],
        "program_id": cycle["program_id"],
        # Copied into the cycle when it opens; a cycle opened before that shows the program id.
        "program_name": cycle.get("program_name") or cycle["program_id"],
        "affiliate_ids": sorted(affiliate_ids),
        "state": cycle["state"],
        "submitted_at": cycle.get("submitted_at"),
        "due_date": cycle.get("due_date"),
        "reviewer_id": cycle.get("reviewer_id"),
        "instrument_key": cycle["instrument_key"],
        "instrument_version": cycle["instrument_version"],
    }


def keep_in_line(
    uow: UnitOfWork, before: CycleState, cycle: Mapping[str, Any], affiliate_ids: Iterable[str]
) -> None:
    """Bring the cycle's entries in line with ``cycle`` (written by ``uow``), which was in state
    ``before`` and whose program the ``affiliate_ids`` serve. Nothing for a cycle that neither
    was nor is waiting for review."""
    after = CycleState(cycle["state"])
    cycle_id = str(cycle["cycle_id"])
    affiliate_ids = list(affiliate_ids)
    if after in QUEUED:
        fields = entry_fields(cycle, affiliate_ids)
        for scope in queue_scopes(affiliate_ids):
            uow.update_fields(
                keys.review_queue_entry(cycle_id, scope),
                set_values={
                    **fields,
                    "gsi1pk": keys.review_queue_index_pk(scope),
                    "gsi1sk": f"{cycle.get('submitted_at')}#{cycle_id}",
                },
            )
    elif before in QUEUED:
        for scope in queue_scopes(affiliate_ids):
            uow.update_fields(
                keys.review_queue_entry(cycle_id, scope),
                set_values={"state": after.value},
                remove=_INDEX_FIELDS,
            )


def record_item_status(
    uow: UnitOfWork, cycle_id: str, affiliate_ids: Iterable[str], item_key: str, status: str
) -> None:
    """One item's review status in each entry (the queue's progress counts them)."""
    for scope in queue_scopes(affiliate_ids):
        uow.update_fields(
            keys.review_queue_entry(cycle_id, scope),
            set_values={ITEM_STATUS_PREFIX + item_key: status},
        )


def item_statuses(entry: Mapping[str, Any]) -> dict[str, str]:
    """The item statuses an entry holds, by item key."""
    return {
        name.removeprefix(ITEM_STATUS_PREFIX): str(value)
        for name, value in entry.items()
        if name.startswith(ITEM_STATUS_PREFIX)
    }


def read_queue(
    table: Table, scope: str, page: PageRequest, *, cursor_scope: str, where: Condition | None
) -> Listed[dict[str, Any]]:
    """A page of the queue ``scope`` (an affiliate's id, or :data:`NATIONAL`): one query of its
    sparse index partition, filtered there by ``where``. ``cursor_scope`` names the list (and
    its filters) a cursor is valid for: a cursor of another list is a 400, before any read."""
    partition = keys.review_queue_index_pk(scope)
    return list_page(table, cursor_scope, partition, page, index=keys.GSI1, where=where)
