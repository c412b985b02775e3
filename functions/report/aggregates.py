"""Aggregates over submitted cycles, as pure code: what a cycle contributes, the counters its
contribution moves, and what a reader is shown once small groups are withheld.

A cycle counts while it is submitted and not archived (submitted, in review, reviewed, plan
finalized, or historical once a newer cycle superseded it); open, returned and archived cycles
count nowhere. Its **contribution** is its answers, the calendar year of its submission and
its program's affiliates. Each contribution lands in the cells ``(scope, period)`` for scope =
the country and each affiliate serving the program, and period = its year and every year
together (:data:`ALL_YEARS`). A counter record per cell and instrument part holds, per item,
the number of answers ``yes``/``no``/``n/a`` and of each rating 1..5, and how many cycles were
counted (``cycles``); every change is a delta added to those counters (DynamoDB ``ADD``), so
a return and resubmission subtracts the old contribution and adds the new one, and reading a
cell costs the same whatever the number of programs.

Groups are counted in **programs**: a program with two counted cycles in a cell (every year
together) counts once there. Suppression (:mod:`functions.report.suppression`) is decided over
the whole grid of program counts (rows: affiliates, with the country as their total; columns:
years, with every year as their total), and a withheld cell shows no figure at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from functions.report import suppression
from shared.domain.answers import NA, NO, YES
from shared.domain.cycle_states import CycleState
from shared.domain.instrument import Instrument, Item

#: The scope of the whole country (every affiliate's programs, each counted once).
COUNTRY: Final = "country"
#: The period of every year together.
ALL_YEARS: Final = "all"
#: Cycle states whose answers are counted.
COUNTED: Final = frozenset(
    {
        CycleState.SUBMITTED,
        CycleState.IN_REVIEW,
        CycleState.REVIEW_COMPLETED,
        CycleState.PLAN_FINALIZED,
        CycleState.HISTORICAL,
    }
)
ANSWER_COUNTERS: Final = {YES: "yes", NO: "no", NA: "na"}
RATINGS: Final = range(1, 6)
#: The counter of cycles counted in a cell (per part record).
CYCLES: Final = "cycles"
WITHHELD_REASON: Final = (
    f"Withheld: fewer than {suppression.MIN_PROGRAMS} programs, or withheld with such a group "
    "so that it cannot be worked out from the totals."
)

#: A cell of the grid: (scope, period).
GridCell = tuple[str, str]
#: A counter record: (scope, period, instrument part).
CounterRecord = tuple[str, str, str]


@dataclass(frozen=True)
class Contribution:
    """What one counted cycle adds to the aggregates."""

    cycle_id: str
    program_id: str
    instrument_key: str
    instrument_version: int
    year: str
    affiliate_ids: tuple[str, ...]
    #: (item key, in practice, rating), sorted by item key.
    answers: tuple[tuple[str, str, int | None], ...]

    @property
    def cells(self) -> list[GridCell]:
        return [
            (scope, period)
            for scope in (COUNTRY, *self.affiliate_ids)
            for period in (self.year, ALL_YEARS)
        ]

    def to_record(self) -> dict[str, Any]:
        return {
            "cycle_id": self.cycle_id,
            "program_id": self.program_id,
            "instrument_key": self.instrument_key,
            "instrument_version": self.instrument_version,
            "year": self.year,
            # the affiliates it is counted under (as when it was counted: a snapshot)
            "counted_under": list(self.affiliate_ids),
            "answers": [
                {"item_key": key, "in_practice": in_practice, "rating": rating}
                for key, in_practice, rating in self.answers
            ],
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Contribution:
        return cls(
            cycle_id=str(record["cycle_id"]),
            program_id=str(record["program_id"]),
            instrument_key=str(record["instrument_key"]),
            instrument_version=int(record["instrument_version"]),
            year=str(record["year"]),
            affiliate_ids=tuple(record["counted_under"]),
            answers=tuple(
                (
                    str(a["item_key"]),
                    str(a["in_practice"]),
                    None if a.get("rating") is None else int(a["rating"]),
                )
                for a in record["answers"]
            ),
        )


def contribution_of(
    *,
    cycle_id: str,
    program_id: str,
    state: str,
    submitted_at: str | None,
    instrument_key: str,
    instrument_version: int,
    affiliate_ids: Iterable[str],
    answers: Mapping[str, tuple[str, int | None]],
) -> Contribution | None:
    """The cycle's contribution as it stands now; None when the cycle counts nowhere."""
    if CycleState(state) not in COUNTED or not submitted_at:
        return None
    return Contribution(
        cycle_id=cycle_id,
        program_id=program_id,
        instrument_key=instrument_key,
        instrument_version=instrument_version,
        year=submitted_at[:4],
        affiliate_ids=tuple(sorted(set(affiliate_ids))),
        answers=tuple(
            (key, in_practice, rating if in_practice == YES else None)
            for key, (in_practice, rating) in sorted(answers.items())
            if in_practice in ANSWER_COUNTERS
        ),
    )


