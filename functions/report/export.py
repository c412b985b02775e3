"""The research export, as pure code: a de-identified CSV with a row per submitted,
non-archived cycle of one instrument version, and its codebook.

De-identified: no free text at all (no notes, no goal titles or action steps, no names), and
ids replaced by stable pseudonyms: ``HMAC-SHA256(secret, id)``, so the same program has the
same pseudonym in every export made with the same secret (evaluators can follow a program
across cycles and exports) and nobody without the secret can turn one back into an id.
Columns: the pseudonyms, the year of submission, then per item (in the instrument's order)
``Q_<code>_in_practice`` and ``Q_<code>_rating``, then per goal slot (1 to 5) its item, ratings
and status.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from shared.domain.instrument import Instrument

GOAL_SLOTS: Final = 5
IN_PRACTICE_VALUES: Final = {"yes": "yes", "no": "no", "n/a": "na"}
GOAL_FIELDS: Final = ("item", "baseline_rating", "target_rating", "achieved_rating", "status")


def pseudonym(secret: bytes, kind: str, value: str) -> str:
    """A stable pseudonym of an id: ``P`` (program) or ``C`` (cycle) and 16 hex digits of
    HMAC-SHA256 over the kind and the id."""
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind[0].upper()}{digest[:16]}"


@dataclass(frozen=True)
class ExportGoal:
    item_code: str
    baseline_rating: int | None
    target_rating: int | None
    achieved_rating: int | None
    status: str


@dataclass(frozen=True)
class ExportCycle:
    """What a row shows of one cycle (its ids are replaced when the row is written)."""

    cycle_id: str
    program_id: str
    year: str
    #: item key -> (in practice, rating)
    answers: Mapping[str, tuple[str, int | None]]
    goals: Sequence[ExportGoal] = ()


def columns(instrument: Instrument) -> list[str]:
    head = ["program", "cycle", "instrument_version", "year_submitted"]
    items = [
        f"Q_{item.code}_{field}" for item in instrument.items for field in ("in_practice", "rating")
    ]
    goals = [f"goal_{n}_{field}" for n in range(1, GOAL_SLOTS + 1) for field in GOAL_FIELDS]
    return head + items + goals


def row(instrument: Instrument, secret: bytes, cycle: ExportCycle) -> list[str]:
    values = [
        pseudonym(secret, "program", cycle.program_id),
        pseudonym(secret, "cycle", cycle.cycle_id),
        str(instrument.version),
        cycle.year,
    ]
    for item in instrument.items:
        in_practice, rating = cycle.answers.get(item.key, ("", None))
        values.append(IN_PRACTICE_VALUES.get(in_practice, ""))
        values.append("" if rating is None or in_practice != "yes" else str(rating))
    goals = list(cycle.goals)[:GOAL_SLOTS]
    for n in range(GOAL_SLOTS):
        if n < len(goals):
            goal = goals[n]
            values += [
                goal.item_code,
                _number(goal.baseline_rating),
                _number(goal.target_rating),
                _number(goal.achieved_rating),
                goal.status,
            ]
        else:
            values += [""] * len(GOAL_FIELDS)
    return values


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def export_csv(instrument: Instrument, secret: bytes, cycles: Iterable[ExportCycle]) -> bytes:
    """The export: UTF-8 with a byte-order mark, a header row, a row per cycle. Every cell is
    a code, a number or a pseudonym (nothing a spreadsheet reads as a formula)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns(instrument))
    for cycle in cycles:
        writer.writerow(row(instrument, secret, cycle))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def codebook_csv(instrument: Instrument) -> bytes:
    """Every column of the export: its name, what it holds, its values."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["column", "description", "values"])
    writer.writerow(
        ["program", "The program, as a stable pseudonym (same program, same value)", "P + 16 hex"]
    )
    writer.writerow(["cycle", "The assessment cycle, as a stable pseudonym", "C + 16 hex"])
    writer.writerow(
        ["instrument_version", f"Version of the {instrument.title}", str(instrument.version)]
    )
    writer.writerow(["year_submitted", "Calendar year the assessment was submitted", "YYYY"])
    for item in instrument.items:
        reference = f" ({', '.join(item.references)})" if item.references else ""
        writer.writerow(
            [
                f"Q_{item.code}_in_practice",
                f"{item.code}{reference}: {item.prompt} Is the practice in place?",
                "yes, no, na (not applicable); empty: not answered",
            ]
        )
        writer.writerow(
            [
                f"Q_{item.code}_rating",
                f"{item.code}: how well the practice is implemented (only when in place)",
                "1 to 5; empty: not rated",
            ]
        )
    descriptions = {
        "item": ("The item the goal is tied to", "an item code"),
        "baseline_rating": ("The rating when the goal was set", "1 to 5; empty: none"),
        "target_rating": ("The rating the goal aims for", "1 to 5"),
        "achieved_rating": ("The rating the affiliate verified", "1 to 5; empty: not yet"),
        "status": (
            "The goal's status",
            "not_started, in_progress, completed, verified, sent_back",
        ),
    }
    for n in range(1, GOAL_SLOTS + 1):
        for field in GOAL_FIELDS:
            description, values = descriptions[field]
            writer.writerow([f"goal_{n}_{field}", f"Goal {n}: {description}", values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
