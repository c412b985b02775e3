"""Keys of the directory service: affiliates, programs, memberships, invitations."""

from __future__ import annotations

from shared.keys.base import Key


def affiliate(affiliate_id: str) -> Key:
    return {"pk": f"AFFILIATE#{affiliate_id}", "sk": "AFFILIATE"}


def affiliate_name_guard(name: str) -> Key:
    """Makes affiliate names unique (case-insensitive)."""
    return {"pk": f"AFFILIATE_NAME#{name.strip().casefold()}", "sk": "GUARD"}


AFFILIATES_INDEX_PK = "AFFILIATES"


def program(program_id: str) -> Key:
    return {"pk": f"PROGRAM#{program_id}", "sk": "PROGRAM"}


def program_service(program_id: str, affiliate_id: str) -> Key:
    """The link 'affiliate serves program' (primary or secondary), indexed by affiliate."""
    return {"pk": f"PROGRAM#{program_id}", "sk": f"SERVED_BY#{affiliate_id}"}


def programs_of_affiliate_index_pk(affiliate_id: str) -> str:
    return f"AFFILIATE#{affiliate_id}#PROGRAMS"


def user_partition(user_id: str) -> str:
    return f"USER#{user_id}"


MEMBER_PREFIX = "MEMBER#"


def membership(user_id: str, scope: str, scope_id: str | None) -> Key:
    suffix = scope.upper() if scope_id is None else f"{scope.upper()}#{scope_id}"
    return {"pk": user_partition(user_id), "sk": MEMBER_PREFIX + suffix}


INVITATION_PREFIX = "INVITATION#"


def invitation(user_id: str, scope: str, scope_id: str) -> Key:
    """An invitation of an existing account to a tenant: in the holder's partition, beside
    (not among) its memberships, so it gives no access until accepted; one per tenant."""
    return {"pk": user_partition(user_id), "sk": f"{INVITATION_PREFIX}{scope.upper()}#{scope_id}"}


def members_index_pk(scope: str, scope_id: str) -> str:
    return f"{scope.upper()}#{scope_id}#MEMBERS"


def members_index(scope: str, scope_id: str, email: str, user_id: str) -> Key:
    """Where a member, or a person invited and not yet answered, is listed among a program's
    or an affiliate's members: by address."""
    return {"gsi1pk": members_index_pk(scope, scope_id), "gsi1sk": f"{email}#{user_id}"}
