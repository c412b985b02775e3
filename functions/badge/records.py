"""Badge records in the single table. Pure.

A badge copies what a partner may see (the program's public name, its primary affiliate's
name, level, dates) so that verifying it reads no program or assessment record; the
confidential results stay where they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from functions.badge.rules import Level, expiry_day, notice_days
from shared import keys
from shared.events import SYSTEM, Envelope, EventData, new_event

Record = dict[str, Any]


@dataclass(frozen=True)
class BadgeTerms:
    """What the renewal rule decides a badge's status from: a stored badge's, or a partner
    directory row's (a listed badge is neither revoked nor superseded)."""

    cycle_id: str
    program_id: str
    affiliate_id: str
    valid_until: date
    revoked: bool = False
    superseded: bool = False

    @classmethod
    def of_item(cls, item: Mapping[str, Any]) -> BadgeTerms:
        return cls(
            cycle_id=str(item["cycle_id"]),
            program_id=str(item["program_id"]),
            affiliate_id=str(item["affiliate_id"]),
            valid_until=date.fromisoformat(str(item["valid_until"])),
            revoked=bool(item.get("revoked")),
            superseded=bool(item.get("superseded_by")),
        )


@dataclass(frozen=True)
class StoredBadge:
    """A stored badge, typed. ``item`` is the record as read: a change writes it back with its
    fields, and the listing and the events copy from it."""

    badge_id: str
    level: Level
    cycle_id: str
    program_id: str
    program_name: str
    affiliate_id: str
    #: Every affiliate serving the program when the badge was issued (the primary first).
    affiliate_ids: tuple[str, ...]
    affiliate_name: str
    affiliate_url: str | None
    #: The issuing affiliate's state (the partner directory's state filter), if it has one.
    state: str | None
    issued_at: str
    valid_from: date
    valid_until: date
    revoked: bool
    revoked_at: str | None
    superseded: bool
    #: The day the expiry job marked it expired, if it did.
    expired_on: str | None
    verify_token: str
    credential_jwt: str | None
    credential_base: str | None
    credential_format: int | None
    version: int
    item: Record = field(repr=False, compare=False)

    @property
    def key(self) -> dict[str, str]:
        return keys.badge(self.badge_id)

    @property
    def terms(self) -> BadgeTerms:
        return BadgeTerms(
            self.cycle_id,
            self.program_id,
            self.affiliate_id,
            self.valid_until,
            self.revoked,
            self.superseded,
        )

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> StoredBadge:
        return cls(
            badge_id=str(item["badge_id"]),
            level=Level(item["level"]),
            cycle_id=str(item["cycle_id"]),
            program_id=str(item["program_id"]),
            program_name=str(item["program_name"]),
            affiliate_id=str(item["affiliate_id"]),
            affiliate_ids=tuple(str(a) for a in item["affiliate_ids"]),
            affiliate_name=str(item["affiliate_name"]),
            affiliate_url=item.get("affiliate_url"),
            state=item.get("state") or None,
            issued_at=str(item["issued_at"]),
            valid_from=date.fromisoformat(str(item["valid_from"])),
            valid_until=date.fromisoformat(str(item["valid_until"])),
            revoked=bool(item.get("revoked")),
            revoked_at=item.get("revoked_at"),
            superseded=bool(item.get("superseded_by")),
            expired_on=item.get("expired_on") or None,
            verify_token=str(item["verify_token"]),
            credential_jwt=item.get("credential_jwt"),
            credential_base=item.get("credential_base"),
            credential_format=_int(item.get("credential_format")),
            version=int(item.get("version", 0)),
            item=dict(item),
        )


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def badge_record(
    *,
    badge_id: str,
    level: Level,
    cycle: Record,
    program: Record,
    affiliate: Record,
    valid_until: date,
    issued_at: str,
    verify_token: str,
) -> Record:
    return {
        **keys.badge(badge_id),
        "type": "badge",
        "badge_id": badge_id,
        "level": level.value,
        "cycle_id": cycle["cycle_id"],
        "program_id": program["program_id"],
        "program_name": program["name"],
        "affiliate_id": affiliate["affiliate_id"],
        # Every affiliate serving the program (the cycle's copy): whom its events concern.
        "affiliate_ids": list(cycle["affiliate_ids"]),
        "affiliate_name": affiliate["name"],
        "state": affiliate.get("state"),  # the partner directory's state filter
        "review_date": cycle["review_date"],
        "issued_at": issued_at,
        "valid_from": issued_at[:10],
        "valid_until": valid_until.isoformat(),
        "revoked": False,
        "superseded_by": None,
        "verify_token": verify_token,
        "gsi1pk": keys.badges_of_program_index_pk(program["program_id"]),
        "gsi1sk": f"{issued_at}#{badge_id}",
    }


def due_record(badge_id: str, kind: str, day: date) -> Record:
    """What the expiry job does for a badge on ``day``, found by day in the sparse index and
    deleted once acted on."""
    return {
        **keys.badge_due(badge_id, day.isoformat(), kind),
        "type": "badge_due",
        "badge_id": badge_id,
        "kind": kind,
        "day": day.isoformat(),
        "gsi1pk": keys.badges_due_index_pk(day.isoformat()),
        "gsi1sk": badge_id,
    }


@dataclass(frozen=True)
class BadgeDue:
    """A stored due record: the badge to look at, on which day, for what (``expire`` or
    ``notice-<days>``)."""

    badge_id: str
    day: str
    kind: str

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> BadgeDue:
        return cls(badge_id=str(item["badge_id"]), day=str(item["day"]), kind=str(item["kind"]))


def due_records(badge_id: str, valid_until: date, today: date) -> list[Record]:
    """The dates the expiry job acts on for a new badge: its notices still ahead, and the day
    it expires."""
    dates: Iterable[tuple[str, date]] = [
        *((f"notice-{days}", day) for days, day in notice_days(valid_until).items()),
        ("expire", expiry_day(valid_until)),
    ]
    return [due_record(badge_id, kind, day) for kind, day in dates if day > today]


def revocation_record(affiliate_id: str, badge_id: str, revoked_at: str) -> Record:
    """The badge on its issuer's public revocation list (the credential's status)."""
    return {
        **keys.issuer_revocation(affiliate_id, badge_id),
        "type": "badge_revocation",
        "badge_id": badge_id,
        "revoked_at": revoked_at,
    }


def link_claims(badge_id: str, program_id: str, level: Level) -> dict[str, str]:
    """What a verification link binds (with the key id in its header): no dates, so the link
    never expires by itself; the status is read when it is followed."""
    return {"bid": badge_id, "pid": program_id, "lvl": level.value}


def badge_event(subject: Record, data: EventData, correlation_id: str) -> Envelope:
    """An event of the badge service about ``subject`` (a badge, or the cycle that earns one),
    addressed to its program and every affiliate serving it."""
    return new_event(
        data,
        actor=SYSTEM,
        correlation_id=correlation_id,
        affiliate_ids=list(subject["affiliate_ids"]),
        program_id=subject["program_id"],
        cycle_id=subject["cycle_id"],
    )


#: The index attributes a program's listing carries only while it is listed (sparse).
LISTING_INDEX_KEYS = list(keys.INDEX_KEYS[keys.GSI1])


def listing_index_keys(scope: str, sort_key: str) -> Record:
    """A listed program's place in the directory partition ``scope``, ordered by ``sort_key``."""
    pk, sk = keys.INDEX_KEYS[keys.GSI1]
    return {pk: keys.quality_programs_index_pk(scope), sk: sort_key}
