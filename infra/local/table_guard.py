"""IAM for the table, locally: a function's DynamoDB calls checked against its role's policy.

moto does not enforce IAM, so a function whose template policy lacks an action or a key prefix
its code uses would work locally and fail in AWS with AccessDenied. The local stack hands each
execution environment the table statements of its role (resolved from the template) in
``NQMS_LOCAL_TABLE_POLICY``; :func:`install` makes every DynamoDB call the function makes go
through :meth:`TableGuard.check` first, which refuses what the statements do not allow as AWS
would (``AccessDeniedException``).

What it evaluates, as IAM does for DynamoDB: ``Allow`` statements (there are no ``Deny`` ones in
the template), actions with wildcards, the table and index ARNs, and the condition
``ForAllValues:StringLike`` on ``dynamodb:LeadingKeys`` (the partition key of each item a write
touches; a transaction is checked item by item, as IAM checks each action it holds).

Standard library only: in artifact mode the execution environment runs isolated from the source
tree and loads this file by its path (infra/local/execution_environment.py).
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

POLICY_VARIABLE = "NQMS_LOCAL_TABLE_POLICY"
#: Optional: a file each checked request is appended to (JSON lines), to see what a function's
#: code really uses, e.g. before narrowing its policy.
RECORD_VARIABLE = "NQMS_LOCAL_TABLE_CALLS"
TABLE_ARN_VARIABLE = "NQMS_LOCAL_TABLE_ARN"
LEADING_KEYS = "dynamodb:LeadingKeys"

#: The single-item operations and the partition key attribute of their request.
_SINGLE = {"GetItem": "Key", "PutItem": "Item", "UpdateItem": "Key", "DeleteItem": "Key"}
#: TransactWriteItems entries -> the action IAM checks for each.
_TRANSACT = {
    "Put": ("dynamodb:PutItem", "Item"),
    "Update": ("dynamodb:UpdateItem", "Key"),
    "Delete": ("dynamodb:DeleteItem", "Key"),
    "ConditionCheck": ("dynamodb:ConditionCheckItem", "Key"),
}


class AccessDenied(Exception):
    """What the call would get from AWS: no statement allows it."""

    def __init__(self, action: str, resource: str, leading_keys: Sequence[str]) -> None:
        keys = f" for partition keys {list(leading_keys)}" if leading_keys else ""
        super().__init__(
            f"not authorized to perform: {action} on resource: {resource}{keys} because no "
            "identity-based policy allows it (local check of the function's template policy)"
        )
        self.action = action
        self.resource = resource


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _partition_value(key: Mapping[str, Any]) -> str:
    """The ``pk`` of a low-level DynamoDB key or item ({"pk": {"S": "..."}})."""
    value = key.get("pk", {})
    return str(value.get("S", "")) if isinstance(value, Mapping) else str(value)


class TableGuard:
    """Decides DynamoDB calls for one function from its role's statements."""

    def __init__(self, statements: Sequence[Mapping[str, Any]], table_arn: str) -> None:
        self.statements = [s for s in statements if s.get("Effect") == "Allow"]
        self.table_arn = table_arn
        self.record_to: str | None = None
        self.function = ""

    def allows(self, action: str, resource: str, leading_keys: Sequence[str] = ()) -> bool:
        return any(
            self._statement_allows(s, action, resource, leading_keys) for s in self.statements
        )

    def requests(
        self, operation: str, params: Mapping[str, Any]
    ) -> list[tuple[str, str, list[str]]]:
        """The (action, resource, leading keys) IAM checks for one call."""
        table = self.table_arn
        if operation in _SINGLE:
            key = params.get(_SINGLE[operation], {})
            return [(f"dynamodb:{operation}", table, [_partition_value(key)])]
        if operation in ("Query", "Scan"):
            index = params.get("IndexName")
            resource = f"{table}/index/{index}" if index else table
            return [(f"dynamodb:{operation}", resource, [])]
        if operation == "BatchGetItem":
            return [("dynamodb:BatchGetItem", table, [])]
        if operation == "TransactWriteItems":
            checks = []
            for entry in params.get("TransactItems", []):
                for kind, (action, field) in _TRANSACT.items():
                    if kind in entry:
                        checks.append((action, table, [_partition_value(entry[kind][field])]))
            return checks
        return [(f"dynamodb:{operation}", table, [])]

    def check(self, operation: str, params: Mapping[str, Any]) -> None:
        for action, resource, leading_keys in self.requests(operation, params):
            allowed = self.allows(action, resource, leading_keys)
            if self.record_to:
                line = [self.function, action, resource.removeprefix(self.table_arn), leading_keys]
                with open(self.record_to, "a", encoding="utf-8") as record:
                    record.write(json.dumps([*line, allowed]) + "\n")
            if not allowed:
                raise AccessDenied(action, resource, leading_keys)

    @staticmethod
    def _statement_allows(
        statement: Mapping[str, Any], action: str, resource: str, leading_keys: Sequence[str]
    ) -> bool:
        actions = _as_list(statement.get("Action", []))
        if not any(fnmatch.fnmatchcase(action, pattern) for pattern in actions):
            return False
        resources = _as_list(statement.get("Resource", []))
        if not any(fnmatch.fnmatchcase(resource, pattern) for pattern in resources):
            return False
        condition = statement.get("Condition", {})
        for operator, tests in condition.items():
            if operator != "ForAllValues:StringLike" or set(tests) != {LEADING_KEYS}:
                return False  # a condition this guard does not know: refuse, never guess
            patterns = _as_list(tests[LEADING_KEYS])
            if not all(any(fnmatch.fnmatchcase(k, p) for p in patterns) for k in leading_keys):
                return False
        return True


def install(environ: Mapping[str, str] = os.environ) -> TableGuard | None:
    """Check every DynamoDB call of this process (boto3's default session) against the policy
    in ``environ``; nothing when the stack gave none."""
    raw = environ.get(POLICY_VARIABLE)
    if not raw:
        return None
    guard = TableGuard(json.loads(raw), environ[TABLE_ARN_VARIABLE])
    guard.record_to = environ.get(RECORD_VARIABLE) or None
    guard.function = environ.get("AWS_LAMBDA_FUNCTION_NAME", "")

    import boto3
    from botocore.exceptions import ClientError

    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    session.events.register("before-parameter-build.dynamodb", _checker(guard, ClientError))
    return guard


def _checker(guard: TableGuard, client_error: Any) -> Any:
    def check(params: Mapping[str, Any], model: Any, **_: Any) -> None:
        try:
            guard.check(model.name, params)
        except AccessDenied as exc:
            raise client_error(
                {"Error": {"Code": "AccessDeniedException", "Message": str(exc)}}, model.name
            ) from None

    return check
