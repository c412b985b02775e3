"""The notification API's use cases: a user's own preferences, an affiliate's suppressions."""

from __future__ import annotations

from functions.notify import recipients
from functions.notify.models import Preferences, PreferencesIn, Suppression, SuppressionList
from shared import keys
from shared.access import relations_in_general, relations_to_affiliate
from shared.adapters.table import Table
from shared.context import Context
from shared.errors import Unauthenticated


def _me(ctx: Context) -> str:
    ctx.authorize(relations_in_general(ctx.caller))
    if not ctx.caller.user_id:
        raise Unauthenticated("No user in the token.")
    return ctx.caller.user_id


def get_preferences(ctx: Context, table: Table) -> Preferences:
    record = table.get(keys.notification_preferences(_me(ctx)))
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
    stored = table.get(keys.notification_preferences(user_id))
    item = {
        **keys.notification_preferences(user_id),
        "type": "notification_preferences",
        "user_id": user_id,
        **body.model_dump(),
    }
    uow = table.unit_of_work(actor_id=user_id)
    if stored is None:
        saved = uow.create(item, what="Notification preferences")
    else:
        saved = uow.replace(
            item, expected_version=int(stored["version"]), what="Notification preferences"
        )
    uow.commit()
    return Preferences.model_validate(saved)


def list_suppressions(ctx: Context, table: Table, affiliate_id: str) -> SuppressionList:
    """Suppressed addresses among the affiliate's staff and the staff of the programs it serves
    (nobody else's): what an affiliate needs to fix an address that bounces."""
    ctx.authorize(
        relations_to_affiliate(ctx.caller, affiliate_id),
        what="Affiliate",
        exists=lambda: table.get(keys.affiliate(affiliate_id), consistent=False) is not None,
    )
    table.require(keys.affiliate(affiliate_id), "Affiliate")
    people = recipients.members(table, "affiliate", affiliate_id)
    programs = table.query_all(keys.programs_of_affiliate_index_pk(affiliate_id), index="gsi1")
    for program in programs:
        people += recipients.members(table, "program", str(program["program_id"]))
    emails = sorted({str(p["email"]).casefold() for p in people})
    found = table.batch_get([keys.mail_suppression(e) for e in emails])
    return SuppressionList(items=[Suppression.model_validate(s) for s in found])
