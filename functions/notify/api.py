"""The notification API's use cases: a user's own preferences, an affiliate's suppressions."""

from __future__ import annotations

from functions.notify import recipients, store
from functions.notify.models import Preferences, PreferencesIn, Suppression, SuppressionList
from shared.access import relations_in_general, relations_to_affiliate
from shared.adapters.table import Table
from shared.context import Context
from shared.errors import Unauthenticated
from shared.store.affiliates import affiliate_exists, require_affiliate
from shared.store.pagination import PageRequest, Position, decode_cursor, encode_cursor
from shared.store.programs import programs_served_by
from shared.store.tenancy import members_of


def _me(ctx: Context) -> str:
    ctx.authorize(relations_in_general(ctx.caller))
    if not ctx.caller.user_id:
        raise Unauthenticated("No user in the token.")
    return ctx.caller.user_id


def get_preferences(ctx: Context, table: Table) -> Preferences:
    record = store.get_preferences(table, _me(ctx))
    chosen = recipients.Preferences.of(record)
    return Preferences(
        reminders=chosen.reminders,
        digest=chosen.digest,
        time_zone=chosen.time_zone,
        version=int((record or {}).get("version", 0)),
    )


def save_preferences(ctx: Context, table: Table, body: PreferencesIn) -> Preferences:
    """The whole set replaces the stored one (a person's own record: last save wins)."""
    user_id = _me(ctx)
    stored = store.get_preferences(table, user_id)
    uow = table.unit_of_work(actor_id=user_id)
    saved = store.save_preferences(uow, user_id, body.model_dump(), stored)
    uow.commit()
    return Preferences.model_validate(saved)


def list_suppressions(
    ctx: Context, table: Table, affiliate_id: str, page: PageRequest
) -> SuppressionList:
    """Suppressed addresses among the affiliate's staff and the staff of the programs it serves
    (nobody else's), by address: what an affiliate needs to fix an address that bounces.

    Paged like every list: the cursor is the last address of the page (signed for this
    affiliate's list), and the next page looks only at the addresses after it."""
    ctx.authorize(
        relations_to_affiliate(ctx.caller, affiliate_id),
        what="Affiliate",
        exists=lambda: affiliate_exists(table, affiliate_id),
    )
    require_affiliate(table, affiliate_id)
    scope = f"mail-suppressions:{affiliate_id}"
    position = decode_cursor(scope, page.cursor, _is_suppressions_position)
    after = position["after"] if position else ""
    people = members_of(table, "affiliate", affiliate_id)
    for program_id in programs_served_by(table, affiliate_id):
        people += members_of(table, "program", program_id)
    emails = [e for e in sorted({p.email.casefold() for p in people}) if e > after]
    found: list[Suppression] = []
    for start in range(0, len(emails), _LOOKUPS_PER_BATCH):
        batch = emails[start : start + _LOOKUPS_PER_BATCH]
        found += [Suppression.model_validate(s) for s in store.suppressions_of(table, batch)]
        if len(found) >= page.limit:
            break
    items = found[: page.limit]
    last = items[-1].email.casefold() if items else ""
    more = len(found) >= page.limit and emails[-1] > last
    return SuppressionList(
        items=items,
        next=encode_cursor(scope, {"after": last}) if more else None,
    )


#: Addresses looked up per request to the table while filling a page (one BatchGetItem).
_LOOKUPS_PER_BATCH = 100


def _is_suppressions_position(position: Position) -> bool:
    after = position.get("after")
    return set(position) == {"after"} and isinstance(after, str) and bool(after)
