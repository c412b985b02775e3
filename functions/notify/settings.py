"""The notifier's own settings, validated at cold start (logic never reads os.environ)."""

from __future__ import annotations

import os
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from shared.settings import get_settings


class NotifySettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The verified sender (the shared setting the review's invite organizer reads too).
    mail_from: str = Field(min_length=3)
    #: The SES configuration set whose event destination reports bounces and complaints.
    configuration_set: str = ""
    #: The web app people log in to (links in every message).
    app_url: str = Field(min_length=1)
    #: The public API (badge verification links and images).
    api_url: str = Field(min_length=1)


@cache
def notify_settings() -> NotifySettings:
    environ = os.environ
    return NotifySettings(
        mail_from=get_settings().mail_from,
        configuration_set=environ.get("MAIL_CONFIGURATION_SET", ""),
        app_url=environ.get("APP_URL", "https://app.nqms.example"),
        api_url=get_settings().public_api_url or environ.get("APP_URL", "https://app.nqms.example"),
    )
