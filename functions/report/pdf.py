"""The assessment as a printable PDF: a cover, then each section on a page of its own.

fpdf2 (pure Python, runs in Lambda) with Source Sans Pro embedded (the U.S. Web Design System's
typeface, the web client's; SIL Open Font License, from PyPI's ``font-source-sans-pro``), so the
text is selectable and prints the same everywhere. Section titles are the document's outline
(bookmarks); the document carries its title and language. fpdf2 is imported when a document is
made, not when the report function starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING

from functions.report.documents import (
    AssessmentFacts,
    GoalFacts,
    PlanFacts,
    SectionFigures,
    section_figures,
)
from functions.report.progress import Change, CycleFigures, changes
from shared.domain.answers import NA, NO, YES

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "SourceSans"
_FONT_FILES = {"": "SourceSansPro-Regular.ttf", "B": "SourceSansPro-Bold.ttf"}
_ANSWERS = {YES: "In practice", NO: "Not in practice", NA: "Not applicable"}
_INK = (27, 27, 27)
_MUTED = (84, 84, 84)


def assessment_pdf(
    facts: AssessmentFacts,
    *,
    with_goals: bool = False,
    progress: Sequence[CycleFigures] = (),
) -> bytes:
    """The cover, a page per section, the program's progress across ``progress`` (its reported
    cycles, oldest first) when there is any, and the plan's goals on request."""
    pdf = _document(f"{facts.name}")
    _cover(pdf, facts)
    figures = {f.letter: f for f in section_figures(facts.instrument, facts.answers)}
    for section in facts.instrument.sections:
        pdf.add_page()
        pdf.start_section(f"Section {section.letter}: {section.title}", level=0)
        _figures_line(pdf, figures[section.letter])
        for item in facts.instrument.items_in_section(section.letter):
            answer = facts.answers.get(item.key)
            _heading(pdf, f"{item.code}  {item.prompt}")
            if answer is None:
                _text(pdf, "Not answered", muted=True)
            else:
                rating = f", rated {answer.rating} of 5" if answer.rating is not None else ""
                _text(pdf, _ANSWERS.get(answer.in_practice, answer.in_practice) + rating)
                if answer.notes:
                    _text(pdf, answer.notes, muted=True)
            pdf.ln(2)
    if progress:
        _progress_page(pdf, progress)
    if with_goals:
        pdf.add_page()
        pdf.start_section("Improvement and Innovation Plan goals", level=0)
        _goals(pdf, facts)
    return bytes(pdf.output())


def plan_pdf(facts: PlanFacts) -> bytes:
    """The plan: its cycle on a cover, each part's strengths and areas for improvement, the
    goals with their baseline, target, achieved rating, status and dates."""
    pdf = _document(facts.name)
    _cover(pdf, facts.assessment, title="Improvement and Innovation Plan")
    finalized = facts.finalized_at[:10] if facts.finalized_at else "Not yet"
    _text(pdf, f"Plan finalized: {finalized}")
    for part in facts.parts:
        pdf.add_page()
        pdf.start_section(part.title, level=0)
        _heading(pdf, "Strengths")
        _text(pdf, part.strengths or "None written.", muted=not part.strengths)
        pdf.ln(3)
        _heading(pdf, "Areas for improvement")
        _text(
            pdf,
            part.areas_for_improvement or "None written.",
            muted=not part.areas_for_improvement,
        )
    pdf.add_page()
    pdf.start_section("Goals", level=0)
    _goals(pdf, facts.assessment)
    return bytes(pdf.output())


def _goals(pdf: FPDF, facts: AssessmentFacts) -> None:
    if not facts.goals:
        _text(pdf, "No goals yet.", muted=True)
    for goal in facts.goals:
        _goal(pdf, facts, goal)


# A bar per cycle in each section's group; the latest cycle darkest.
_BARS = ((162, 192, 222), (90, 140, 190), (26, 68, 128))
_CHART_HEIGHT = 60.0


