"""Rules of the self-assessment's answers: what an answer may hold, progress, readiness,
and the comparison of two cycles. Pure; the assessment and plan services use them.

An answer per item: is the practice in place (yes / no / n/a); with yes, how well (1 to 5);
notes (required with n/a, which only some items allow). no and n/a carry no rating.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from shared.domain.instrument import Instrument, Item
from shared.errors import RuleViolation

InPractice = Literal["yes", "no", "n/a"]
YES, NO, NA = "yes", "no", "n/a"


def check_answer_fits_item(item: Item, in_practice: str) -> None:
    """The rule the answer model cannot know alone: n/a only where the item allows it."""
    if in_practice == NA and not item.allows_na:
        raise RuleViolation(
            f"Item {item.code} does not allow n/a: answer yes or no.", field="body.in_practice"
        )


# --------------------------------------------------------------------------- progress
@dataclass(frozen=True)
class SectionProgress:
    letter: str
    title: str
    answered: int
    total: int


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    sections: list[SectionProgress]
    resume_at: str | None  # code of the first unanswered item, in instrument order


def progress(instrument: Instrument, answered_keys: Iterable[str]) -> Progress:
    done = set(answered_keys)
    sections = [
        SectionProgress(
            letter=section.letter,
            title=section.title,
            answered=sum(1 for i in instrument.items_in_section(section.letter) if i.key in done),
            total=len(instrument.items_in_section(section.letter)),
        )
        for section in instrument.sections
    ]
    resume = next((i.code for i in instrument.items if i.key not in done), None)
    return Progress(
        answered=sum(s.answered for s in sections),
        total=len(instrument.items),
        sections=sections,
        resume_at=resume,
    )


# --------------------------------------------------------------------------- readiness
@dataclass(frozen=True)
class Blocker:
    code: str  # "unanswered" | "not-answerable"
    message: str
    item_code: str | None = None


def readiness_blockers(
    instrument: Instrument,
    answers: Mapping[str, Mapping[str, Any]],
    *,
    answerable: bool,
    state: str,
) -> list[Blocker]:
    """Everything that stops submission; empty means the assessment may be submitted."""
    blockers: list[Blocker] = []
    if not answerable:
        blockers.append(
            Blocker("not-answerable", f"The cycle is {state}; only open or returned cycles submit.")
        )
    for item in instrument.items:
        answer = answers.get(item.key)
        if answer is None:
            blockers.append(Blocker("unanswered", f"Item {item.code} has no answer.", item.code))
        elif answer.get("in_practice") == NA and not item.allows_na:
            blockers.append(
                Blocker("na-not-allowed", f"Item {item.code} does not allow n/a.", item.code)
            )
    return blockers


# --------------------------------------------------------------------------- comparison
@dataclass(frozen=True)
class ItemChange:
    item_key: str
    item_code: str
    section: str
    before: Mapping[str, Any] | None  # {"in_practice", "rating"} of the other cycle
    after: Mapping[str, Any] | None  # of this cycle
    rating_change: int | None


@dataclass(frozen=True)
class SectionChange:
    letter: str
    title: str
    in_practice_before: int
    in_practice_after: int
    average_rating_before: float | None
    average_rating_after: float | None


def _rating(answer: Mapping[str, Any] | None) -> int | None:
    if answer is None or answer.get("in_practice") != YES:
        return None
    rating = answer.get("rating")
    return int(rating) if rating is not None else None


def _average(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def compare(
    instrument: Instrument,
    answers: Mapping[str, Mapping[str, Any]],
    earlier: Mapping[str, Mapping[str, Any]],
) -> tuple[list[ItemChange], list[SectionChange]]:
    """Per item and per section, the change from ``earlier`` to ``answers``.

    Items are matched by stable key: when the earlier cycle used another instrument version,
    re-key its answers first (:func:`shared.domain.instrument.translate_answers`).
    """
    items: list[ItemChange] = []
    for item in instrument.items:
        after, before = answers.get(item.key), earlier.get(item.key)
        r_after, r_before = _rating(after), _rating(before)
        items.append(
            ItemChange(
                item_key=item.key,
                item_code=item.code,
                section=item.section,
                before=_brief(before),
                after=_brief(after),
                rating_change=r_after - r_before
                if r_after is not None and r_before is not None
                else None,
            )
        )
    sections = [
        _section_change(section.letter, section.title, instrument, answers, earlier)
        for section in instrument.sections
    ]
    return items, sections


def _section_change(
    letter: str,
    title: str,
    instrument: Instrument,
    answers: Mapping[str, Mapping[str, Any]],
    earlier: Mapping[str, Mapping[str, Any]],
) -> SectionChange:
    keys = [i.key for i in instrument.items_in_section(letter)]

    def in_practice(source: Mapping[str, Mapping[str, Any]]) -> int:
        return sum(1 for k in keys if (source.get(k) or {}).get("in_practice") == YES)

    def average(source: Mapping[str, Mapping[str, Any]]) -> float | None:
        return _average([r for k in keys if (r := _rating(source.get(k))) is not None])

    return SectionChange(
        letter=letter,
        title=title,
        in_practice_before=in_practice(earlier),
        in_practice_after=in_practice(answers),
        average_rating_before=average(earlier),
        average_rating_after=average(answers),
    )


def _brief(answer: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if answer is None:
        return None
    return {"in_practice": answer.get("in_practice"), "rating": answer.get("rating")}
