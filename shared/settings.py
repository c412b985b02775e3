"""Settings from the environment, validated at cold start. Logic never reads os.environ.

Each function has its own model (``functions/<package>/settings.py``) made of the pieces below,
with only what it needs: every variable it reads is required unless it has a real default (no
empty-string defaults), and its handler module validates it when Lambda imports it, so a
missing or malformed variable fails the function's init with an error naming the variable
instead of failing a request later (the partner directory's second page was a 500 in AWS for a
missing cursor secret). Shared code reads the piece it needs: ``get_settings(CursorSettings)``.

Each field's alias is the variable's name, so the error names it. The models are plain
pydantic models validated from ``os.environ`` (pydantic-settings would add 40 ms to every cold
start for sources we do not use: .env files, secrets directories, JSON-decoded variables).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar, cast

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)


class SettingsError(RuntimeError):
    """The function's environment is incomplete or malformed."""


Required = Annotated[str, Field(min_length=1)]


class Piece(BaseModel):
    """Base of every settings model: read from the environment by the variables' exact names
    (case-sensitive; a variable's text is taken as it is, never JSON-decoded), frozen once
    read."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)


class FunctionSettings(Piece):
    """What every function reads: its table and its region."""

    table_name: Required = Field(validation_alias="TABLE_NAME")
    #: Lambda sets AWS_REGION; tools may set only AWS_DEFAULT_REGION.
    region: Required = Field(validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION"))


class ApiSettings(FunctionSettings):
    """What every API function reads (the edge: CORS, idempotent writes)."""

    #: Comma-separated origins a browser may call the API from (empty: none).
    allowed_origins: tuple[str, ...] = Field(default=(), validation_alias="ALLOWED_ORIGINS")
    #: Idempotency records live this long (seconds); a retry after that is a new request.
    idempotency_ttl_seconds: int = Field(
        default=24 * 3600, gt=0, validation_alias="IDEMPOTENCY_TTL_SECONDS"
    )

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        return split_origins(value) if isinstance(value, str) else value


class CursorSettings(Piece):
    """Signs list cursors (HMAC-SHA256). In AWS the functions get the ARN of the secret that
    holds it (CURSOR_KEY_SECRET, read once per process on the first list that pages); a plain
    CURSOR_KEY is for tests and tools that sign cursors without AWS. One of them is required."""

    cursor_key: str = Field(default="", repr=False, validation_alias="CURSOR_KEY")
    cursor_key_secret: str = Field(default="", validation_alias="CURSOR_KEY_SECRET")

    @model_validator(mode="after")
    def _one_of_them(self) -> CursorSettings:
        if not (self.cursor_key or self.cursor_key_secret):
            raise ValueError("CURSOR_KEY_SECRET (or CURSOR_KEY) is required")
        return self


class UserPoolSettings(Piece):
    user_pool_id: Required = Field(validation_alias="USER_POOL_ID")


class MailSettings(Piece):
    #: The verified address notification emails come from; also the review invite's organizer.
    mail_from: str = Field(min_length=3, pattern=r"^[^@\s]+@[^@\s]+$", validation_alias="MAIL_FROM")


class PublicUrlSettings(Piece):
    #: The API's public address, for the links in badges (verify, image, issuer profile).
    public_api_url: str = Field(pattern=r"^https?://\S+$", validation_alias="PUBLIC_API_URL")

    @field_validator("public_api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


class BadgeLinkKeySettings(Piece):
    #: The KMS key (ES256) that signs badge verification links.
    badge_link_key_id: Required = Field(validation_alias="BADGE_LINK_KEY_ID")


class BadgeKeySettings(BadgeLinkKeySettings):
    #: The KMS key (RS256) that signs Open Badges credentials.
    badge_credential_key_id: Required = Field(validation_alias="BADGE_CREDENTIAL_KEY_ID")


class EvidenceSettings(Piece):
    #: Private bucket of evidence documents.
    evidence_bucket: Required = Field(validation_alias="EVIDENCE_BUCKET")
    #: Largest evidence document accepted, in bytes.
    evidence_max_bytes: int = Field(
        default=25 * 1024 * 1024, gt=0, validation_alias="EVIDENCE_MAX_BYTES"
    )


def split_origins(raw: str) -> tuple[str, ...]:
    return tuple(o.strip() for o in raw.split(",") if o.strip())


S = TypeVar("S", bound=Piece)


def load(model: type[S], environ: Mapping[str, str] | None = None) -> S:
    """``model`` from the process's environment, or from ``environ`` (a function's variables
    as the template gives them); SettingsError names every variable missing or malformed."""
    try:
        return model.model_validate(dict(os.environ if environ is None else environ))
    except ValidationError as exc:
        raise SettingsError(f"invalid or missing environment settings: {_names(exc)}") from exc


def _names(exc: ValidationError) -> str:
    """``NAME (what is wrong)`` per variable; a check across variables (the cursor key) has
    no location, its message names them."""
    names = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        names.append(f"{error['loc'][0]} ({message})" if error["loc"] else message)
    return ", ".join(dict.fromkeys(names))


class _Loaded:
    """The settings of this process, per model, read once (tests call ``cache_clear()``)."""

    def __init__(self) -> None:
        self._by_model: dict[type[Any], Any] = {}

    def __call__(self, model: type[S]) -> S:
        found = self._by_model.get(model)
        if found is None:
            found = self._by_model[model] = load(model)
        return cast(S, found)

    def cache_clear(self) -> None:
        self._by_model.clear()


#: ``get_settings(CursorSettings).cursor_key_secret``: a piece of this process's settings.
get_settings = _Loaded()


def cold_start(model: type[Piece]) -> None:
    """Called by a handler module as it is imported. In a Lambda execution environment (Lambda
    and the local stack set ``AWS_LAMBDA_FUNCTION_NAME``) the function's whole model is
    validated now, so a missing or malformed variable fails the init naming it. Elsewhere
    (tests and ``make openapi`` import every handler with no function's environment) each
    piece is validated where it is first read, with the same rules."""
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        get_settings(model)


def allowed_origins_from_env(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The CORS allow-list alone: the API edge needs it at import, before any request."""
    return split_origins(
        (environ if environ is not None else os.environ).get("ALLOWED_ORIGINS", "")
    )
