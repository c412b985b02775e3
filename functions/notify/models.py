"""Request and response models of the notification API (preferences, suppressions)."""

from __future__ import annotations

from pydantic import Field

from functions.notify.recipients import DEFAULTS, Preference
from shared.edge.types import Input, Output, TimeZone


class PreferencesIn(Input):
    """Only the optional messages can be turned off (or, for the digest, on): every other
    message is part of the cycle and always sent."""

    reminders: bool = Field(
        default=DEFAULTS[Preference.REMINDERS],
        description="Assessment due in 7 days, and overdue (program staff).",
    )
    digest: bool = Field(
        default=DEFAULTS[Preference.DIGEST],
        description="The weekly digest of overdue assessments and goals (affiliate staff).",
    )
    time_zone: TimeZone | None = Field(
        default=None, description="IANA zone the emails show times in; none: the affiliate's."
    )


class Preferences(Output):
    reminders: bool
    digest: bool
    time_zone: str | None
    version: int = Field(description="0 until first saved.")


class Suppression(Output):
    email: str
    reason: str = Field(description="bounce (permanent) or complaint")
    recorded_at: str


class SuppressionList(Output):
    items: list[Suppression] = Field(description="Suppressed addresses, by address.")
    next: str | None = Field(default=None, description="Cursor of the next page, if any.")
