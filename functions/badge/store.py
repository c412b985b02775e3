"""Badges in the table: read as typed :class:`~functions.badge.records.StoredBadge` s and
written back at the version read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from functions.badge.records import Record, StoredBadge
from shared import keys
from shared.adapters.table import Condition, Table, UnitOfWork

WHAT = "Badge"


def get_badge(table: Table, badge_id: str, *, consistent: bool = True) -> StoredBadge | None:
    item = table.get(keys.badge(badge_id), consistent=consistent)
    return StoredBadge.from_item(item) if item is not None else None


def badges_of_program(table: Table, program_id: str) -> list[StoredBadge]:
    """Every badge of the program (through its index), newest first."""
    found = table.query_all(keys.badges_of_program_index_pk(program_id), index=keys.GSI1)
    badges = [StoredBadge.from_item(b) for b in found]
    return sorted(badges, key=lambda b: b.issued_at, reverse=True)


def save_badge(uow: UnitOfWork, badge: StoredBadge, fields: Mapping[str, Any]) -> Record:
    """``badge`` written back with ``fields`` if it is still at the version read."""
    return uow.replace({**badge.item, **fields}, expected_version=badge.version, what=WHAT)


def keep_credential(table: Table, badge_id: str, fields: Mapping[str, Any]) -> None:
    """The badge's signed credential kept on it (not versioned: signing again is harmless)."""
    table.set_fields(keys.badge(badge_id), set_values=dict(fields))


def published_signing_keys(table: Table) -> dict[str, dict[str, Any]]:
    """Every public key that ever signed a badge link or credential (its JWK), by kid: one
    query of the signing keys' partition."""
    return {
        str(item["sk"]): dict(item["jwk"]) for item in table.query_all(keys.SIGNING_KEYS_PARTITION)
    }


def listings_in_state(state: str) -> Condition:
    """Listings of programs in ``state`` (a filter on a page of an affiliate's listings)."""
    return Condition("#d_state = :d_state", {"#d_state": "state"}, {":d_state": state})
