"""The assessment's CSV and section figures, from the facts a document is made of."""

from __future__ import annotations

import csv
import io

from functions.report.documents import (
    CSV_COLUMNS,
    GOALS_CSV_COLUMNS,
    AnswerFacts,
    AssessmentFacts,
    GoalFacts,
    assessment_csv,
    goals_csv,
    neutralised,
    section_figures,
)
from functions.report.progress import Change, CycleFigures, changes
from shared.domain.instrument import load_instrument

INSTRUMENT = load_instrument()


def facts(answers: dict[str, AnswerFacts], goals: tuple[GoalFacts, ...] = ()) -> AssessmentFacts:
    return AssessmentFacts(
        cycle_id="cyc_1",
        program_id="prg_1",
        program_name="Big Sisters of Omaha",
        affiliate_names=("MENTOR Nebraska",),
        instrument=INSTRUMENT,
        opened_at="2026-03-02T15:00:00+00:00",
        submitted_at="2026-04-20T18:30:00+00:00",
        state="submitted",
        answers=answers,
        goals=goals,
    )


def every_item_answered() -> dict[str, AnswerFacts]:
    answers = {}
    for n, item in enumerate(INSTRUMENT.items):
        if item.allows_na and n % 7 == 0:
            answers[item.key] = AnswerFacts("n/a", None, f"Not for us ({item.code}); café")
        elif n % 5 == 0:
            answers[item.key] = AnswerFacts("no", None, f"Working on it ({item.code})")
        else:
            answers[item.key] = AnswerFacts("yes", 1 + n % 5, f"Done, see {item.code}")
    return answers


def read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads accents right
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_has_the_sixteen_columns_and_one_row_per_item_matching_the_answers() -> None:
    answers = every_item_answered()
    rows = read(assessment_csv(facts(answers)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(CSV_COLUMNS) == 16
    assert len(rows) == len(INSTRUMENT.items) == 92
    for row, item in zip(rows, INSTRUMENT.items, strict=True):
        answer = answers[item.key]
        assert row["Question text"] == f"{item.code} {item.prompt}"
        assert row["Notes"] == answer.notes
        expected = {"yes": str(answer.rating), "no": "Not in practice", "n/a": "Not applicable"}
        assert row["Rating"] == expected[answer.in_practice]
        assert row["Program ID"] == "prg_1"
        assert row["Submitted for review"] == "2026-04-20T18:30:00+00:00"
        assert row["Goals set"] == "0"
    figures = {f.title: f for f in section_figures(INSTRUMENT, answers)}
    for row in rows:
        average = figures[row["Section title"]].average_rating
        assert row["Section average rating"] == ("" if average is None else f"{average:g}")


def test_an_item_with_goals_has_a_row_per_goal() -> None:
    item = INSTRUMENT.items[3]
    goals = tuple(
        GoalFacts(item.key, title, 2, 4, achieved, status, "2026-05-01", "2026-11-01")
        for title, achieved, status in (
            ("Train mentors", 4, "verified"),
            ("Write it", None, "in_progress"),
        )
    )
    rows = read(assessment_csv(facts(every_item_answered(), goals)))
    mine = [r for r in rows if r["Question text"].startswith(item.code + " ")]
    assert [r["Goal name"] for r in mine] == ["Train mentors", "Write it"]
    assert [r["Goals set"] for r in mine] == ["2", "2"]
    assert [(r["Goal baseline"], r["Goal target"], r["Goal achieved"]) for r in mine] == [
        ("2", "4", "4"),
        ("2", "4", ""),
    ]
    assert [r["Goal status"] for r in mine] == ["verified", "in progress"]
    assert len(rows) == 93


def test_a_formula_looking_note_comes_out_neutralised() -> None:
    answers = every_item_answered()
    first = INSTRUMENT.items[1].key
    answers[first] = AnswerFacts("yes", 3, '=HYPERLINK("http://evil.example","click")')
    rows = read(assessment_csv(facts(answers)))
    assert rows[1]["Notes"] == '\'=HYPERLINK("http://evil.example","click")'
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralised(start + "1+1") == "'" + start + "1+1"
    assert neutralised("1+1") == "1+1"
    assert neutralised(None) == ""


def test_unanswered_items_are_empty_rows_and_sections_without_ratings_have_no_average() -> None:
    rows = read(assessment_csv(facts({})))
    assert len(rows) == 92
    assert {r["Rating"] for r in rows} == {""}
    assert {r["Section average rating"] for r in rows} == {""}


def test_section_figures_count_in_place_over_yes_and_no_only() -> None:
    section = INSTRUMENT.sections[0]
    items = INSTRUMENT.items_in_section(section.letter)
    answers = {items[0].key: AnswerFacts("yes", 4, ""), items[1].key: AnswerFacts("yes", 5, "")}
    answers[items[2].key] = AnswerFacts("no", None, "")
    first = section_figures(INSTRUMENT, answers)[0]
    assert (first.items, first.answered, first.in_practice, first.not_in_practice) == (
        len(items),
        3,
        2,
        1,
    )
    assert first.average_rating == 4.5
    assert first.share_in_practice == round(2 / 3, 4)


def test_the_goals_csv_has_a_row_per_goal_with_its_item_and_neutralised_cells() -> None:
    item = INSTRUMENT.items[4]
    goals = (
        GoalFacts(
            item.key, '=HYPERLINK("http://x")', 2, 4, 3, "verified", "2026-05-01", "2027-01-01"
        ),
        GoalFacts(
            item.key, "Recruit mentors", None, 3, None, "not_started", "2026-05-01", "2026-12-01"
        ),
    )
    data = goals_csv(facts(every_item_answered(), goals))
    rows = read(data)
    assert tuple(rows[0]) == GOALS_CSV_COLUMNS
    assert [r["Goal name"] for r in rows] == ['\'=HYPERLINK("http://x")', "Recruit mentors"]
    assert rows[0]["Item"] == item.code
    assert rows[0]["Question text"] == item.prompt
    assert (rows[0]["Goal baseline"], rows[0]["Goal target"], rows[0]["Goal achieved"]) == (
        "2",
        "4",
        "3",
    )
    assert (rows[1]["Goal baseline"], rows[1]["Goal achieved"], rows[1]["Goal status"]) == (
        "",
        "",
        "not started",
    )
    assert rows[1]["Target date"] == "2026-12-01"


def test_progress_changes_compare_a_program_with_its_own_previous_cycle_by_section() -> None:
    def cycle(n: int, rating: int, share_no: bool = False) -> CycleFigures:
        answers = {
            i.key: AnswerFacts("no" if share_no and k % 2 else "yes", rating, "")
            for k, i in enumerate(INSTRUMENT.items)
        }
        return CycleFigures(
            f"cyc_{n}",
            "historical",
            f"202{n}-01-01",
            None,
            1,
            tuple(section_figures(INSTRUMENT, answers)),
        )

    found = changes([cycle(0, 2, share_no=True), cycle(3, 4)])
    assert all(c == Change(None, None) for c in found[0].values())
    first, second = found[1]["A"], found[1]["B"]
    assert first.average_rating == 2
    assert first.share_in_practice == 0.4  # 3 of 5 in place (A1, A3, A5), then all 5
    assert second.average_rating == 2
