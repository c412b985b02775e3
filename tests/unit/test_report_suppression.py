"""Small-cell suppression: what a reader of several aggregates can and cannot work out.

The check that matters is the attacker's: every shown figure is an equation (a total is the sum
of its groups); a withheld group is recovered when those equations pin it to one value
(``recoverable`` solves them exactly, with fractions).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from functions.report.suppression import (
    ALL,
    MIN_PROGRAMS,
    Cell,
    Line,
    grid_lines,
    recoverable,
    withheld,
)


def additive_grid(
    cells: Mapping[tuple[Hashable, Hashable], int],
) -> tuple[dict[Cell, int], list[Line]]:
    """Counts with margins that are the sums of their groups (the case an attacker likes best)."""
    rows = sorted({r for r, _ in cells}, key=repr)
    columns = sorted({c for _, c in cells}, key=repr)
    counts: dict[Cell, int] = {(r, c): cells.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        counts[(r, ALL)] = sum(counts[(r, c)] for c in columns)
    for c in columns:
        counts[(ALL, c)] = sum(counts[(r, c)] for r in rows)
    counts[(ALL, ALL)] = sum(counts[(r, c)] for r in rows for c in columns)
    return counts, grid_lines(rows, columns)


def test_a_group_of_four_is_withheld_and_a_group_of_six_is_shown() -> None:
    four, lines = additive_grid({("affiliate", 2026): 4})
    assert withheld(four, lines) == set(four)  # every figure covers the same four programs
    six, lines = additive_grid({("affiliate", 2026): 6})
    assert withheld(six, lines) == frozenset()


def test_a_group_of_four_inside_an_affiliate_of_twelve_cannot_be_recovered() -> None:
    counts, lines = additive_grid(
        {
            ("A", 2025): 4,
            ("A", 2026): 8,
            ("B", 2025): 6,
            ("B", 2026): 7,
            ("C", 2025): 9,
            ("C", 2026): 10,
        }
    )
    hidden = withheld(counts, lines)
    assert ("A", 2025) in hidden
    assert ("A", ALL) not in hidden  # the affiliate's twelve programs are still shown
    # Subtracting the other year from the affiliate's total, or the other affiliates from the
    # year's total, leaves two unknowns every time.
    assert recoverable(lines, hidden) == []
    assert ("A", 2026) in hidden
    assert ("B", 2025) in hidden


def test_the_complement_is_the_smallest_other_group() -> None:
    counts, lines = additive_grid({("A", 2026): 3, ("B", 2026): 50, ("C", 2026): 7})
    hidden = withheld(counts, lines)
    assert {("A", 2026), ("C", 2026)} <= hidden
    assert ("B", 2026) not in hidden


def test_two_small_groups_are_complemented_until_they_cover_five_programs() -> None:
    # A and B withheld together cover 3 programs: their sum (total - C - D) would still describe
    # fewer than five programs, so a third group goes too.
    counts, lines = additive_grid({("A", 2026): 1, ("B", 2026): 2, ("C", 2026): 6, ("D", 2026): 9})
    hidden = withheld(counts, lines)
    assert {("A", 2026), ("B", 2026), ("C", 2026)} <= hidden
    assert ("D", 2026) not in hidden


def test_groups_of_no_program_are_shown_and_never_used_as_complements() -> None:
    counts, lines = additive_grid({("A", 2026): 4, ("B", 2026): 0, ("C", 2026): 5})
    hidden = withheld(counts, lines)
    assert ("B", 2026) not in hidden
    assert ("C", 2026) in hidden


def test_the_same_counts_give_the_same_decision_whoever_asks() -> None:
    cells = {("A", 2025): 4, ("A", 2026): 8, ("B", 2025): 6, ("B", 2026): 7}
    counts, lines = additive_grid(cells)
    assert withheld(counts, lines) == withheld(dict(reversed(counts.items())), lines[::-1])


cell_counts = st.dictionaries(
    st.tuples(st.sampled_from("ABCDE"), st.sampled_from([2024, 2025, 2026])),
    st.integers(min_value=0, max_value=14),
    min_size=1,
)


@settings(max_examples=300, deadline=None)
@given(cell_counts)
def test_no_withheld_figure_is_ever_recoverable_from_the_shown_ones(
    cells: dict[tuple[str, int], int],
) -> None:
    counts, lines = additive_grid(cells)
    hidden = withheld(counts, lines)
    primary = {cell for cell, count in counts.items() if 0 < count < MIN_PROGRAMS}
    assert primary <= hidden
    # A complement may be worked out again (it covers five programs or more: that is why it was
    # chosen); a group of fewer than five never is.
    assert all(counts[cell] >= MIN_PROGRAMS for cell in recoverable(lines, hidden))
    # ... nor any sum of withheld groups covering fewer than five programs, line by line.
    for line in lines:
        gone = [p for p in line.parts if p in hidden and counts[p] > 0]
        if gone and line.total not in hidden:
            assert len(gone) >= 2
            assert sum(counts[p] for p in gone) >= MIN_PROGRAMS
