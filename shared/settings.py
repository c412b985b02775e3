"""Settings from the environment, validated once at cold start. Logic never reads os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class SettingsError(RuntimeError):
    """The function's environment is incomplete or malformed."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    table_name: str = Field(min_length=1)
    event_bus_name: str = Field(min_length=1)
    user_pool_id: str = ""
    region: str = Field(min_length=1)
    allowed_origins: tuple[str, ...] = ()
    #: Private bucket of evidence documents (assessment service only).
    evidence_bucket: str = ""
    #: Largest evidence document accepted, in bytes.
    evidence_max_bytes: int = Field(default=25 * 1024 * 1024, gt=0)
    service_name: str = "nqms"
    #: Signs list cursors (HMAC-SHA256). In AWS the functions get the ARN of the secret that
    #: holds it (CURSOR_KEY_SECRET, read once per process on the first list that pages); a plain
    #: CURSOR_KEY is for tests and tools that sign cursors without AWS.
    cursor_key: str = Field(default="", repr=False)
    cursor_key_secret: str = ""
    #: Idempotency records live this long (seconds); a retry after that is a new request.
    idempotency_ttl_seconds: int = Field(default=24 * 3600, gt=0)
    #: Published outbox records are kept this long before DynamoDB's TTL removes them.
    outbox_retention_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    #: KMS keys of the badge service: ES256 for verification links, RS256 for credentials.
    badge_link_key_id: str = ""
    badge_credential_key_id: str = ""
    #: The API's public address, for the links in badges (verify, image, issuer profile).
    public_api_url: str = ""
    #: The verified address notification emails come from; also the review invite's organizer.
    mail_from: str = "notifications@nqms.example.org"
    #: The sweeper leaves records younger than this to the stream relay.
    outbox_sweep_grace_seconds: int = Field(default=120, ge=0)

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(o.strip() for o in value.split(",") if o.strip())
        return value

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        raw: dict[str, object] = {
            "table_name": environ.get("TABLE_NAME", ""),
            "event_bus_name": environ.get("EVENT_BUS_NAME", ""),
            "user_pool_id": environ.get("USER_POOL_ID", ""),
            "region": environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION", ""),
            "allowed_origins": environ.get("ALLOWED_ORIGINS", ""),
            "service_name": environ.get("POWERTOOLS_SERVICE_NAME", "nqms"),
            "evidence_bucket": environ.get("EVIDENCE_BUCKET", ""),
            "cursor_key": environ.get("CURSOR_KEY", ""),
            "cursor_key_secret": environ.get("CURSOR_KEY_SECRET", ""),
            "badge_link_key_id": environ.get("BADGE_LINK_KEY_ID", ""),
            "badge_credential_key_id": environ.get("BADGE_CREDENTIAL_KEY_ID", ""),
            "public_api_url": environ.get("PUBLIC_API_URL", ""),
        }
        if environ.get("MAIL_FROM"):
            raw["mail_from"] = environ["MAIL_FROM"]
        optional = {
            "idempotency_ttl_seconds": "IDEMPOTENCY_TTL_SECONDS",
            "outbox_retention_seconds": "OUTBOX_RETENTION_SECONDS",
            "outbox_sweep_grace_seconds": "OUTBOX_SWEEP_GRACE_SECONDS",
            "evidence_max_bytes": "EVIDENCE_MAX_BYTES",
        }
        for field_name, variable in optional.items():
            if variable in environ:
                raw[field_name] = environ[variable]
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            names = ", ".join(str(e["loc"][0]).upper() for e in exc.errors())
            raise SettingsError(f"invalid or missing environment settings: {names}") from exc


def allowed_origins_from_env(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The CORS allow-list alone: the API edge needs it at import, before any request."""
    raw = (environ if environ is not None else os.environ).get("ALLOWED_ORIGINS", "")
    return tuple(o.strip() for o in raw.split(",") if o.strip())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once; tests call ``get_settings.cache_clear()``)."""
    return Settings.from_env(os.environ)
