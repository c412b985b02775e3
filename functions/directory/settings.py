"""The directory's settings, validated at cold start (shared/settings.py)."""

from __future__ import annotations

from shared.settings import ApiSettings, CursorSettings, Piece, UserPoolSettings


class DirectorySettings(ApiSettings, CursorSettings, UserPoolSettings):
    """Invitations go through the user pool; lists page with signed cursors."""


#: The template's handlers of this package and their models (tests/unit/test_settings.py).
HANDLERS: dict[str, type[Piece]] = {"functions.directory.handler.lambda_handler": DirectorySettings}
