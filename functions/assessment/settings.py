"""The assessment service's settings, validated at cold start (shared/settings.py)."""

from __future__ import annotations

from shared.settings import ApiSettings, CursorSettings, EvidenceSettings, Piece


class AssessmentSettings(ApiSettings, CursorSettings, EvidenceSettings):
    """Cycles and answers, and the evidence bucket."""


#: The template's handlers of this package and their models (tests/unit/test_settings.py).
HANDLERS: dict[str, type[Piece]] = {
    "functions.assessment.handler.lambda_handler": AssessmentSettings
}
