"""Aggregates as pure code: what a cycle contributes, the deltas a change adds, and what a
reader is shown once small groups are withheld."""

from __future__ import annotations

from collections import Counter

import pytest

from functions.report import suppression
from functions.report.aggregates import (
    ALL_YEARS,
    COUNTRY,
    CYCLES,
    Contribution,
    CounterRecord,
    GridCell,
    aggregate,
    contribution_of,
    counter_deltas,
    cycle_count_changes,
    merge_counters,
    parse_grid,
    program_count_changes,
    withheld_cells,
)
from shared.domain.instrument import load_instrument

INSTRUMENT = load_instrument()
A1, A2 = INSTRUMENT.items[0].key, INSTRUMENT.items[1].key
B_FIRST = next(i for i in INSTRUMENT.items if i.part == "operations").key


def contribution(
    state: str = "submitted",
    *,
    cycle: str = "c1",
    program: str = "p1",
    submitted_at: str | None = "2026-03-02T10:00:00+00:00",
    affiliates: tuple[str, ...] = ("va",),
    answers: dict[str, tuple[str, int | None]] | None = None,
) -> Contribution | None:
    return contribution_of(
        cycle_id=cycle,
        program_id=program,
        state=state,
        submitted_at=submitted_at,
        instrument_key=INSTRUMENT.key,
        instrument_version=INSTRUMENT.version,
        affiliate_ids=affiliates,
        answers=answers if answers is not None else {A1: ("yes", 4), A2: ("no", None)},
    )


@pytest.mark.parametrize("state", ["open", "returned", "archived"])
def test_open_returned_and_archived_cycles_count_nowhere(state: str) -> None:
    assert contribution(state) is None


@pytest.mark.parametrize("state", ["submitted", "in_review", "plan_finalized", "historical"])
def test_a_submitted_cycle_counts_in_its_year_and_every_year(state: str) -> None:
    counted = contribution(state, affiliates=("va", "ne"))
    assert counted is not None
    assert set(counted.cells) == {
        (scope, period) for scope in (COUNTRY, "ne", "va") for period in ("2026", ALL_YEARS)
    }


def test_a_rating_given_with_no_is_not_counted() -> None:
    counted = contribution(answers={A1: ("no", 3)})
    assert counted is not None
    assert counted.answers == ((A1, "no", None),)


def test_the_record_round_trips() -> None:
    counted = contribution()
    assert counted is not None
    assert Contribution.from_record(counted.to_record()) == counted


def test_a_contribution_adds_one_answer_and_one_rating_per_item_to_each_cell() -> None:
    deltas = counter_deltas(None, contribution(), INSTRUMENT)
    design = deltas[("va", "2026", "design")]
    assert design == {CYCLES: 1, f"{A1}#yes": 1, f"{A1}#r4": 1, f"{A2}#no": 1}
    assert deltas[(COUNTRY, ALL_YEARS, "operations")] == {CYCLES: 1}
    assert len(deltas) == 2 * 2 * 3  # scopes x periods x parts


def test_a_return_and_resubmission_replaces_the_contribution_never_doubles_it() -> None:
    first = contribution(answers={A1: ("yes", 2), B_FIRST: ("no", None)})
    second = contribution(
        answers={A1: ("yes", 5), B_FIRST: ("no", None)}, submitted_at="2027-01-05T09:00:00Z"
    )
    totals: Counter[tuple[CounterRecord, str]] = Counter()
    for old, new in ((None, first), (first, None), (None, second)):  # submit, return, resubmit
        for record, counters in counter_deltas(old, new, INSTRUMENT).items():
            for name, delta in counters.items():
                totals[(record, name)] += delta
    left = {key: value for key, value in totals.items() if value}
    assert left == {
        (record, name): value
        for record, counters in counter_deltas(None, second, INSTRUMENT).items()
        for name, value in counters.items()
    }
    # The first submission's year holds nothing any more.
    assert not any(record[1] == "2026" for record, _ in left)


def test_replacing_a_contribution_by_itself_moves_nothing() -> None:
    same = contribution()
    assert counter_deltas(same, same, INSTRUMENT) == {}
    assert cycle_count_changes(same, same) == {}


