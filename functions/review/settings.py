"""The review service's settings, validated at cold start (shared/settings.py)."""

from __future__ import annotations

from shared.settings import ApiSettings, CursorSettings, MailSettings, Piece


class ReviewSettings(ApiSettings, CursorSettings, MailSettings):
    """The meeting invite's organizer is the notifications' sender (MAIL_FROM)."""


#: The template's handlers of this package and their models (tests/unit/test_settings.py).
HANDLERS: dict[str, type[Piece]] = {"functions.review.handler.lambda_handler": ReviewSettings}
