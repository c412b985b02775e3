"""The forms of values every service takes: an email address and an IANA time zone name. Pure.

One rule each, used by every model field (``shared.edge.types``) and by every rule that reads
such a value again (the meeting's guests, the invite's ``mailto:``, an email's time zone).

A zone is a name from the IANA list of the pinned ``tzdata`` package (the same list on every
host), checked by membership, never by loading it first: ``ZoneInfo`` raises ``OSError`` for a
name too long to be a file name and may load names that are not places (``localtime``), and
an unchecked name reached the handlers as a 500.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# --------------------------------------------------------------------------- email
#: Longest address (RFC 5321's path limit less the angle brackets).
MAX_EMAIL_CHARS = 254
#: A mailbox as mail headers and calendars take it: no spaces, quotes, brackets, commas or
#: semicolons in the local part (a header would read them as several addresses), and a
#: domain of dot-separated DNS labels.
EMAIL_PATTERN = (
    r"^[^\s@<>()\[\],;:\\\"]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_EMAIL_RE = re.compile(EMAIL_PATTERN)


def normalize_email(address: str) -> str | None:
    """The address as kept (domain in lower case), or None if it is not an email address."""
    address = address.strip()
    if len(address) > MAX_EMAIL_CHARS or not _EMAIL_RE.match(address):
        return None
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


# --------------------------------------------------------------------------- time zones
#: Zone names in tzdata's list that are not places people live or meet in.
_NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})

#: Longer than any IANA name (the longest is 32 characters): documented for clients.
MAX_ZONE_CHARS = 64


@cache
def known_zones() -> frozenset[str]:
    """IANA zone names from the pinned tzdata package."""
    names = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return frozenset(names) - _NOT_PLACES


def is_known_zone(name: str) -> bool:
    return name in known_zones()


def shown_zone(name: str) -> str:
    """A refused name as an error message may quote it (at most 64 characters)."""
    return repr(name[:MAX_ZONE_CHARS])
