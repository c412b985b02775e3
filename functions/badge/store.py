"""Badges in the table: read as typed :class:`~functions.badge.records.StoredBadge` s and
written back at the version read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from functions.badge.records import BadgeDue, Record, StoredBadge
from shared import keys
from shared.adapters.table import Condition, Table, UnitOfWork
from shared.store.affiliates import AffiliateRecord, require_affiliate
from shared.store.pagination import Listed, PageRequest, list_page

WHAT = "Badge"


def get_badge(table: Table, badge_id: str, *, consistent: bool = True) -> StoredBadge | None:
    item = table.get(keys.badge(badge_id), consistent=consistent)
    return StoredBadge.from_item(item) if item is not None else None


def badges_of_program(
    table: Table, program_id: str, *, newest_first: bool = True
) -> list[StoredBadge]:
    """Every badge of the program (through its index), newest first or in issue order."""
    found = table.query_all(keys.badges_of_program_index_pk(program_id), index=keys.GSI1)
    badges = [StoredBadge.from_item(b) for b in found]
    return sorted(badges, key=lambda b: b.issued_at, reverse=True) if newest_first else badges


def badges(table: Table, badge_ids: Iterable[str]) -> list[StoredBadge]:
    """Those of ``badge_ids`` that exist, in one consistent batch."""
    return [StoredBadge.from_item(b) for b in table.batch_get([keys.badge(b) for b in badge_ids])]


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


def signing_key_published(table: Table, kid: str) -> bool:
    """Whether the public key ``kid`` is where verification reads it."""
    return table.get(keys.signing_key(kid), consistent=False) is not None


def publish_signing_key(uow: UnitOfWork, jwk: Mapping[str, Any]) -> None:
    """The public key kept where verification reads it, in ``uow`` (created once)."""
    kid = str(jwk["kid"])
    uow.create(
        {**keys.signing_key(kid), "type": "signing_key", "jwk": dict(jwk)}, what="Signing key"
    )


def issuing_affiliate(table: Table, affiliate_id: str) -> AffiliateRecord:
    """The affiliate a badge is issued by (the badge copies its name and state), or 404."""
    return require_affiliate(table, affiliate_id)


def revocations_of(table: Table, affiliate_id: str) -> list[Record]:
    """The issuer's revocation list as stored: one record per badge it revoked."""
    return table.query_all(keys.issuer_revocations(affiliate_id))


def directory_page(
    table: Table, affiliate_id: str | None, state: str | None, page: PageRequest
) -> Listed[Record]:
    """A page of the directory by program name: one query of a sparse index partition (an
    affiliate's, a state's, or everyone's; an affiliate's filtered by ``state`` if given)."""
    if affiliate_id is not None:
        scope = keys.listing_scope_of_affiliate(affiliate_id)
    elif state is not None:
        scope = keys.listing_scope_of_state(state)
    else:
        scope = keys.LISTED_EVERYWHERE
    where = listings_in_state(state) if affiliate_id is not None and state is not None else None
    cursor_scope = f"quality-programs:{scope}:{state}"
    partition = keys.quality_programs_index_pk(scope)
    return list_page(table, cursor_scope, partition, page, index=keys.GSI1, where=where)


#: The expiry job's record of the last day it did (``shared/store/daily_jobs.py``).
EXPIRY_JOB = keys.badge_expiry_job()


def due_on(table: Table, day: date) -> list[BadgeDue]:
    """What the expiry job does on ``day`` (one query of the sparse index)."""
    found = table.query_all(keys.badges_due_index_pk(day.isoformat()), index=keys.GSI1)
    return [BadgeDue.from_item(i) for i in found]


def acted_on(uow: UnitOfWork, due: BadgeDue) -> None:
    """The due record deleted in ``uow``, if no other run deleted it first."""
    uow.delete(keys.badge_due(due.badge_id, due.day, due.kind), expected_version=1, what="Due date")