def answer_counter(item_key: str, in_practice: str) -> str:
    return f"{item_key}#{ANSWER_COUNTERS[in_practice]}"


def rating_counter(item_key: str, rating: int) -> str:
    return f"{item_key}#r{rating}"


def _counters_by_part(
    contribution: Contribution, instrument: Instrument
) -> dict[str, Counter[str]]:
    by_part: dict[str, Counter[str]] = {part.id: Counter({CYCLES: 1}) for part in instrument.parts}
    for key, in_practice, rating in contribution.answers:
        item = instrument.item_by_key(key)
        if item is None:  # an answer to an item the version does not have: not counted
            continue
        counters = by_part[item.part]
        counters[answer_counter(key, in_practice)] += 1
        if rating is not None and rating in RATINGS:
            counters[rating_counter(key, rating)] += 1
    return by_part


def counter_deltas(
    old: Contribution | None, new: Contribution | None, instrument: Instrument
) -> dict[CounterRecord, dict[str, int]]:
    """What replacing ``old`` by ``new`` adds to each counter record (zeros left out): the old
    contribution subtracted, the new one added, in one set of deltas."""
    deltas: dict[CounterRecord, Counter[str]] = defaultdict(Counter)
    for contribution, sign in ((old, -1), (new, 1)):
        if contribution is None:
            continue
        parts = _counters_by_part(contribution, instrument)
        for scope, period in contribution.cells:
            for part, counters in parts.items():
                for name, count in counters.items():
                    deltas[(scope, period, part)][name] += sign * count
    return {
        record: {name: delta for name, delta in counters.items() if delta}
        for record, counters in deltas.items()
        if any(counters.values())
    }


def cycle_count_changes(old: Contribution | None, new: Contribution | None) -> dict[GridCell, int]:
    """How many of the program's cycles each cell gains (+) or loses (-)."""
    changes: Counter[GridCell] = Counter()
    for contribution, sign in ((old, -1), (new, 1)):
        if contribution is not None:
            for cell in contribution.cells:
                changes[cell] += sign
    return {cell: change for cell, change in changes.items() if change}


def program_count_changes(
    held: Mapping[GridCell, int], changes: Mapping[GridCell, int]
) -> dict[GridCell, int]:
    """The grid's program counts that move when a program's cycles per cell go from ``held``
    to ``held + changes``: +1 where it had none and now has some, -1 the other way."""
    moves: dict[GridCell, int] = {}
    for cell, change in changes.items():
        before = held.get(cell, 0)
        after = before + change
        if after < 0:
            raise ValueError(f"cell {cell} would count {after} cycles of one program")
        if (before == 0) != (after == 0):
            moves[cell] = 1 if after else -1
    return moves


# =========================================================================== reading
def grid_cell_name(cell: GridCell) -> str:
    """The attribute of the grid record that counts a cell's programs."""
    return f"{cell[0]}|{cell[1]}"


def parse_grid(record: Mapping[str, Any]) -> dict[GridCell, int]:
    """The program counts of a grid record's attributes (``scope|period``)."""
    grid: dict[GridCell, int] = {}
    for name, value in record.items():
        if "|" in name and isinstance(value, int) and value > 0:
            scope, period = name.split("|", 1)
            grid[(scope, period)] = value
    return grid


