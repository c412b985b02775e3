"""The boundary types: what every service's request and response models are made of.

``Input`` (a request body: an unknown field is a 422) and ``Output`` (a response: fields the
record has and the contract does not are left out), and the value types more than one service
takes (``Email``, ``TimeZone``), each one rule from ``shared.domain.formats``. Path and header
parameters are in ``shared.edge.params``; the ETag of a versioned response in
``shared.edge.versions``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from shared.domain.formats import (
    EMAIL_PATTERN,
    MAX_EMAIL_CHARS,
    MAX_ZONE_CHARS,
    is_known_zone,
    shown_zone,
)


class Input(BaseModel):
    """A request body: a field the model does not have is refused (422 naming it)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built on first use


class Output(BaseModel):
    """A response body: what the model does not declare is left out."""

    model_config = ConfigDict(extra="ignore", defer_build=True)  # built on first use


Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=MAX_EMAIL_CHARS, pattern=EMAIL_PATTERN
    ),
]
"""An email address that names an account or a contact, kept in lower case."""

BodyVersion = Annotated[
    int | None,
    Field(ge=0, description="The version you read (instead of an If-Match header)."),
]
"""The version a client read, in the body of an update (``shared.edge.versions``): 0 for what
nobody wrote yet."""

UNKNOWN_TIME_ZONE = "unknown_time_zone"


def _known_zone(value: str) -> str:
    if not is_known_zone(value):
        raise PydanticCustomError(
            UNKNOWN_TIME_ZONE,
            "{name} is not an IANA time zone (e.g. America/Chicago)",
            {"name": shown_zone(value)},
        )
    return value


TimeZone = Annotated[
    str,
    AfterValidator(_known_zone),
    Field(
        max_length=MAX_ZONE_CHARS,
        description="IANA time zone name, e.g. America/Chicago.",
        examples=["America/Chicago"],
    ),
]
"""An IANA time zone name: any other value (unknown, empty, 256 characters) is a 422."""
