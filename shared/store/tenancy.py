"""Membership records: the caller's tenancy, read with one query per request, and a
program's or an affiliate's members as typed :class:`MembershipRecord` s (the directory)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from shared import keys
from shared.adapters.table import Table
from shared.identity import Caller, Claims, Membership, caller_from


def membership_of(item: dict[str, Any]) -> Membership:
    return Membership(
        scope=str(item["scope"]),
        scope_id=item.get("scope_id"),
        grants=frozenset(item.get("grants") or ()),
    )


def load_caller(table: Table, claims: Claims) -> Caller:
    """The caller with its memberships: one query on the user's partition."""
    items = table.query_all(keys.user_partition(claims.sub), sk_prefix=keys.MEMBER_PREFIX)
    return caller_from(claims, [membership_of(i) for i in items])


#: The role a membership gives (``shared.identity.Role``, less the anonymous caller's).
StaffRole = Literal["program-staff", "affiliate-staff", "national-staff"]
_STAFF_ROLES: tuple[StaffRole, ...] = ("program-staff", "affiliate-staff", "national-staff")


def _staff_role(value: object) -> StaffRole:
    for role in _STAFF_ROLES:
        if role == value:
            return role
    raise ValueError(f"{value!r} is not a staff role")


@dataclass(frozen=True)
class MembershipRecord:
    """A stored membership, typed: who belongs to which program or affiliate, in which role.
    ``item`` is the record as read."""

    user_id: str
    email: str
    role: StaffRole
    scope: str
    scope_id: str | None
    version: int
    item: dict[str, Any] = field(repr=False, compare=False)

    @property
    def key(self) -> dict[str, str]:
        return membership_key(self.user_id, self.scope, self.scope_id)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> MembershipRecord:
        return cls(
            user_id=str(item["user_id"]),
            email=str(item["email"]),
            role=_staff_role(item["role"]),
            scope=str(item["scope"]),
            scope_id=item.get("scope_id"),
            version=int(item.get("version", 0)),
            item=dict(item),
        )


def membership_key(user_id: str, scope: str, scope_id: str | None) -> dict[str, str]:
    return keys.membership(user_id, scope, scope_id)


def memberships_of_user(table: Table, user_id: str) -> list[MembershipRecord]:
    """Every membership of the user (one query of the user's partition)."""
    items = table.query_all(keys.user_partition(user_id), sk_prefix=keys.MEMBER_PREFIX)
    return [MembershipRecord.from_item(i) for i in items]


def get_membership(
    table: Table, user_id: str, scope: str, scope_id: str | None
) -> MembershipRecord | None:
    item = table.get(membership_key(user_id, scope, scope_id))
    return MembershipRecord.from_item(item) if item is not None else None


def members_of(table: Table, scope: str, scope_id: str) -> list[MembershipRecord]:
    """The active members of a program or an affiliate (its pending invitations are not)."""
    found = table.query_all(keys.members_index_pk(scope, scope_id), index=keys.GSI1)
    return [MembershipRecord.from_item(m) for m in found if m.get("type") == "membership"]


def memberships_among(
    table: Table, user_ids: Iterable[str], scopes: Iterable[tuple[str, str]]
) -> list[MembershipRecord]:
    """The memberships that exist of any of ``user_ids`` in any of ``scopes`` (scope, id), in
    one consistent batch."""
    wanted = [membership_key(u, scope, sid) for u in user_ids for scope, sid in scopes]
    return [MembershipRecord.from_item(m) for m in table.batch_get(wanted)] if wanted else []
