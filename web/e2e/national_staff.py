"""A national staff member with no grant, for the browser tests (web/e2e/admin-stack.ts calls it).

The API has no way to invite national staff (the first admin comes from the operator's
bootstrap, ``functions.directory.bootstrap``), so this records one as the bootstrap does, but
with no admin or results grant, in the running local stack named by its state directory:

    .venv/bin/python web/e2e/national_staff.py STATE_DIR EMAIL PASSWORD
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from infra.local.aws import Endpoint
from infra.local.runtime import FunctionRuntime, patched_environ
from infra.local.stack import stack_environment
from infra.local.stackfile import running_stack_info

NAME = "Nora Nogrant"
DIRECTORY = "functions.directory."


def main(state_dir: str, email: str, password: str) -> None:
    info = running_stack_info(Path(state_dir))
    endpoint = Endpoint(info.moto_url, info.region, info.account_id)
    runtime = FunctionRuntime(info.functions, stack_environment(endpoint))
    functions = info.functions.values()
    directory = next(f.logical_id for f in functions if f.handler.startswith(DIRECTORY))
    with patched_environ(stack_environment(endpoint)), runtime.environment_of(directory):
        from functions.directory import records
        from shared.adapters import aws, users
        from shared.adapters.table import default_table

        pool_user = users.ensure_user(email, NAME, "national-staff")
        aws.cognito().admin_set_user_password(
            UserPoolId=info.user_pool_id, Username=email, Password=password, Permanent=True
        )
        uow = default_table().unit_of_work()
        uow.create(
            records.membership_item(
                user_id=pool_user.user_id,
                email=email,
                name=NAME,
                role="national-staff",
                scope="national",
                scope_id=None,
                invited_by="web-e2e",
                grants=[],
            ),
            what="Membership",
        )
        uow.commit()


if __name__ == "__main__":
    main(*sys.argv[1:4])
