"""The badge service's settings, validated at cold start (shared/settings.py)."""

from __future__ import annotations

from shared.settings import (
    ApiSettings,
    BadgeKeySettings,
    BadgeLinkKeySettings,
    CursorSettings,
    FunctionSettings,
    Piece,
    PublicUrlSettings,
)


class BadgeApiSettings(ApiSettings, CursorSettings, BadgeKeySettings, PublicUrlSettings):
    """The public face: links and credentials are signed by the keys and name the API's
    public address (PUBLIC_API_URL), never the address a request came in by."""


class BadgeIssuerSettings(FunctionSettings, BadgeLinkKeySettings):
    """Issues badges on plan events: signs their verification links."""


#: The template's handlers of this package and their models (tests/unit/test_settings.py).
HANDLERS: dict[str, type[Piece]] = {
    "functions.badge.handler.lambda_handler": BadgeApiSettings,
    "functions.badge.consumer.lambda_handler": BadgeIssuerSettings,
    "functions.badge.jobs.expire": FunctionSettings,
}
