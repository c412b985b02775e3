"""The notifier's own records in the table: a person's notification preferences and the
addresses that bounced or complained (suppressions); and the other services' records a message
is built from, read as stored (the facts decide, never the event).

Preferences are one record per person, in their own partition, replaced whole at the version
read (a person's own record: the last save wins); everyone's are read in one batch when a
message goes out. A suppression is one record per address, created once (a second bounce
changes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
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


# =========================================================================== what messages show
def program(table: Table, program_id: str) -> Record | None:
    return table.get(keys.program(program_id))


def cycle(table: Table, cycle_id: str) -> Record | None:
    return table.get(keys.cycle(cycle_id))


def badge(table: Table, badge_id: str) -> Record | None:
    return table.get(keys.badge(badge_id))


def cycles_among(table: Table, cycle_ids: Iterable[str]) -> list[Record]:
    """Those of the cycles that exist, in one consistent batch."""
    return table.batch_get([keys.cycle(c) for c in cycle_ids])


def programs_among(table: Table, program_ids: Iterable[str]) -> list[Record]:
    """Those of the programs that exist, in one consistent batch."""
    return table.batch_get([keys.program(p) for p in program_ids])


def affiliates_among(table: Table, affiliate_ids: Iterable[str]) -> list[Record]:
    """Those of the affiliates that exist, in one consistent batch."""
    return table.batch_get([keys.affiliate(a) for a in affiliate_ids])


def meeting_copies(table: Table, cycle_id: str, sequence: int) -> Iterator[Record]:
    """The review meeting as kept for ``sequence``, then the meeting as it is now: each read
    only when the one before it is not wanted (the caller stops at the first that fits)."""
    for key in (keys.review_meeting_version(cycle_id, sequence), keys.review_meeting(cycle_id)):
        record = table.get(key)
        if record is not None:
            yield record


def goal_with_set(table: Table, cycle_id: str, goal_id: str) -> tuple[Record, Record]:
    """The goal and its plan's goal set as stored (empty when there is none), read apart."""
    goal = table.get(keys.plan_goal(cycle_id, goal_id)) or {}
    return goal, table.get(keys.plan_goal_set(cycle_id)) or {}


def membership(table: Table, user_id: str, program_id: str) -> Record | None:
    """The person's membership of the program, if it exists."""
    return table.get(keys.membership(user_id, "program", program_id))


def invitation(table: Table, user_id: str, program_id: str) -> Record | None:
    """The person's invitation to the program, if it exists."""
    return table.get(keys.invitation(user_id, "program", program_id))


def national_membership(table: Table, user_id: str) -> Record | None:
    """The person's national staff membership, if it exists (a research export's requester)."""
    return table.get(keys.membership(user_id, "national", None))


def research_export(table: Table, export_id: str) -> Record | None:
    """A research export's record (its state and row count)."""
    return table.get(keys.research_export(export_id))


def research_export_file(export_id: str, name: str) -> str:
    """The research export's file in the reports bucket (not a table key)."""
    return keys.research_export_file(export_id, name)


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