def test_a_program_with_two_cycles_counts_once_in_every_year() -> None:
    older = contribution(cycle="c1", submitted_at="2023-05-01T00:00:00Z")
    newer = contribution(cycle="c2", submitted_at="2026-05-01T00:00:00Z")
    held: Counter[GridCell] = Counter()
    programs: Counter[GridCell] = Counter()
    for counted in (older, newer):
        changes = cycle_count_changes(None, counted)
        programs.update(program_count_changes(held, changes))
        held.update(changes)
    assert programs[("va", ALL_YEARS)] == 1
    assert programs[("va", "2023")] == programs[("va", "2026")] == 1
    # Archiving the newer cycle leaves the older one counted in every year.
    changes = cycle_count_changes(newer, None)
    programs.update(program_count_changes(held, changes))
    assert programs[("va", ALL_YEARS)] == 1
    assert programs[("va", "2026")] == 0


def grid_of(per_affiliate_year: dict[tuple[str, str], int]) -> dict[GridCell, int]:
    """Program counts with their margins (each program served by one affiliate)."""
    grid: Counter[GridCell] = Counter()
    for (affiliate, year), n in per_affiliate_year.items():
        for cell in ((affiliate, year), (affiliate, ALL_YEARS), (COUNTRY, year)):
            grid[cell] += n
        grid[(COUNTRY, ALL_YEARS)] += n
    return dict(grid)


def test_four_programs_are_withheld_whole_and_six_are_shown() -> None:
    four = grid_of({("va", "2026"): 4})
    shown = aggregate(INSTRUMENT, "va", "2026", four, {CYCLES: 4, f"{A1}#yes": 4})
    assert shown.withheld
    assert shown.reason
    assert shown.programs is None
    assert shown.sections == ()
    assert aggregate(INSTRUMENT, COUNTRY, ALL_YEARS, four, {CYCLES: 4}).withheld

    six = grid_of({("va", "2026"): 6})
    counters = {CYCLES: 6, f"{A1}#yes": 5, f"{A1}#na": 1, f"{A1}#r4": 3, f"{A1}#r2": 2}
    figures = aggregate(INSTRUMENT, "va", "2026", six, counters)
    assert not figures.withheld
    assert figures.programs == 6
    assert figures.cycles == 6
    first = figures.sections[0]
    assert first.items[0].in_practice == {"yes": 5, "no": 0, "na": 1}
    assert first.items[0].ratings == {"1": 0, "2": 2, "3": 0, "4": 3, "5": 0}
    assert first.average_rating == round((4 * 3 + 2 * 2) / 5, 2)
    assert first.share_in_place == 1.0


def test_a_group_of_four_inside_an_affiliate_of_twelve_cannot_be_recovered() -> None:
    grid = grid_of(
        {
            ("va", "2025"): 4,
            ("va", "2026"): 8,
            ("ne", "2025"): 6,
            ("ne", "2026"): 7,
            ("dc", "2025"): 9,
            ("dc", "2026"): 10,
        }
    )
    hidden = withheld_cells(grid)
    assert ("va", "2025") in hidden
    assert ("va", ALL_YEARS) not in hidden  # the affiliate's twelve are still shown
    # Every reader gets a part of the same decision: the shown figures' equations (a total is
    # the sum of its groups) pin no withheld group.
    to_margin = {COUNTRY: suppression.ALL, ALL_YEARS: suppression.ALL}
    as_cells = {(to_margin.get(s, s), to_margin.get(p, p)) for s, p in hidden}
    lines = suppression.grid_lines(["dc", "ne", "va"], ["2025", "2026"])
    assert suppression.recoverable(lines, as_cells) == []


def test_counters_merge_across_part_records_and_the_grid_parses() -> None:
    merged = merge_counters(
        [
            {"pk": "x", "sk": "PART#design", CYCLES: 3, f"{A1}#yes": 2, "version": 4},
            {"pk": "x", "sk": "PART#operations", CYCLES: 3, f"{B_FIRST}#no": 1},
        ]
    )
    assert merged == {CYCLES: 3, f"{A1}#yes": 2, f"{B_FIRST}#no": 1}
    assert parse_grid({"pk": "g", "va|2026": 6, "country|all": 0, "version": 2}) == {
        ("va", "2026"): 6
    }
