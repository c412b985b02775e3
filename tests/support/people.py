"""People and records the integration tests make directly: national staff with grants (as the
admin's bootstrap records them), and the audit entries an operation wrote."""

from __future__ import annotations

import uuid

from functions.directory import records as directory_records
from shared.adapters.table import default_table
from shared.identity import Grant, Role
from tests.support.lambdas import User, table_items


def national(*grants: Grant) -> User:
    """National staff with exactly these grants (as the admin's bootstrap records them)."""
    user_id, email = str(uuid.uuid4()), f"n-{'-'.join(grants) or 'none'}@mentor.example"
    uow = default_table().unit_of_work()
    uow.create(
        directory_records.membership_item(
            user_id=user_id,
            email=email,
            name="Nat",
            role=Role.NATIONAL_STAFF.value,
            scope="national",
            scope_id=None,
            invited_by="test",
            grants=[g.value for g in grants],
        ),
        what="Membership",
    )
    uow.commit()
    return User(user_id, email, ["national-staff"])


def audit_entries(operation: str) -> list[dict[str, str]]:
    return [
        {k: str(next(iter(v.values()))) for k, v in i.items()}
        for i in table_items()
        if i.get("type", {}).get("S") == "audit" and i["operation"]["S"] == operation
    ]
