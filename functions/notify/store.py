"""The notifier's own records in the table: a person's notification preferences and the
addresses that bounced or complained (suppressions).

Preferences are one record per person, in their own partition, replaced whole at the version
read (a person's own record: the last save wins); everyone's are read in one batch when a
message goes out. A suppression is one record per address, created once (a second bounce
changes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared import keys
from shared.adapters.table import Table, UnitOfWork
from shared.store.lookup import batch_lookup

PREFERENCES = "Notification preferences"
Record = dict[str, Any]


# =========================================================================== preferences
def get_preferences(table: Table, user_id: str) -> Record | None:
    """The person's preferences as stored, if they ever saved any."""
    return table.get(keys.notification_preferences(user_id))


def preferences_of(table: Table, user_ids: Iterable[str]) -> dict[str, Record | None]:
    """Everyone's stored preferences (None: never saved), in one batch read."""
    wanted = list(user_ids)
    found = batch_lookup(table, [keys.notification_preferences(u) for u in wanted])
    return {u: found.get(keys.notification_preferences(u)) for u in wanted}


def save_preferences(
    uow: UnitOfWork, user_id: str, chosen: Mapping[str, Any], stored: Record | None
) -> Record:
    """The whole set written in ``uow`` over ``stored`` (at its version; None: created)."""
    item = {
        **keys.notification_preferences(user_id),
        "type": "notification_preferences",
        "user_id": user_id,
        **chosen,
    }
    if stored is None:
        return uow.create(item, what=PREFERENCES)
    return uow.replace(item, expected_version=int(stored["version"]), what=PREFERENCES)


# =========================================================================== suppressions
def suppressions_of(table: Table, emails: Iterable[str]) -> list[Record]:
    """The suppression records of those of ``emails`` that bounced or complained (one batch)."""
    return table.batch_get([keys.mail_suppression(e) for e in emails])


def suppress(
    uow: UnitOfWork, address: str, *, reason: str, message_id: str | None, at: str
) -> None:
    """``address`` suppressed in ``uow``: created once (a second time fails the commit)."""
    uow.create(
        {
            **keys.mail_suppression(address),
            "type": "mail_suppression",
            "email": address.casefold(),
            "reason": reason,
            "ses_message_id": message_id,
            "recorded_at": at,
        },
        what="Suppression",
    )
