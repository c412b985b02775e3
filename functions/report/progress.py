"""A program's own progress across its cycles, as pure code: each cycle's figures per section
(``documents.section_figures``) and the change since the program's previous cycle.

A program is only ever compared with itself. Sections are matched by letter (the instrument's
parts keep their letters across versions); a section the previous cycle did not have, or had no
figure for, shows no change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from functions.report.documents import SectionFigures


@dataclass(frozen=True)
class CycleFigures:
    cycle_id: str
    state: str
    opened_at: str
    submitted_at: str | None
    instrument_version: int
    sections: tuple[SectionFigures, ...]


@dataclass(frozen=True)
class Change:
    average_rating: float | None
    share_in_practice: float | None


def changes(cycles: Sequence[CycleFigures]) -> list[dict[str, Change]]:
    """For each cycle (oldest first), by section letter: the change since the cycle before."""
    found: list[dict[str, Change]] = []
    previous: dict[str, SectionFigures] = {}
    for cycle in cycles:
        found.append(
            {
                s.letter: Change(
                    average_rating=_delta(s.average_rating, before.average_rating, 2),
                    share_in_practice=_delta(s.share_in_practice, before.share_in_practice, 4),
                )
                if (before := previous.get(s.letter)) is not None
                else Change(None, None)
                for s in cycle.sections
            }
        )
        previous = {s.letter: s for s in cycle.sections}
    return found


def _delta(now: float | None, before: float | None, digits: int) -> float | None:
    return None if now is None or before is None else round(now - before, digits)
