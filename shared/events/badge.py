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


class BadgeExpiringSoon(EventData):
    """Announced 90 and 30 days before ``valid_until`` (the program should renew)."""

    badge_id: str
    program_id: str
    valid_until: date
    days_left: int


class BadgeExpired(EventData):
    """The badge is no longer valid: the program takes it off its website and materials."""

    badge_id: str
    program_id: str
    valid_until: date


class BadgeRevoked(EventData):
    """Taken back (the reason stays in the table: events carry no text)."""

    badge_id: str
    program_id: str
    revoked_by: str


CATALOGUE: Catalogue = catalogue(
    "nqms.badge", BadgeIssued, BadgeSuperseded, BadgeExpiringSoon, BadgeExpired, BadgeRevoked
)
