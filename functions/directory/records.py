"""Directory records in the single table, and their API views. Pure."""

from __future__ import annotations

import uuid
from typing import Any

from functions.directory.models import (
    Affiliate,
    AffiliateIn,
    Invitation,
    Member,
    Program,
    ProgramIn,
    ProgramSummary,
)
from shared import keys
from shared.adapters.table import Key, key_of

Item = dict[str, Any]


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def _sort_name(name: str) -> str:
    return name.casefold()


def affiliate_item(affiliate_id: str, body: AffiliateIn) -> Item:
    return {
        **keys.affiliate(affiliate_id),
        "type": "affiliate",
        "affiliate_id": affiliate_id,
        "name": body.name,
        "state": body.state,
        "time_zone": body.time_zone,
        "contact_email": body.contact_email,
        "default_due_weeks": body.default_due_weeks,
        "renewal_grace_months": body.renewal_grace_months,
        "gsi1pk": keys.AFFILIATES_INDEX_PK,
        "gsi1sk": f"{_sort_name(body.name)}#{affiliate_id}",
    }


def affiliate_view(item: Item) -> Affiliate:
    return Affiliate.model_validate(item)


def program_item(program_id: str, body: ProgramIn, created_by: str) -> Item:
    return {
        **keys.program(program_id),
        "type": "program",
        "program_id": program_id,
        "name": body.name,
        "contact": body.contact.model_dump(exclude_none=True),
        "matching_since": body.matching_since.isoformat(),
        "primary_affiliate_id": body.primary_affiliate_id,
        "secondary_affiliate_ids": list(body.secondary_affiliate_ids),
        # Every service reads this to decide which affiliates' staff may see the program.
        "affiliate_ids": [body.primary_affiliate_id, *body.secondary_affiliate_ids],
        "created_by": created_by,
    }


def program_service_items(program: Item) -> list[Item]:
    """One link per serving affiliate, indexed so an affiliate lists its programs by name."""
    return [
        {
            **keys.program_service(program["program_id"], affiliate_id),
            "type": "program_service",
            "relation": "primary"
            if affiliate_id == program["primary_affiliate_id"]
            else "secondary",
            "program_id": program["program_id"],
            "name": program["name"],
            "matching_since": program["matching_since"],
            "primary_affiliate_id": program["primary_affiliate_id"],
            "gsi1pk": keys.programs_of_affiliate_index_pk(affiliate_id),
            "gsi1sk": f"{_sort_name(program['name'])}#{program['program_id']}",
        }
        for affiliate_id in program["affiliate_ids"]
    ]


def program_service_renames(program: Item) -> list[tuple[Key, Item]]:
    """For a renamed program: each link's key and the fields the new name changes (its name
    and its place in the affiliate's list by name)."""
    return [
        (key_of(link), {"name": link["name"], "gsi1sk": link["gsi1sk"]})
        for link in program_service_items(program)
    ]


def program_view(item: Item) -> Program:
    return Program.model_validate(item)


def program_summary(item: Item) -> ProgramSummary:
    return ProgramSummary.model_validate(item)


def membership_item(
    *,
    user_id: str,
    email: str,
    name: str,
    role: str,
    scope: str,
    scope_id: str | None,
    invited_by: str,
    grants: list[str] | None = None,
) -> Item:
    item: Item = {
        **keys.membership(user_id, scope, scope_id),
        "type": "membership",
        "user_id": user_id,
        "email": email,
        "name": name,
        "role": role,
        "scope": scope,
        "scope_id": scope_id,
        "invited_by": invited_by,
    }
    if grants:
        item["grants"] = sorted(grants)
    if scope_id is not None:
        item.update(keys.members_index(scope, scope_id, email, user_id))
    return item


def member_view(item: Item) -> Member:
    return Member.model_validate(item)


def invitation_item(
    *,
    user_id: str,
    email: str,
    name: str,
    role: str,
    scope: str,
    scope_id: str,
    scope_name: str,
    invited_by: str,
    affiliate_ids: list[str],
    program_id: str | None,
) -> Item:
    """A pending invitation of an existing account, listed among the tenant's members as
    pending until it is answered; the event ids ride along for accept."""
    item: Item = {
        **keys.invitation(user_id, scope, scope_id),
        **keys.members_index(scope, scope_id, email, user_id),
        "type": "invitation",
        "invitation_id": new_id("inv"),
        "status": "pending",
        "user_id": user_id,
        "email": email,
        "name": name,
        "role": role,
        "scope": scope,
        "scope_id": scope_id,
        "scope_name": scope_name,
        "invited_by": invited_by,
        "affiliate_ids": list(affiliate_ids),
    }
    if program_id is not None:
        item["program_id"] = program_id
    return item


def invitation_view(item: Item) -> Invitation:
    return Invitation.model_validate(item)


def pending_member_view(invitation: Item) -> Member:
    """What the inviter sees: the member-to-be, not yet effective."""
    return Member.model_validate({**invitation, "status": "pending"})
