"""Events of the badge service. Thin: ids, levels, dates."""

from __future__ import annotations

from datetime import date

from shared.events.base import Catalogue, EventData, catalogue


class BadgeIssued(EventData):
    badge_id: str
    program_id: str
    cycle_id: str
    level: str  # step1 | step2
    valid_until: date


class BadgeSuperseded(EventData):
    """A newer cycle's Step 1 replaced an older badge (the program renewed)."""

    badge_id: str
    program_id: str
    superseded_by: str


CATALOGUE: Catalogue = catalogue("nqms.badge", BadgeIssued, BadgeSuperseded)
