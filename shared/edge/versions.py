"""Optimistic concurrency at the edge: the version a client read (from If-Match or the body),
and the version a write made (in the response's ETag)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from shared.edge.http import Response
from shared.errors import InvalidRequest


def parse_if_match(value: str | None) -> int | None:
    """The version in an ``If-Match`` header: ``"3"``, ``W/"3"`` or ``3``; None when absent."""
    if value is None:
        return None
    raw = value.strip().removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise InvalidRequest(
            'If-Match must carry the version you read, e.g. If-Match: "3".', field="If-Match"
        )
    return int(raw)


def expected_version(if_match: str | None, body_version: int | None) -> int | None:
    """The version the client read: the header's or the body's (they must agree); None if
    neither was sent."""
    header = parse_if_match(if_match)
    if header is not None and body_version is not None and header != body_version:
        raise InvalidRequest(
            "If-Match and body.version disagree: send one version.", field="body.version"
        )
    return header if header is not None else body_version


def versioned(body: BaseModel, version: int, status: int = 200) -> Response[Any]:
    """A written object as the response, its version in ``ETag`` for the next ``If-Match``."""
    shown: Any = body.model_dump(mode="json")  # Response[T] types the schema, not this
    return Response(
        status_code=status,
        body=shown,
        content_type="application/json",
        headers={"ETag": f'"{version}"'},
    )
