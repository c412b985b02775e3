"""Who receives a message: read from the directory's membership records, never from an event.

Program staff are the program's members; affiliate staff are the members of each affiliate
serving the program (read from the program record, so nobody outside the program and its
affiliates is ever a recipient). Each recipient carries the zone their times are shown in:
their own (their preferences), or else the affiliate's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from functions.notify import store
from shared.adapters.table import Table
from shared.store.tenancy import members_of

Record = dict[str, Any]


class Audience(StrEnum):
    #: Every staff member of the event's program (membership records of the program).
    PROGRAM_STAFF = "program staff"
    #: Staff of every affiliate serving the program (primary and secondary).
    AFFILIATE_STAFF = "affiliate staff"
    #: The person invited to a program (a new account, or an existing one asked to join).
    INVITEE = "invitee"
    #: Staff of the one affiliate the digest is for.
    DIGEST_AFFILIATE_STAFF = "staff of the digest's affiliate"
    #: The national staff member who asked for it (a research export).
    REQUESTER = "requester"


class Preference(StrEnum):
    """What a recipient may turn off (or, for the digest, on) of the optional messages."""

    REMINDERS = "reminders"  # on unless turned off
    DIGEST = "digest"  # off unless turned on (opt-in)


#: Whether an optional message is sent to someone who never chose.
DEFAULTS: Mapping[Preference, bool] = {Preference.REMINDERS: True, Preference.DIGEST: False}


@dataclass(frozen=True)
class Recipient:
    user_id: str
    email: str
    name: str
    #: The affiliate whose name and contact the message shows (theirs, or the program's primary).
    affiliate_id: str


def program_staff(table: Table, program: Record) -> list[Recipient]:
    primary = str(program["primary_affiliate_id"])
    return _unique(
        Recipient(m.user_id, m.email, str(m.item.get("name") or ""), primary)
        for m in members_of(table, "program", str(program["program_id"]))
    )


def affiliate_staff(table: Table, affiliate_ids: list[str]) -> list[Recipient]:
    return _unique(
        Recipient(m.user_id, m.email, str(m.item.get("name") or ""), affiliate_id)
        for affiliate_id in affiliate_ids
        for m in members_of(table, "affiliate", affiliate_id)
    )


def _unique(recipients: Any) -> list[Recipient]:
    """One message per person and per address (a person on two affiliates gets one)."""
    seen: set[str] = set()
    kept = []
    for r in recipients:
        for mark in (r.user_id, r.email.casefold()):
            if mark in seen:
                break
        else:
            seen.update({r.user_id, r.email.casefold()})
            kept.append(r)
    return kept


@dataclass(frozen=True)
class Preferences:
    reminders: bool = DEFAULTS[Preference.REMINDERS]
    digest: bool = DEFAULTS[Preference.DIGEST]
    time_zone: str | None = None

    def wants(self, preference: Preference | None) -> bool:
        if preference is None:
            return True  # not optional
        return bool(getattr(self, preference.value))

    @classmethod
    def of(cls, record: Record | None) -> Preferences:
        if record is None:
            return cls()
        return cls(
            reminders=bool(record.get("reminders", DEFAULTS[Preference.REMINDERS])),
            digest=bool(record.get("digest", DEFAULTS[Preference.DIGEST])),
            time_zone=record.get("time_zone") or None,
        )


def preferences(table: Table, user_ids: list[str]) -> dict[str, Preferences]:
    """Everyone's preferences in one batch read (a missing record is the defaults)."""
    return {
        u: Preferences.of(stored) for u, stored in store.preferences_of(table, user_ids).items()
    }


def suppressed(table: Table, emails: list[str]) -> set[str]:
    """The addresses (case-folded) that bounced or complained."""
    return {str(r["email"]).casefold() for r in store.suppressions_of(table, emails)}
