"""One cursor convention for every list: ``limit`` and an opaque ``next``.

A cursor is its position (JSON) and an HMAC-SHA256 over the list's scope and that position,
keyed by the cursor key (a Secrets Manager secret in AWS): only this service can issue one,
and one issued for another list or another caller does not verify. A verified position is
still checked for the shape its list expects (it becomes a DynamoDB ``ExclusiveStartKey``).
Anything else is a 400 problem.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from shared.errors import InvalidRequest
from shared.keys import GSI1 as GSI1_INDEX
from shared.keys import INDEX_KEYS
from shared.settings import CursorSettings, SettingsError, get_settings

if TYPE_CHECKING:
    from shared.adapters.table import Condition, Table

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
#: Far above any cursor issued here (a start key of four short strings); checked before work.
MAX_CURSOR_CHARS = 2048
#: Shortest key accepted: the template asks a deployment for at least this much.
MIN_KEY_CHARS = 32

Position = dict[str, Any]


@dataclass(frozen=True)
class PageRequest:
    """What a client asked of a list: a page size and the cursor of the previous page."""

    limit: int
    cursor: str | None


def invalid_cursor() -> InvalidRequest:
    return InvalidRequest("The `next` cursor is not valid for this list; start again without it.")


def start_key_attributes(index: str | None = None) -> frozenset[str]:
    """The attributes of a query's LastEvaluatedKey: the table's key, plus the index's."""
    return frozenset(("pk", "sk", *(INDEX_KEYS[index] if index is not None else ())))


def in_index_partition(
    start_key: Mapping[str, Any], partition: str, index: str = GSI1_INDEX
) -> bool:
    """Whether a query's start key (a cursor's position) lies in ``partition`` of ``index``."""
    return start_key.get(INDEX_KEYS[index][0]) == partition


def is_start_key(value: object, attributes: Collection[str]) -> bool:
    """Exactly these attributes, each a non-empty string (the table's keys are all S)."""
    return (
        isinstance(value, dict)
        and set(value) == set(attributes)
        and all(isinstance(v, str) and v for v in value.values())
    )


def _secret(secret: str | None) -> bytes:
    value = secret if secret is not None else _configured_key()
    if len(value) < MIN_KEY_CHARS:
        raise SettingsError(f"CURSOR_KEY must be at least {MIN_KEY_CHARS} characters")
    return value.encode()


def _configured_key() -> str:
    """CURSOR_KEY if set (tests, tools), else the value of the secret CURSOR_KEY_SECRET names."""
    settings = get_settings(CursorSettings)
    if settings.cursor_key or not settings.cursor_key_secret:
        return settings.cursor_key
    from shared.adapters.secrets import secret_string  # AWS only on the lists that page

    return secret_string(settings.cursor_key_secret)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, scope: str, body: str) -> bytes:
    # The scope and the body as one JSON array: no two (scope, body) pairs sign the same bytes.
    message = json.dumps([scope, body], separators=(",", ":")).encode()
    return hmac.new(secret, message, hashlib.sha256).digest()


def encode_cursor(scope: str, position: Mapping[str, Any], *, secret: str | None = None) -> str:
    body = _b64(json.dumps(position, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_b64(_signature(_secret(secret), scope, body))}"


def decode_cursor(
    scope: str,
    cursor: str | None,
    valid: Callable[[Position], bool],
    *,
    secret: str | None = None,
) -> Position | None:
    """The position of a cursor this service issued for ``scope``, if ``valid`` accepts it."""
    if not cursor:
        return None
    key = _secret(secret)
    if len(cursor) > MAX_CURSOR_CHARS or cursor.count(".") != 1:
        raise invalid_cursor()
    body, signature = cursor.split(".")
    try:
        given = _unb64(signature)
    except (ValueError, binascii.Error) as exc:
        raise invalid_cursor() from exc
    if not hmac.compare_digest(given, _signature(key, scope, body)):
        raise invalid_cursor()
    try:
        position = json.loads(_unb64(body))
    except (ValueError, binascii.Error) as exc:  # UnicodeDecodeError is a ValueError
        raise invalid_cursor() from exc
    if not isinstance(position, dict) or not valid(position):
        raise invalid_cursor()
    return position


def decode_start_key(
    scope: str,
    cursor: str | None,
    index: str | None = None,
    *,
    secret: str | None = None,
) -> dict[str, str] | None:
    """For a list that is one query: the cursor is the query's LastEvaluatedKey."""
    attributes = start_key_attributes(index)
    position = decode_cursor(scope, cursor, lambda p: is_start_key(p, attributes), secret=secret)
    return None if position is None else {k: str(v) for k, v in position.items()}


def refuse_cursor(cursor: str | None) -> None:
    """For a list that is always one page: no cursor was ever issued for it."""
    if cursor:
        raise invalid_cursor()


T = TypeVar("T")


@dataclass(frozen=True)
class Listed(Generic[T]):
    """A page of a list that is one query: its items and the next page's cursor (None: last)."""

    items: list[T]
    next: str | None


def list_page(
    table: Table,
    scope: str,
    partition: str,
    page: PageRequest,
    *,
    index: str | None = None,
    sk_prefix: str | None = None,
    where: Condition | None = None,
    forward: bool = True,
    consistent: bool = False,
) -> Listed[dict[str, Any]]:
    """One page of ``partition`` (of ``index``, if given): the cursor, issued for the list
    ``scope``, is checked (400) before anything is read, and the next one issued for it."""
    start = decode_start_key(scope, page.cursor, index)
    found = table.query(
        partition,
        index=index,
        sk_prefix=sk_prefix,
        limit=page.limit,
        start_key=start,
        where=where,
        forward=forward,
        consistent=consistent,
    )
    return Listed(found.items, encode_cursor(scope, found.last_key) if found.last_key else None)
