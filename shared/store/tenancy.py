"""Membership records: the caller's tenancy, read with one query per request."""

from __future__ import annotations

from typing import Any

from shared import keys
from shared.adapters.table import Table
from shared.identity import Caller, Claims, Membership, caller_from


def membership_of(item: dict[str, Any]) -> Membership:
    return Membership(
        scope=str(item["scope"]),
        scope_id=item.get("scope_id"),
        grants=frozenset(item.get("grants") or ()),
    )


def load_caller(table: Table, claims: Claims) -> Caller:
    """The caller with its memberships: one query on the user's partition."""
    items = table.query_all(keys.user_partition(claims.sub), sk_prefix=keys.MEMBER_PREFIX)
    return caller_from(claims, [membership_of(i) for i in items])
