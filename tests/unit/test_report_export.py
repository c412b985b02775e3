"""The research export as pure code: a row per cycle, every column in the codebook, pseudonyms
that are stable and keyed, nothing but codes and numbers."""

from __future__ import annotations

import csv
import io

from functions.report.export import (
    ExportCycle,
    ExportGoal,
    codebook_csv,
    columns,
    export_csv,
    pseudonym,
)
from shared.domain.instrument import load_instrument

INSTRUMENT = load_instrument()
A1, A2 = INSTRUMENT.items[0], INSTRUMENT.items[1]
SECRET = b"s" * 32


def parse(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def cycle(cycle_id: str, program_id: str) -> ExportCycle:
    return ExportCycle(
        cycle_id=cycle_id,
        program_id=program_id,
        year="2026",
        answers={A1.key: ("yes", 4), A2.key: ("n/a", None)},
        goals=[ExportGoal(A2.code, 2, 4, None, "in_progress")],
    )


def test_a_row_per_cycle_with_each_items_answer_and_rating_and_the_goals() -> None:
    rows = parse(export_csv(INSTRUMENT, SECRET, [cycle("cyc_1", "prg_1"), cycle("cyc_2", "prg_1")]))
    assert len(rows) == 2
    first = rows[0]
    assert list(first) == columns(INSTRUMENT)
    assert len(first) == 4 + 2 * len(INSTRUMENT.items) + 5 * 5
    assert (first["Q_A1_in_practice"], first["Q_A1_rating"]) == ("yes", "4")
    assert (first[f"Q_{A2.code}_in_practice"], first[f"Q_{A2.code}_rating"]) == ("na", "")
    assert first["Q_B6_in_practice"] == ""  # not answered
    assert (first["goal_1_item"], first["goal_1_target_rating"]) == (A2.code, "4")
    assert first["goal_1_achieved_rating"] == ""
    assert first["goal_2_item"] == ""
    # One program, two cycles: the same program pseudonym, two cycle pseudonyms; no id shown.
    assert rows[0]["program"] == rows[1]["program"] == pseudonym(SECRET, "program", "prg_1")
    assert rows[0]["cycle"] != rows[1]["cycle"]
    assert "prg_1" not in export_csv(INSTRUMENT, SECRET, [cycle("cyc_1", "prg_1")]).decode()


def test_pseudonyms_are_stable_and_depend_on_the_secret() -> None:
    assert pseudonym(SECRET, "program", "prg_1") == pseudonym(SECRET, "program", "prg_1")
    assert pseudonym(SECRET, "program", "prg_1") != pseudonym(b"t" * 32, "program", "prg_1")
    assert pseudonym(SECRET, "program", "x") != pseudonym(SECRET, "cycle", "x")
    assert pseudonym(SECRET, "program", "prg_1").startswith("P")


def test_the_codebook_describes_every_column_in_order() -> None:
    book = parse(codebook_csv(INSTRUMENT))
    assert [entry["column"] for entry in book] == columns(INSTRUMENT)
    a1 = next(entry for entry in book if entry["column"] == "Q_A1_in_practice")
    assert A1.prompt in a1["description"]
