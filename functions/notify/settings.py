"""The notifier's settings, validated at cold start (logic never reads os.environ)."""

from __future__ import annotations

from functools import cache

from pydantic import Field

from shared.settings import (
    ApiSettings,
    CursorSettings,
    FunctionSettings,
    MailSettings,
    Piece,
    PublicUrlSettings,
    Required,
    load,
)


class NotifySettings(FunctionSettings, MailSettings, PublicUrlSettings):
    """The consumer that sends the emails; ``public_api_url`` for badge links and images."""

    #: The SES configuration set whose event destination reports bounces and complaints.
    configuration_set: Required = Field(validation_alias="MAIL_CONFIGURATION_SET")
    #: The web app people log in to (links in every message).
    app_url: str = Field(pattern=r"^https?://\S+$", validation_alias="APP_URL")
    #: The private bucket the research export is in (its email links the file).
    reports_bucket: str = Field(default="", validation_alias="REPORTS_BUCKET")


class NotifyApiSettings(ApiSettings, CursorSettings):
    """Preferences and the suppression list (a paged list)."""


@cache
def notify_settings() -> NotifySettings:
    return load(NotifySettings)


#: The template's handlers of this package and their models (tests/unit/test_settings.py).
HANDLERS: dict[str, type[Piece]] = {
    "functions.notify.handler.lambda_handler": NotifyApiSettings,
    "functions.notify.consumer.lambda_handler": NotifySettings,
    "functions.notify.bounces.lambda_handler": FunctionSettings,
    "functions.notify.reminder_job.remind": FunctionSettings,
}
