"""The directory's records in the table: affiliates, their name guard, members' lists, the
programs an affiliate serves, and invitations (typed :class:`StoredInvitation` s, written at the
version read).

An affiliate is one record (``AFFILIATE#<id>``), listed by name through ``gsi1`` for national
staff, its name held unique by a guard record. A program's and an affiliate's members (and
people invited) are listed through the members index; the programs an affiliate serves through
its programs' index, by name.

An invitation of an existing account to a tenant lives in the account's own partition, beside
(not among) its memberships (``shared/keys/directory.py``), one per tenant: it gives no access
until accepted. A caller reads only its own (:func:`invitations_of`); the inviter finds the one
of an account and tenant (:func:`get_invitation`). Inviting again rewrites a declined one at its
version (:func:`save_invitation`); accepting or declining settles it at the version read
(:func:`settle_invitation`); a transaction cancelled on it is found with :func:`on_invitation`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from shared import keys
from shared.adapters.table import ConditionFailed, Key, Page, Table, UnitOfWork
from shared.store.pagination import (
    Listed,
    PageRequest,
    in_index_partition,
    list_page,
    start_key_attributes,
)

WHAT = "Invitation"
Record = dict[str, Any]


#: What an account may be invited to (national staff are created, never invited).
InvitedTo = Literal["program", "affiliate"]


def _invited_to(value: object) -> InvitedTo:
    if value == "program":
        return "program"
    if value == "affiliate":
        return "affiliate"
    raise ValueError(f"{value!r} is not a scope an account is invited to")


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class StoredInvitation:
    """A stored invitation, typed. ``item`` is the record as read (the views show it; settling
    writes it back with its new status)."""

    invitation_id: str
    user_id: str
    email: str
    name: str
    role: str
    scope: InvitedTo
    scope_id: str
    status: InvitationStatus
    invited_by: str
    affiliate_ids: tuple[str, ...]
    program_id: str | None
    created_at: str
    version: int
    item: Record = field(repr=False, compare=False)

    @property
    def key(self) -> dict[str, str]:
        return invitation_key(self.user_id, self.scope, self.scope_id)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> StoredInvitation:
        return cls(
            invitation_id=str(item["invitation_id"]),
            user_id=str(item["user_id"]),
            email=str(item["email"]),
            name=str(item["name"]),
            role=str(item["role"]),
            scope=_invited_to(item["scope"]),
            scope_id=str(item["scope_id"]),
            status=InvitationStatus(item["status"]),
            invited_by=str(item["invited_by"]),
            affiliate_ids=tuple(str(a) for a in item.get("affiliate_ids") or ()),
            program_id=item.get("program_id"),
            created_at=str(item.get("created_at", "")),
            version=int(item.get("version", 0)),
            item=dict(item),
        )


def invitation_key(user_id: str, scope: str, scope_id: str) -> dict[str, str]:
    return keys.invitation(user_id, scope, scope_id)


# =========================================================================== affiliates
AFFILIATE = "Affiliate"


def get_affiliate(table: Table, affiliate_id: str) -> Record:
    """The affiliate as stored, or 404 "Affiliate not found."."""
    return table.require(keys.affiliate(affiliate_id), AFFILIATE)


def affiliates_among(table: Table, affiliate_ids: Iterable[str]) -> list[Record]:
    """Those of the affiliates that exist, in one consistent batch."""
    return table.batch_get([keys.affiliate(a) for a in affiliate_ids])


def affiliates_page(table: Table, page: PageRequest) -> Listed[Record]:
    """A page of every affiliate, by name (one query of the affiliates' index partition)."""
    scope = keys.AFFILIATES_INDEX_PK
    return list_page(table, scope, scope, page, index=keys.GSI1)


def hold_name(uow: UnitOfWork, name: str, affiliate_id: str) -> None:
    """The affiliate's name taken in ``uow``: a second affiliate of that name fails the commit."""
    uow.create(
        {**keys.affiliate_name_guard(name), "type": "guard", "affiliate_id": affiliate_id},
        what=f"An affiliate named {name!r}",
    )


def require_affiliates(uow: UnitOfWork, affiliate_ids: Iterable[str]) -> None:
    """``uow`` commits only if each affiliate exists (checked, not written)."""
    for affiliate_id in affiliate_ids:
        uow.check_exists(keys.affiliate(affiliate_id), what=AFFILIATE)


def unknown_affiliate(failed: ConditionFailed, affiliate_ids: Iterable[str]) -> str | None:
    """The affiliate whose check (:func:`require_affiliates`) failed, if one did."""
    return next((a for a in affiliate_ids if failed.on(keys.affiliate(a))), None)


# =========================================================================== programs
def on_program(failed: ConditionFailed, program_id: str) -> bool:
    """Whether ``failed`` is the condition on the program's record."""
    return failed.on(keys.program(program_id))


def programs_among(table: Table, program_ids: Iterable[str]) -> list[Record]:
    """Those of the programs that exist, in one consistent batch."""
    return table.batch_get([keys.program(p) for p in program_ids])


#: What a position inside an affiliate's programs is: a start key of the programs' index.
PROGRAMS_START_KEY = start_key_attributes(keys.GSI1)


def served_programs(table: Table, affiliate_id: str, *, limit: int, start: Key | None) -> Page:
    """A page of the programs the affiliate serves (their links), by name, from ``start``."""
    return table.query(
        keys.programs_of_affiliate_index_pk(affiliate_id),
        index=keys.GSI1,
        limit=limit,
        start_key=start,
    )


def in_served_programs(start: Mapping[str, Any], affiliate_id: str) -> bool:
    """Whether a position lies among the programs the affiliate serves."""
    return in_index_partition(start, keys.programs_of_affiliate_index_pk(affiliate_id))


# =========================================================================== members
def members_page(table: Table, scope: str, scope_id: str, page: PageRequest) -> Listed[Record]:
    """A page of a program's or an affiliate's members and invited people, by address."""
    partition = keys.members_index_pk(scope, scope_id)
    return list_page(table, partition, partition, page, index=keys.GSI1)


# =========================================================================== invitations
def get_invitation(
    table: Table, user_id: str, scope: str, scope_id: str
) -> StoredInvitation | None:
    """The account's invitation to the tenant, if it ever had one (whatever its status)."""
    item = table.get(invitation_key(user_id, scope, scope_id))
    return StoredInvitation.from_item(item) if item is not None else None


def invitations_of(table: Table, user_id: str) -> list[StoredInvitation]:
    """Every invitation the account holds (one query of its own partition)."""
    found = table.query_all(keys.user_partition(user_id), sk_prefix=keys.INVITATION_PREFIX)
    return [StoredInvitation.from_item(i) for i in found]


# =========================================================================== writes
def save_invitation(
    uow: UnitOfWork, record: Record, existing: StoredInvitation | None, *, now: str
) -> Record:
    """A new invitation written in ``uow``: created if the account never had one, else over
    ``existing`` (declined, or accepted then left) at the version read, invited anew at
    ``now``."""
    if existing is None:
        return uow.create(record, what=WHAT)
    return uow.replace({**record, "created_at": now}, expected_version=existing.version, what=WHAT)


def settle_invitation(
    uow: UnitOfWork, invitation: StoredInvitation, status: InvitationStatus
) -> Record:
    """``invitation`` accepted or declined in ``uow``, if it is still at the version read. It
    leaves the tenant's members list: an accepted one's membership takes its place."""
    listed = keys.INDEX_KEYS[keys.GSI1]
    settled = {k: v for k, v in invitation.item.items() if k not in listed}
    return uow.replace(
        {**settled, "status": status.value},
        expected_version=invitation.version,
        what=WHAT,
    )


def withdraw_invitation(uow: UnitOfWork, invitation: StoredInvitation) -> None:
    """``invitation`` deleted in ``uow``, if it is still at the version read (not answered)."""
    uow.delete(invitation.key, expected_version=invitation.version, what=WHAT)


def on_invitation(failed: ConditionFailed, user_id: str, scope: str, scope_id: str) -> bool:
    """Whether ``failed`` is the condition on the account's invitation to the tenant."""
    return failed.on(invitation_key(user_id, scope, scope_id))
