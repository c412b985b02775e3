"""What the assessment's documents say, as pure code: the facts a document is made of, each
section's figures, and the CSV today's users know. The PDF (``pdf.py``) lays the same facts out.

Shares and averages are over the items a program answered: the share of practices in place is
"yes" over "yes" and "no" (an item not applicable to the program counts for neither), the
average rating over the items in place (only they are rated).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shared.domain.answers import NA, NO, YES
from shared.domain.instrument import Instrument, Item


@dataclass(frozen=True)
class AnswerFacts:
    in_practice: str  # yes, no, n/a
    rating: int | None
    notes: str


@dataclass(frozen=True)
class GoalFacts:
    item_key: str
    title: str
    baseline_rating: int | None
    target_rating: int
    achieved_rating: int | None
    status: str
    start_date: str
    target_date: str


@dataclass(frozen=True)
class AssessmentFacts:
    """One cycle's assessment, as its documents show it."""

    cycle_id: str
    program_id: str
    program_name: str
    affiliate_names: tuple[str, ...]
    instrument: Instrument
    opened_at: str
    submitted_at: str | None
    state: str
    answers: Mapping[str, AnswerFacts]  # by item key
    goals: tuple[GoalFacts, ...] = field(default=())

    @property
    def name(self) -> str:
        """The assessment's name in exports: the program and the year the cycle opened."""
        return f"{self.program_name} NQMS self-assessment {self.opened_at[:4]}"


@dataclass(frozen=True)
class PlanPartFacts:
    """One part of the plan (management, operations, evaluation) as written."""

    title: str
    strengths: str
    areas_for_improvement: str


@dataclass(frozen=True)
class PlanFacts:
    """One cycle's Improvement and Innovation Plan, as its documents show it."""

    assessment: AssessmentFacts  # the cycle, its program and its instrument (answers unused)
    parts: tuple[PlanPartFacts, ...]
    finalized_at: str | None

    @property
    def name(self) -> str:
        return (
            f"{self.assessment.program_name} Improvement and Innovation Plan "
            + (self.assessment.opened_at[:4])
        )


@dataclass(frozen=True)
class SectionFigures:
    letter: str
    title: str
    items: int
    answered: int
    in_practice: int
    not_in_practice: int
    average_rating: float | None  # over the items in place
    share_in_practice: float | None  # yes / (yes + no), 0..1


def section_figures(
    instrument: Instrument, answers: Mapping[str, AnswerFacts]
) -> list[SectionFigures]:
    figures = []
    for section in instrument.sections:
        items = instrument.items_in_section(section.letter)
        given = [answers[i.key] for i in items if i.key in answers]
        yes = [a for a in given if a.in_practice == YES]
        no = sum(1 for a in given if a.in_practice == NO)
        ratings = [a.rating for a in yes if a.rating is not None]
        figures.append(
            SectionFigures(
                letter=section.letter,
                title=section.title,
                items=len(items),
                answered=len(given),
                in_practice=len(yes),
                not_in_practice=no,
                average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
                share_in_practice=round(len(yes) / (len(yes) + no), 4) if yes or no else None,
            )
        )
    return figures


# --------------------------------------------------------------------------- CSV
CSV_COLUMNS = (
    "Assessment name",
    "Created",
    "Submitted for review",
    "Program ID",
    "Program title",
    "Section title",
    "Question text",
    "Rating",
    "Notes",
    "Section average rating",
    "Goals set",
    "Goal name",
    "Goal baseline",
    "Goal target",
    "Goal achieved",
    "Goal status",
)
#: A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ANSWER_WORDS = {YES: "In practice", NO: "Not in practice", NA: "Not applicable"}


def neutralised(value: object) -> str:
    """The cell as text a spreadsheet shows as typed: a leading quote before a formula start."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def assessment_csv(facts: AssessmentFacts) -> bytes:
    """One row per item (per goal, for an item with several), in the instrument's order; UTF-8
    with a byte-order mark so spreadsheet programs read accents right."""
    averages = {
        f.letter: f.average_rating for f in section_figures(facts.instrument, facts.answers)
    }
    sections = {s.letter: s.title for s in facts.instrument.sections}
    goals_by_item: dict[str, list[GoalFacts]] = {}
    for one in facts.goals:
        goals_by_item.setdefault(one.item_key, []).append(one)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in facts.instrument.items:
        answer = facts.answers.get(item.key)
        goals = goals_by_item.get(item.key, [])
        each_goal: list[GoalFacts | None] = [*goals] if goals else [None]
        for goal in each_goal:
            writer.writerow(
                neutralised(value)
                for value in _row(facts, item, sections, averages, answer, len(goals), goal)
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _row(
    facts: AssessmentFacts,
    item: Item,
    sections: Mapping[str, str],
    averages: Mapping[str, float | None],
    answer: AnswerFacts | None,
    goals_set: int,
    goal: GoalFacts | None,
) -> Sequence[object]:
    return (
        facts.name,
        facts.opened_at,
        facts.submitted_at or "",
        facts.program_id,
        facts.program_name,
        sections[item.section],
        f"{item.code} {item.prompt}",
        _rating_cell(answer),
        answer.notes if answer else "",
        _number(averages.get(item.section)),
        goals_set,
        goal.title if goal else "",
        _number(goal.baseline_rating) if goal else "",
        _number(goal.target_rating) if goal else "",
        _number(goal.achieved_rating) if goal else "",
        goal.status.replace("_", " ") if goal else "",
    )


GOALS_CSV_COLUMNS = (
    "Assessment name",
    "Program ID",
    "Program title",
    "Goal name",
    "Item",
    "Question text",
    "Goal baseline",
    "Goal target",
    "Goal achieved",
    "Goal status",
    "Start date",
    "Target date",
)


def goals_csv(facts: AssessmentFacts) -> bytes:
    """The plan's goals, one row each, with the item they improve; UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(GOALS_CSV_COLUMNS)
    for goal in facts.goals:
        item = facts.instrument.item_by_key(goal.item_key)
        row = (
            facts.name,
            facts.program_id,
            facts.program_name,
            goal.title,
            item.code if item else goal.item_key,
            item.prompt if item else "",
            _number(goal.baseline_rating),
            _number(goal.target_rating),
            _number(goal.achieved_rating),
            goal.status.replace("_", " "),
            goal.start_date,
            goal.target_date,
        )
        writer.writerow(neutralised(value) for value in row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _rating_cell(answer: AnswerFacts | None) -> str:
    """The rating when the practice is in place, else what was answered instead."""
    if answer is None:
        return ""
    if answer.in_practice == YES and answer.rating is not None:
        return str(answer.rating)
    return _ANSWER_WORDS.get(answer.in_practice, answer.in_practice)


def _number(value: float | int | None) -> str:
    return "" if value is None else f"{value:g}"
