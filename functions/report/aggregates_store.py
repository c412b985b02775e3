"""The aggregates on the single table: a cycle's contribution brought in line with the cycle
(the consumer's effect), and a cell read back (the routes).

Keeping them (:func:`refresh_contribution`): the cycle and, when it counts, its answers are
read; the stored contribution is replaced by the new one in ONE transaction with every counter
it moves (``ADD`` of the deltas: the old contribution subtracted, the new one added), the
program's cycles per cell and the grid's program counts, the contribution record written at the
version read. Two refreshes of one cycle cannot both commit from the same version, so a cycle
is never counted twice; the counters themselves need no condition. The cycle's state decides,
not the event: events arriving twice or out of order leave the same counters.

Reading (:func:`read_cell`): the grid (one item) and the cell's part records (one query):
two requests, whatever the number of programs.
"""

from __future__ import annotations

from dataclasses import dataclass

from functions.report.aggregates import (
    Contribution,
    GridCell,
    contribution_of,
    counter_deltas,
    cycle_count_changes,
    grid_cell_name,
    merge_counters,
    parse_grid,
    program_count_changes,
)
from shared import keys
from shared.adapters.table import MAX_TRANSACTION_ITEMS, Table, UnitOfWork
from shared.store.instrument_versions import get_version

CONSUMER = "report-aggregates"


def read_contribution(table: Table, cycle_id: str) -> tuple[Contribution | None, int]:
    """The contribution the counters hold for the cycle, and its record's version (0: none)."""
    item = table.get(keys.contribution(cycle_id))
    if item is None:
        return None, 0
    held = item.get("contribution")
    return (Contribution.from_record(held) if held else None), int(item["version"])


def current_contribution(table: Table, cycle_id: str) -> Contribution | None:
    """What the cycle contributes as it stands (None: it counts nowhere, or is gone)."""
    cycle = table.get(keys.cycle(cycle_id))
    if cycle is None:
        return None
    answers: dict[str, tuple[str, int | None]] = {}
    if cycle.get("submitted_at"):
        for item in table.query_all(keys.cycle_partition(cycle_id), sk_prefix=keys.ANSWER_PREFIX):
            rating = item.get("rating")
            answers[str(item["item_key"])] = (
                str(item["in_practice"]),
                int(rating) if rating is not None else None,
            )
    return contribution_of(
        cycle_id=cycle_id,
        program_id=str(cycle["program_id"]),
        state=str(cycle["state"]),
        submitted_at=cycle.get("submitted_at"),
        instrument_key=str(cycle["instrument_key"]),
        instrument_version=int(cycle["instrument_version"]),
        affiliate_ids=cycle["affiliate_ids"],
        answers=answers,
    )


def refresh_contribution(table: Table, uow: UnitOfWork, cycle_id: str) -> bool:
    """Add to ``uow`` the writes that bring the counters in line with the cycle; False when
    they already are (nothing added)."""
    old, version = read_contribution(table, cycle_id)
    new = current_contribution(table, cycle_id)
    if old == new:
        return False
    basis = new if new is not None else old
    assert basis is not None  # old != new, so one of them is a contribution
    instrument = get_version(table, basis.instrument_version, basis.instrument_key)
    ikey, iversion = instrument.key, instrument.version

    for (scope, period, part), deltas in counter_deltas(old, new, instrument).items():
        uow.add_numbers(keys.aggregate_part(ikey, iversion, scope, period, part), deltas)

    changes = cycle_count_changes(old, new)
    cell_keys = {
        cell: keys.program_cell(basis.program_id, ikey, iversion, *cell) for cell in changes
    }
    stored = {(i["pk"], i["sk"]): i for i in table.batch_get(list(cell_keys.values()))}
    held: dict[GridCell, int] = {}
    versions: dict[GridCell, int] = {}
    for cell, key in cell_keys.items():
        item = stored.get((key["pk"], key["sk"]))
        held[cell] = int(item["cycles"]) if item else 0
        versions[cell] = int(item["version"]) if item else 0
    for cell, change in changes.items():
        uow.save_at_version(
            {**cell_keys[cell], "type": "program-cell", "cycles": held[cell] + change},
            expected_version=versions[cell],
            what="Program's cycles in an aggregate",
        )
    moves = program_count_changes(held, changes)
    uow.add_numbers(
        keys.aggregate_grid(ikey, iversion),
        {grid_cell_name(cell): move for cell, move in moves.items()},
    )
    uow.save_at_version(
        {
            **keys.contribution(cycle_id),
            "type": "contribution",
            "cycle_id": cycle_id,
            "contribution": new.to_record() if new is not None else None,
            # counted cycles of the version, for the research export (sparse index)
            "gsi1pk": None
            if new is None
            else keys.contributions_index_pk(new.instrument_key, new.instrument_version),
            "gsi1sk": None if new is None else cycle_id,
        },
        expected_version=version,
        what="Cycle's contribution to the aggregates",
    )
    if len(uow.ops) > MAX_TRANSACTION_ITEMS:
        raise ValueError(
            f"cycle {cycle_id}'s contribution moves {len(uow.ops)} records, more than one "
            "transaction holds"
        )
    return True


@dataclass(frozen=True)
class Cell:
    """A cell's counters as stored, and the grid they are withheld or shown by."""

    grid: dict[GridCell, int]
    counters: dict[str, int]


def read_grid(table: Table, instrument_key: str, version: int) -> dict[GridCell, int]:
    item = table.get(keys.aggregate_grid(instrument_key, version), consistent=False)
    return parse_grid(item or {})


def read_cell(table: Table, instrument_key: str, version: int, scope: str, period: str) -> Cell:
    """The grid and a cell's counters: one GetItem and one Query (a record per part)."""
    grid = read_grid(table, instrument_key, version)
    records = table.query(
        keys.aggregate_cell_partition(instrument_key, version, scope, period)
    ).items
    return Cell(grid=grid, counters=merge_counters(records))
