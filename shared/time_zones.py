"""Time zones: one type for every field that takes one. Pure.

A zone is a name from the IANA list of the pinned ``tzdata`` package (the same list on every
host), checked by membership, never by loading it first: ``ZoneInfo`` raises ``OSError`` for a
name too long to be a file name and may load names that are not places (``localtime``), and
an unchecked name reached the handlers as a 500. Anything else is a 422 naming the field.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

#: Zone names in tzdata's list that are not places people live or meet in.
_NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})

#: Longer than any IANA name (the longest is 32 characters): documented for clients.
MAX_ZONE_CHARS = 64

UNKNOWN_TIME_ZONE = "unknown_time_zone"


@cache
def known_zones() -> frozenset[str]:
    """IANA zone names from the pinned tzdata package."""
    names = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return frozenset(names) - _NOT_PLACES


def is_known_zone(name: str) -> bool:
    return name in known_zones()


def shown(name: str) -> str:
    """A refused name as an error message may quote it (at most 64 characters)."""
    return repr(name[:MAX_ZONE_CHARS])


def _known(value: str) -> str:
    if not is_known_zone(value):
        raise PydanticCustomError(
            UNKNOWN_TIME_ZONE,
            "{name} is not an IANA time zone (e.g. America/Chicago)",
            {"name": shown(value)},
        )
    return value


TimeZone = Annotated[
    str,
    AfterValidator(_known),
    Field(
        max_length=MAX_ZONE_CHARS,
        description="IANA time zone name, e.g. America/Chicago.",
        examples=["America/Chicago"],
    ),
]
"""An IANA time zone name: any other value (unknown, empty, 256 characters) is a 422."""
