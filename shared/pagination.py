"""One cursor convention for every list: ``limit`` and an opaque ``next``.

A cursor is bound to the query it came from (a digest of its scope), so a cursor from one list
cannot be replayed against another tenant's list; a tampered cursor is a 400 problem.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from shared.errors import InvalidRequest

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


@dataclass(frozen=True)
class PageRequest:
    """What a client asked of a list: a page size and the cursor of the previous page."""

    limit: int
    cursor: str | None


def _scope_digest(scope: str) -> str:
    return hashlib.sha256(scope.encode()).hexdigest()[:16]


def encode_cursor(scope: str, position: dict[str, Any]) -> str:
    raw = json.dumps({"s": _scope_digest(scope), "p": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(scope: str, cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(decoded, dict) or decoded.get("s") != _scope_digest(scope):
            raise ValueError("cursor of another list")
        position = decoded.get("p")
        if not isinstance(position, dict):
            raise ValueError("malformed position")
        return position
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidRequest(
            "The `next` cursor is not valid for this list; start again without it."
        ) from exc
