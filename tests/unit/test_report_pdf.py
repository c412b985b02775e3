"""The assessment's PDF, read back as a reader would: rendered to images and its text extracted."""

from __future__ import annotations

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from functions.report.documents import (
    AnswerFacts,
    GoalFacts,
    PlanFacts,
    PlanPartFacts,
    section_figures,
)
from functions.report.pdf import assessment_pdf, plan_pdf
from functions.report.progress import CycleFigures
from tests.unit.test_report_documents import INSTRUMENT, every_item_answered, facts


def pages_text(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    texts = []
    for page in document:
        image = page.render(scale=0.5).to_pil()  # it renders: a broken page would raise here
        assert image.width > 0
        texts.append(page.get_textpage().get_text_range().replace("\r\n", "\n"))
    return texts


def test_each_section_starts_a_page_and_every_answer_is_in_it() -> None:
    answers = every_item_answered()
    item = INSTRUMENT.items[0]
    answers[item.key] = AnswerFacts("yes", 4, "A long note " * 120 + "END-OF-NOTE")
    texts = pages_text(assessment_pdf(facts(answers)))
    assert "Big Sisters of Omaha" in texts[0]
    assert "MENTOR Nebraska" in texts[0]
    starts = {}
    for number, text in enumerate(texts):
        first_line = text.split("\n", 1)[0]
        if first_line.startswith("Section "):
            starts[first_line.split(":")[0].removeprefix("Section ")] = number
    assert list(starts) == [s.letter for s in INSTRUMENT.sections]
    bounds = [*starts.values(), len(texts)]
    for (letter, start), end in zip(starts.items(), bounds[1:], strict=True):
        section_text = " ".join(texts[start:end]).replace("\n", " ")
        for section_item in INSTRUMENT.items_in_section(letter):
            answer = answers[section_item.key]
            assert section_item.code in section_text
            assert " ".join(answer.notes.split()) in " ".join(section_text.split())
    assert "END-OF-NOTE" in " ".join(texts)  # a note longer than a page is kept whole


def test_the_goals_page_when_asked() -> None:
    goal = GoalFacts(
        INSTRUMENT.items[2].key,
        "Train every mentor",
        2,
        4,
        None,
        "in_progress",
        "2026-05-01",
        "2026-11-01",
    )
    texts = pages_text(assessment_pdf(facts(every_item_answered(), (goal,)), with_goals=True))
    assert texts[-1].startswith("Improvement and Innovation Plan goals")
    assert "Train every mentor" in texts[-1]
    assert "target 4" in texts[-1]
    assert not any(
        "Improvement and Innovation Plan goals" in t
        for t in pages_text(assessment_pdf(facts(every_item_answered(), (goal,))))
    )


def test_the_text_is_selectable_in_the_embedded_font() -> None:
    answers = every_item_answered()
    item = INSTRUMENT.items[5]
    answers[item.key] = AnswerFacts("yes", 3, "Café « Señor » naïve résumé")
    data = assessment_pdf(facts(answers))
    assert b"/FontFile2" in data  # the TrueType font program is embedded
    assert b"SourceSans" in data
    assert "Café « Señor » naïve résumé" in " ".join(pages_text(data))  # accents come back as typed


def _goal(title: str, achieved: int | None, status: str) -> GoalFacts:
    return GoalFacts(
        INSTRUMENT.items[3].key, title, 2, 4, achieved, status, "2026-05-01", "2027-02-01"
    )


def test_the_plan_pdf_has_each_part_on_a_page_then_the_goals_with_their_ratings_and_dates() -> None:
    parts = tuple(
        PlanPartFacts(title, f"{title} strengths: board meets monthly", f"{title} areas: budget")
        for title in ("Program design and management", "Program operations", "Program evaluation")
    )
    goals = (
        _goal("Train every mentor", 4, "verified"),
        _goal("Write a budget", None, "in_progress"),
    )
    plan = PlanFacts(facts({}, goals), parts, finalized_at="2026-06-10T14:00:00Z")

    texts = pages_text(plan_pdf(plan))

    assert texts[0].startswith("Improvement and Innovation Plan")
    assert "Big Sisters of Omaha" in texts[0]
    assert "Plan finalized: 2026-06-10" in texts[0]
    for page, part in zip(texts[1:4], parts, strict=True):
        assert page.startswith(part.title)
        assert part.strengths in page
        assert part.areas_for_improvement in page
    goals_page = " ".join(texts[4:]).replace("\n", " ")
    assert texts[4].startswith("Goals")
    assert "Train every mentor" in goals_page
    assert (
        f"Item {INSTRUMENT.items[3].code}; baseline 2, target 4, achieved 4; verified" in goals_page
    )
    assert "achieved not yet; in progress; 2026-05-01 to 2027-02-01" in goals_page


def _cycle(opened: str, rating: int) -> CycleFigures:
    answers = {i.key: AnswerFacts("yes", rating, "") for i in INSTRUMENT.items}
    return CycleFigures(
        f"cyc_{opened[:4]}",
        "historical",
        opened,
        opened,
        1,
        tuple(section_figures(INSTRUMENT, answers)),
    )


def test_the_progress_chart_draws_a_bar_per_cycle_and_section() -> None:
    earlier, now = _cycle("2023-03-01T00:00:00Z", 2), _cycle("2026-03-02T00:00:00Z", 4)
    data = assessment_pdf(facts(every_item_answered()), progress=[earlier, now])
    document = pdfium.PdfDocument(data)
    texts = pages_text(data)
    (number,) = [n for n, t in enumerate(texts) if t.startswith("Progress across cycles")]
    assert "Cycle opened 2023-03-01" in texts[number]
    assert "average rating 4 of 5" in texts[number]
    image = document[number].render(scale=1).to_pil().convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000) or []}
    assert (26, 68, 128) in colours  # the latest cycle's bars
    assert (90, 140, 190) in colours  # the earlier cycle's
    # no progress, no page
    assert not any(
        t.startswith("Progress across cycles")
        for t in pages_text(assessment_pdf(facts(every_item_answered())))
    )
