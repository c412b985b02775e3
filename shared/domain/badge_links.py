"""A badge's public pieces as any service shows them: its level's name, the URLs of its
verify link and image, and the HTML snippet a program pastes into its website. Pure.

The badge service serves these routes and the notifier emails them; both build them here, so
an email's link and snippet are exactly the ones the program's badge list gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape
from urllib.parse import quote, urlsplit

#: Each level's name, as partners read it.
LEVEL_NAMES: Mapping[str, str] = {"step1": "Initiated in NQMS", "step2": "Progressing in NQMS"}
#: The badge image's size (``/badges/{id}/image.svg``), also the snippet's.
#: It fits a 390 px phone screen with the page's margins (and scales down within them).
IMAGE_WIDTH, IMAGE_HEIGHT = 360, 200


def public_url(base: str, *parts: str) -> str:
    """``base`` (the public API) and path parts; ids are ours (no slashes), but quoting keeps
    a stray character from changing the path."""
    return "/".join([base.rstrip("/"), *(quote(part, safe="") for part in parts)])


def verify_link(base: str, token: str) -> str:
    return public_url(base, "verify", token)


def image_link(base: str, badge_id: str) -> str:
    return public_url(base, "badges", badge_id, "image.svg")


def alt_text(level_name: str, program_name: str) -> str:
    return f"{level_name}: {program_name}. Verify this NQMS badge."


def html_text(value: str) -> str:
    return escape(value, quote=True)


def html_url(value: str) -> str:
    """A URL for an attribute: ours are http(s); anything else (``javascript:``) is refused."""
    if urlsplit(value).scheme not in ("https", "http"):
        raise ValueError(f"not an http(s) URL: {value!r}")
    return escape(value, quote=True)


def embed_snippet(verify_url: str, image_url: str, alt: str) -> str:
    """The HTML a program pastes into its website: its badge image, linking to the verify page
    (which always tells the current status, so the snippet never needs changing)."""
    return (
        f'<a href="{html_url(verify_url)}"><img src="{html_url(image_url)}" '
        f'alt="{html_text(alt)}" width="{IMAGE_WIDTH}" height="{IMAGE_HEIGHT}"></a>'
    )


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(day: date | str) -> str:
    """``23 November 2029``, as people write a date: unambiguous to every reader
    (``11/12/29`` is not), and not dependent on the process locale as ``%B`` is. Takes a date
    or an ISO date (``2029-11-23``, or the start of an ISO timestamp)."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
