"""Invitations in the table: read as typed :class:`StoredInvitation` s, written at the version read.

An invitation of an existing account to a tenant lives in the account's own partition, beside
(not among) its memberships (``shared/keys/directory.py``), one per tenant: it gives no access
until accepted. A caller reads only its own (:func:`invitations_of`); the inviter finds the one
of an account and tenant (:func:`get_invitation`). Inviting again rewrites a declined one at its
version (:func:`save_invitation`); accepting or declining settles it at the version read
(:func:`settle_invitation`); a transaction cancelled on it is found with :func:`on_invitation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from shared import keys
from shared.adapters.table import ConditionFailed, Table, UnitOfWork

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


# =========================================================================== reads
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
    """``invitation`` accepted or declined in ``uow``, if it is still at the version read."""
    return uow.replace(
        {**invitation.item, "status": status.value},
        expected_version=invitation.version,
        what=WHAT,
    )


def on_invitation(failed: ConditionFailed, user_id: str, scope: str, scope_id: str) -> bool:
    """Whether ``failed`` is the condition on the account's invitation to the tenant."""
    return failed.on(invitation_key(user_id, scope, scope_id))