def withheld_cells(grid: Mapping[GridCell, int]) -> frozenset[GridCell]:
    """Every cell of the grid to withhold, decided once over the whole grid: the same grid
    gives the same answer to every reader of any of its cells."""
    rows = sorted({scope for scope, _ in grid if scope != COUNTRY})
    columns = sorted({period for _, period in grid if period != ALL_YEARS})
    to_margin = {COUNTRY: suppression.ALL, ALL_YEARS: suppression.ALL}
    programs: dict[suppression.Cell, int] = {
        (to_margin.get(scope, scope), to_margin.get(period, period)): count
        for (scope, period), count in grid.items()
    }
    hidden = suppression.withheld(programs, suppression.grid_lines(rows, columns))
    return frozenset(
        (
            COUNTRY if scope == suppression.ALL else str(scope),
            ALL_YEARS if period == suppression.ALL else str(period),
        )
        for scope, period in hidden
    )


@dataclass(frozen=True)
class ItemFigures:
    key: str
    code: str
    in_practice: dict[str, int]  # yes, no, na
    ratings: dict[str, int]  # "1".."5"


@dataclass(frozen=True)
class SectionFigures:
    letter: str
    title: str
    #: yes over yes and no, across the section's items and the cell's cycles.
    share_in_place: float | None
    #: over every rating given in the section.
    average_rating: float | None
    items: tuple[ItemFigures, ...]


@dataclass(frozen=True)
class Aggregate:
    instrument_key: str
    instrument_version: int
    scope: str
    period: str
    withheld: bool
    reason: str | None
    programs: int | None
    cycles: int | None
    sections: tuple[SectionFigures, ...]


def aggregate(
    instrument: Instrument,
    scope: str,
    period: str,
    grid: Mapping[GridCell, int],
    counters: Mapping[str, int],
    hidden: frozenset[GridCell] | None = None,
) -> Aggregate:
    """A cell's aggregate as a reader sees it: its figures, or none with the reason."""
    cell = (scope, period)
    hidden = withheld_cells(grid) if hidden is None else hidden
    withheld = cell in hidden
    return Aggregate(
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        scope=scope,
        period=period,
        withheld=withheld,
        reason=WITHHELD_REASON if withheld else None,
        programs=None if withheld else grid.get(cell, 0),
        cycles=None if withheld else int(counters.get(CYCLES, 0)),
        sections=()
        if withheld
        else tuple(
            _section(instrument, section.letter, section.title, counters)
            for section in instrument.sections
        ),
    )


def _section(
    instrument: Instrument, letter: str, title: str, counters: Mapping[str, int]
) -> SectionFigures:
    items = tuple(_item(item, counters) for item in instrument.items_in_section(letter))
    yes = sum(i.in_practice["yes"] for i in items)
    no = sum(i.in_practice["no"] for i in items)
    rated = sum(sum(i.ratings.values()) for i in items)
    total = sum(int(r) * n for i in items for r, n in i.ratings.items())
    return SectionFigures(
        letter=letter,
        title=title,
        share_in_place=round(yes / (yes + no), 4) if yes + no else None,
        average_rating=round(total / rated, 2) if rated else None,
        items=items,
    )


def _item(item: Item, counters: Mapping[str, int]) -> ItemFigures:
    return ItemFigures(
        key=item.key,
        code=item.code,
        in_practice={
            name: int(counters.get(f"{item.key}#{name}", 0)) for name in ANSWER_COUNTERS.values()
        },
        ratings={str(r): int(counters.get(rating_counter(item.key, r), 0)) for r in RATINGS},
    )


def merge_counters(records: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """One cell's counters from its part records (``cycles`` is the same in each)."""
    merged: dict[str, int] = {}
    for record in records:
        for name, value in record.items():
            if isinstance(value, int) and "#" in name:
                merged[name] = merged.get(name, 0) + value
        if isinstance(record.get(CYCLES), int):
            merged[CYCLES] = max(merged.get(CYCLES, 0), int(record[CYCLES]))
    return merged
