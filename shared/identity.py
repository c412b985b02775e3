"""Who is calling: the verified token's claims plus the caller's membership records.

Pure. Cognito groups carry only the broad role; tenancy (which programs and affiliates) comes
from membership records in the table, never from the request or a user-writable attribute.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from shared.errors import Unauthenticated


class Role(StrEnum):
    PROGRAM_STAFF = "program-staff"
    AFFILIATE_STAFF = "affiliate-staff"
    NATIONAL_STAFF = "national-staff"
    ANONYMOUS = "anonymous"


class Grant(StrEnum):
    """What a national staff member was explicitly granted (not every national account)."""

    ADMIN = "admin"  # manage affiliates and their staff
    RESULTS = "results"  # see programs' confidential results


@dataclass(frozen=True)
class Membership:
    scope: str  # "program" | "affiliate" | "national"
    scope_id: str | None
    grants: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Caller:
    user_id: str | None
    email: str | None = None
    roles: frozenset[Role] = frozenset({Role.ANONYMOUS})
    memberships: tuple[Membership, ...] = ()

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def program_ids(self) -> frozenset[str]:
        return frozenset(
            m.scope_id for m in self.memberships if m.scope == "program" and m.scope_id
        )

    @property
    def affiliate_ids(self) -> frozenset[str]:
        return frozenset(
            m.scope_id for m in self.memberships if m.scope == "affiliate" and m.scope_id
        )

    @property
    def national_grants(self) -> frozenset[str]:
        grants: set[str] = set()
        for m in self.memberships:
            if m.scope == "national":
                grants |= m.grants
        return frozenset(grants)


ANONYMOUS = Caller(user_id=None)


@dataclass(frozen=True)
class Claims:
    sub: str
    email: str | None
    groups: frozenset[str] = field(default_factory=frozenset)


def parse_groups(raw: Any) -> frozenset[str]:
    """``cognito:groups`` as API Gateway hands it over: a string ("a,b" or "[a b]") or a list."""
    if raw is None or raw == "":
        return frozenset()
    if isinstance(raw, list | tuple):
        return frozenset(str(g) for g in raw)
    text = str(raw).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    parts = text.replace(",", " ").split()
    return frozenset(p for p in parts if p)


def claims_from_authorizer(authorizer: Mapping[str, Any] | None) -> Claims:
    """Claims from ``requestContext.authorizer`` (REST API, Cognito user pool authorizer)."""
    claims = (authorizer or {}).get("claims") or {}
    sub = claims.get("sub")
    if not sub:
        raise Unauthenticated("A valid bearer token is required.")
    if claims.get("token_use") not in (None, "id"):
        raise Unauthenticated("Use the ID token of your session.")
    return Claims(
        sub=str(sub), email=claims.get("email"), groups=parse_groups(claims.get("cognito:groups"))
    )


def roles_of(groups: Iterable[str]) -> frozenset[Role]:
    known = {r.value for r in Role} - {Role.ANONYMOUS.value}
    return frozenset(Role(g) for g in groups if g in known)


def caller_from(claims: Claims, memberships: Iterable[Membership]) -> Caller:
    return Caller(
        user_id=claims.sub,
        email=claims.email,
        roles=roles_of(claims.groups),
        memberships=tuple(memberships),
    )
