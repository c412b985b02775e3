"""The plan service's settings, validated at cold start (shared/settings.py)."""

from __future__ import annotations

from shared.settings import ApiSettings, Piece


class PlanSettings(ApiSettings):
    """The edge's settings; nothing of its own (no list pages)."""


#: The template's handlers of this package and their models (tests/unit/test_settings.py).
HANDLERS: dict[str, type[Piece]] = {"functions.plan.handler.lambda_handler": PlanSettings}
