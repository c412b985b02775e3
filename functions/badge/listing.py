"""The partner directory's listing of a program: kept in line with its badges.

A program is listed while it holds a badge that is neither revoked, superseded nor marked
expired; the listing shows its best such badge (Step 2 over Step 1, then the later
valid-until). Each way partners look programs up (everyone, each serving affiliate, the
affiliate's state) is one small record in the program's listing partition, carrying the
sparse ``gsi1`` keys of its directory partition only while the program is listed: a page of
the directory is one query, however many programs there are. Every write that changes a
badge's standing (issue, supersede, expire, revoke) rewrites the listing in the same
transaction, from the program's badges as that transaction leaves them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from functions.badge import records, store
from functions.badge.records import StoredBadge
from functions.badge.rules import Level
from shared import keys
from shared.adapters.table import Table, UnitOfWork
from shared.store.program_names import listing_sort_key

Record = dict[str, Any]

#: What a partner may see of a listed program (copied from its badge), and the index keys.
LISTED_FIELDS = (
    "badge_id",
    "level",
    "program_name",
    "affiliate_id",
    "affiliate_name",
    "state",
    "cycle_id",
    "valid_until",
    "verify_token",
)
_LEVEL_RANK = {Level.STEP_1: 1, Level.STEP_2: 2}


def standing(badge: StoredBadge) -> bool:
    """Whether a badge may be listed as far as its own record says (the renewal rule may still
    find it expired on a day past its valid-until: the directory checks those when read)."""
    return not (badge.revoked or badge.superseded or badge.expired_on)


def best_badge(badges: Iterable[StoredBadge]) -> StoredBadge | None:
    """The badge the directory shows for a program, or ``None`` when it is not listed."""
    candidates = [b for b in badges if standing(b)]
    if not candidates:
        return None
    return max(candidates, key=lambda b: (_LEVEL_RANK[b.level], b.valid_until))


def listing_scopes(badges: Iterable[StoredBadge]) -> list[str]:
    """Every directory partition a program's badges may list it in (stable order)."""
    scopes = [keys.LISTED_EVERYWHERE]
    for badge in badges:
        for affiliate_id in badge.affiliate_ids:
            scopes.append(keys.listing_scope_of_affiliate(affiliate_id))
        if badge.state:
            scopes.append(keys.listing_scope_of_state(badge.state))
    return list(dict.fromkeys(scopes))


def sort_key(program_name: str, program_id: str) -> str:
    """Directory order: by name, case-insensitively (then the id, so equal names both show)."""
    return listing_sort_key(program_name, program_id)


def keep_listed(uow: UnitOfWork, program_id: str, badges: Iterable[StoredBadge]) -> None:
    """Add to ``uow`` the program's listing as ``badges`` (all of its badges, as this
    transaction leaves them) make it: listed with its best badge where that badge's affiliates
    and state place it, and left out of every other directory partition it was ever in."""
    held = list(badges)
    best = best_badge(held)
    shown_in = set(listing_scopes([best])) if best is not None else set()
    for scope in listing_scopes(held):
        key = keys.quality_listing(program_id, scope)
        if scope not in shown_in or best is None:
            uow.update_fields(key, set_values={"listed": False}, remove=records.LISTING_INDEX_KEYS)
            continue
        shown = {name: best.item.get(name) for name in LISTED_FIELDS}
        uow.update_fields(
            key,
            set_values={
                **shown,
                "type": "quality_listing",
                "program_id": program_id,
                "listed": True,
                **records.listing_index_keys(scope, sort_key(best.program_name, program_id)),
            },
        )


def stored_badges(table: Table, program_id: str) -> list[StoredBadge]:
    """A program's badges as stored (its index partition: one query)."""
    return store.badges_of_program(table, program_id, newest_first=False)


def as_left(
    stored: Iterable[StoredBadge], changed: Iterable[Mapping[str, Any]]
) -> list[StoredBadge]:
    """A program's badges as a transaction will leave them: the stored ones, with ``changed``
    (created or rewritten in that transaction) in place of their stored versions."""
    found = {b.badge_id: b for b in stored}
    found.update({b.badge_id: b for b in map(StoredBadge.from_item, changed)})
    return list(found.values())
