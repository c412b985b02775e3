"""Small-cell suppression for aggregates: no shown figure, and no figure derived from shown ones,
covers fewer than :data:`MIN_PROGRAMS` programs. Pure.

An aggregate is a grid of groups with margins: rows (affiliates, and the country as the total
row), columns (fixed periods, and every period together as the total column). A group of fewer
than five programs is withheld (*primary* suppression). Withholding one figure of a line (a row
or a column, with its total) is not enough: the total minus the shown figures gives it back. So
each line ends with no unknown, or with at least two unknowns (withheld figures, its total among
them when withheld) whose withheld groups cover five programs or more together (*complementary*
suppression: the smallest other group of the line is withheld too, then the next). Settling one
line can unsettle another, so the lines are settled again until none changes; withholding only
grows, so it ends.

The decision is made once over the whole grid, and every request shows its part of the same
decision: the country's figure for a period and an affiliate's own figure agree on what is
withheld, so subtracting one answer from another recovers nothing either. Periods are fixed
(calendar years), never a date range a caller chooses, for the same reason.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence, Set
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

MIN_PROGRAMS: Final = 5
#: The margin's key: ``(row, ALL)`` is a row's total, ``(ALL, column)`` a column's,
#: ``(ALL, ALL)`` the grid's.
ALL: Final = "*"

Cell = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class Line:
    """A total and the groups it is counted over (a row or a column of the grid)."""

    total: Cell
    parts: tuple[Cell, ...]


def grid_lines(rows: Sequence[Hashable], columns: Sequence[Hashable]) -> list[Line]:
    """Every line of a grid with margins: each row and the total row over the columns, each
    column and the total column over the rows."""
    lines = [Line((row, ALL), tuple((row, c) for c in columns)) for row in (*rows, ALL)]
    lines += [Line((ALL, column), tuple((r, column) for r in rows)) for column in (*columns, ALL)]
    return lines


def withheld(programs: Mapping[Cell, int], lines: Sequence[Line]) -> frozenset[Cell]:
    """The cells to withhold, given the number of programs each covers (a cell not given
    covers none). Deterministic: the same counts give the same answer, whoever asks."""
    hidden = {cell for cell, count in programs.items() if 0 < count < MIN_PROGRAMS}
    while True:
        _settle_lines(hidden, programs, lines)
        exposed = [c for c in recoverable(lines, hidden) if programs.get(c, 0) < MIN_PROGRAMS]
        if not exposed:
            return frozenset(hidden)
        # Two lines chained through withheld figures can pin one down (a row's total, then a
        # column's): withhold one more figure beside it and settle again.
        complement = _chain_breaker(exposed[0], hidden, programs, lines)
        if complement is None:
            return frozenset(programs)
        hidden.add(complement)


def _settle_lines(hidden: set[Cell], programs: Mapping[Cell, int], lines: Sequence[Line]) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            while not _settled(line, hidden, programs):
                complement = _next_complement(line, hidden, programs)
                if complement is None:
                    hidden.update((line.total, *line.parts))
                    break
                hidden.add(complement)
                changed = True


def recoverable(lines: Sequence[Line], hidden: Set[Cell]) -> list[Cell]:
    """The withheld figures that the shown ones determine: those whose unit vector lies in the
    span of the lines' equations (a total minus its parts is zero) over the unknowns."""
    unknowns = sorted(hidden, key=repr)
    index = {cell: i for i, cell in enumerate(unknowns)}
    equations: list[list[Fraction]] = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for cell, sign in ((line.total, 1), *((part, -1) for part in line.parts)):
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            equations.append(row)
    basis = _reduced(equations, len(unknowns))
    return [cell for cell, i in index.items() if _in_span(basis, i)]


def _reduced(rows: list[list[Fraction]], width: int) -> list[tuple[int, list[Fraction]]]:
    """Reduced row echelon form: (pivot column, row) pairs."""
    basis: list[tuple[int, list[Fraction]]] = []
    pending = [list(r) for r in rows]
    for column in range(width):
        pivot = next((r for r in pending if r[column] != 0), None)
        if pivot is None:
            continue
        pending.remove(pivot)
        pivot = [value / pivot[column] for value in pivot]
        pending = [_minus(r, pivot, r[column]) for r in pending]
        basis = [(c, _minus(r, pivot, r[column])) for c, r in basis]
        basis.append((column, pivot))
    return basis


def _minus(row: list[Fraction], pivot: list[Fraction], factor: Fraction) -> list[Fraction]:
    if not factor:
        return row
    return [a - factor * b for a, b in zip(row, pivot, strict=True)]


def _in_span(basis: list[tuple[int, list[Fraction]]], column: int) -> bool:
    """Whether the unit vector of ``column`` is a combination of the reduced rows: the row with
    that pivot must be that unit vector."""
    for pivot, row in basis:
        if pivot == column:
            return all(not value for i, value in enumerate(row) if i != column)
    return False


def _chain_breaker(
    cell: Cell, hidden: set[Cell], programs: Mapping[Cell, int], lines: Sequence[Line]
) -> Cell | None:
    """The smallest shown figure on a line through ``cell`` or through a withheld figure."""
    near = [line for line in lines if cell in (line.total, *line.parts)]
    far = [line for line in lines if hidden & {line.total, *line.parts}]
    for group in (near, far, lines):
        shown = {
            c
            for line in group
            for c in (line.total, *line.parts)
            if c not in hidden and programs.get(c, 0) > 0
        }
        if shown:
            return min(shown, key=lambda c: (programs[c], repr(c)))
    return None


def _settled(line: Line, hidden: set[Cell], programs: Mapping[Cell, int]) -> bool:
    parts = [cell for cell in line.parts if cell in hidden and programs.get(cell, 0) > 0]
    unknowns = len(parts) + (line.total in hidden)
    if unknowns == 0:
        return True
    if line.total in hidden:
        # The total is unknown: the withheld parts add up to an unknown, unless the total is the
        # only unknown (then the shown parts add up to it).
        return unknowns >= 2
    return unknowns >= 2 and sum(programs.get(cell, 0) for cell in parts) >= MIN_PROGRAMS


def _next_complement(line: Line, hidden: set[Cell], programs: Mapping[Cell, int]) -> Cell | None:
    """The smallest shown group of the line (ties by position), or its total when none is left."""
    shown = [cell for cell in line.parts if cell not in hidden and programs.get(cell, 0) > 0]
    if shown:
        return min(shown, key=lambda cell: (programs[cell], repr(cell)))
    if line.total not in hidden:
        return line.total
    return None