def _progress_page(pdf: FPDF, progress: Sequence[CycleFigures]) -> None:
    """Average rating per section, a bar per cycle (fpdf2 drawing), and the figures as text."""
    pdf.add_page()
    pdf.start_section("Progress across cycles", level=0)
    shown = list(progress)[-len(_BARS) :]
    _text(
        pdf,
        "Average rating (1 to 5) per section in each of the program's submitted cycles; the "
        "program is compared only with itself.",
        muted=True,
    )
    pdf.ln(4)
    letters = [s.letter for s in shown[-1].sections]
    left, top = pdf.l_margin + 8, pdf.get_y()
    width = pdf.w - pdf.l_margin - pdf.r_margin - 8
    group = width / max(len(letters), 1)
    bar = min(8.0, (group - 2) / len(shown))
    base = top + _CHART_HEIGHT
    pdf.set_draw_color(*_MUTED)
    pdf.set_font(FONT, size=8)
    for rating in range(6):  # axis and grid, 0..5
        y = base - _CHART_HEIGHT * rating / 5
        pdf.line(left, y, left + width, y)
        pdf.text(pdf.l_margin, y + 1, str(rating))
    for g, letter in enumerate(letters):
        x = left + g * group + (group - bar * len(shown)) / 2
        for c, cycle in enumerate(shown):
            figures = {s.letter: s for s in cycle.sections}.get(letter)
            average = figures.average_rating if figures else None
            if average:
                height = _CHART_HEIGHT * average / 5
                pdf.set_fill_color(*_BARS[len(_BARS) - len(shown) + c])
                pdf.rect(x + c * bar, base - height, bar, height, style="F")
        pdf.text(left + g * group + group / 2 - pdf.get_string_width(letter) / 2, base + 4, letter)
    pdf.set_y(base + 7)
    for c, cycle in enumerate(shown):
        pdf.set_fill_color(*_BARS[len(_BARS) - len(shown) + c])
        pdf.rect(pdf.l_margin, pdf.get_y() + 1, 4, 3, style="F")
        pdf.set_x(pdf.l_margin + 6)
        pdf.cell(0, 5, f"Cycle opened {cycle.opened_at[:10]}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    pdf.ln(4)
    for cycle, change in zip(progress, changes(progress), strict=True):
        _heading(pdf, f"Cycle opened {cycle.opened_at[:10]}")
        for s in cycle.sections:
            _text(pdf, f"Section {s.letter}: " + _figures_text(s) + _change_text(change[s.letter]))
        pdf.ln(2)


def _change_text(change: Change) -> str:
    said = []
    if change.average_rating is not None:
        said.append(f"average {change.average_rating:+g}")
    if change.share_in_practice is not None:
        said.append(f"in place {round(change.share_in_practice * 100):+d} points")
    return f" Since the cycle before: {', '.join(said)}." if said else ""


def _document(title: str) -> FPDF:
    from fpdf import FPDF, TextStyle

    pdf = FPDF(format="Letter", unit="mm")
    fonts = resources.files("font_source_sans_pro") / "files"
    for style, name in _FONT_FILES.items():
        with resources.as_file(fonts / name) as path:
            pdf.add_font(FONT, style=style, fname=str(path))
    pdf.set_title(title)
    pdf.set_author("NQMS Cloud")
    pdf.set_lang("en-US")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_section_title_styles(
        TextStyle(font_family=FONT, font_style="B", font_size_pt=18, color=_INK, b_margin=3)
    )
    pdf.set_text_color(*_INK)
    pdf.set_font(FONT, size=11)
    return pdf


def _cover(pdf: FPDF, facts: AssessmentFacts, *, title: str = "NQMS self-assessment") -> None:
    pdf.add_page()
    pdf.start_section(title, level=0)
    rows = [
        ("Program", facts.program_name),
        ("Affiliate", ", ".join(facts.affiliate_names) or "None"),
        ("Cycle", facts.cycle_id),
        ("Instrument", f"{facts.instrument.title}, version {facts.instrument.version}"),
        ("Opened", facts.opened_at[:10]),
        ("Submitted for review", facts.submitted_at[:10] if facts.submitted_at else "Not yet"),
        ("State", facts.state.replace("_", " ")),
    ]
    for label, value in rows:
        pdf.set_font(FONT, style="B", size=11)
        pdf.cell(50, 8, label)
        pdf.set_font(FONT, size=11)
        pdf.multi_cell(0, 8, value, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    _text(pdf, "Confidential: for the program and its MENTOR affiliate.", muted=True)


def _figures_line(pdf: FPDF, figures: SectionFigures) -> None:
    _text(pdf, _figures_text(figures))
    pdf.ln(3)


def _figures_text(figures: SectionFigures) -> str:
    average = (
        f"average rating {figures.average_rating:g} of 5"
        if figures.average_rating is not None
        else "no rating yet"
    )
    share = (
        f"{round(figures.share_in_practice * 100)}% of practices in place "
        f"({figures.in_practice} of {figures.in_practice + figures.not_in_practice})"
        if figures.share_in_practice is not None
        else "no practice answered yet"
    )
    return f"{figures.answered} of {figures.items} items answered; {average}; {share}."


def _goal(pdf: FPDF, facts: AssessmentFacts, goal: GoalFacts) -> None:
    item = facts.instrument.item_by_key(goal.item_key)
    _heading(pdf, goal.title)
    achieved = goal.achieved_rating if goal.achieved_rating is not None else "not yet"
    _text(
        pdf,
        f"Item {item.code if item else goal.item_key}; baseline {goal.baseline_rating or 'none'}, "
        f"target {goal.target_rating}, achieved {achieved}; "
        f"{goal.status.replace('_', ' ')}; {goal.start_date} to {goal.target_date}",
    )
    pdf.ln(2)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, style="B", size=11)
    pdf.multi_cell(0, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)


def _text(pdf: FPDF, text: str, *, muted: bool = False) -> None:
    if muted:
        pdf.set_text_color(*_MUTED)
    pdf.multi_cell(0, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*_INK)
