"""The assessment's PDF, read back as a reader would: rendered to images and its text extracted."""

from __future__ import annotations

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from functions.report.documents import AnswerFacts, GoalFacts
from functions.report.pdf import assessment_pdf
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
