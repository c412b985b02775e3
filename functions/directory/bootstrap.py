"""Create the first national admin of a new deployment.

    TABLE_NAME=... USER_POOL_ID=... EVENT_BUS_NAME=... AWS_REGION=... \\
        python -m functions.directory.bootstrap --email admin@mentoring.example --name "Ada Admin"

The user is created in the pool (Cognito's invitation email is suppressed; set a password with
``aws cognito-idp admin-set-user-password`` or let the user reset it), put in the
national-staff group, and given a national membership with the admin and results grants.
Running it again for the same email changes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import uuid

from functions.directory import records
from shared.adapters import users
from shared.adapters.table import default_table
from shared.context import system_context
from shared.errors import AlreadyExists
from shared.events import MemberInvited, new_event
from shared.identity import ANONYMOUS, Grant, Role
from shared.store.audit import audit_entry


def create_national_admin(email: str, name: str) -> str:
    """Returns the admin's user id (the Cognito ``sub``)."""
    email = email.strip().lower()
    pool_user = users.ensure_user(email, name, Role.NATIONAL_STAFF.value)
    ctx = system_context("bootstrapNationalAdmin", f"bootstrap-{uuid.uuid4()}", ANONYMOUS)
    uow = default_table().unit_of_work()
    uow.create(
        records.membership_item(
            user_id=pool_user.user_id,
            email=email,
            name=name,
            role=Role.NATIONAL_STAFF.value,
            scope="national",
            scope_id=None,
            invited_by="bootstrap",
            grants=[Grant.ADMIN.value, Grant.RESULTS.value],
        ),
        what="Membership",
    )
    uow.append(
        audit_entry(
            ctx,
            "change",
            scope="national",
            scope_id="national",
            target=f"member:{pool_user.user_id}",
        )
    )
    uow.emit(
        new_event(
            MemberInvited(
                user_id=pool_user.user_id,
                role="national-staff",
                scope="national",
                scope_id=None,
                new_user=pool_user.created,
            ),
            actor=ctx.actor,
            correlation_id=ctx.correlation_id,
        )
    )
    with contextlib.suppress(AlreadyExists):  # already an admin: nothing to do
        uow.commit()
    return pool_user.user_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create the first national admin.")
    parser.add_argument("--email", required=True)
    parser.add_argument("--name", required=True)
    args = parser.parse_args(argv)
    user_id = create_national_admin(args.email, args.name)
    print(f"national admin {args.email}: user id {user_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
