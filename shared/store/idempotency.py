"""Retry-safe writes: the ``Idempotency-Key`` header, on the shared table (Powertools).

The key is scoped to the caller, the method and the path; the body is the payload checked on
reuse. The same key with the same body replays the first response; with a different body it
is a 422 problem; while the first request is still running, a duplicate gets 409.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shared import clock
from shared.errors import (
    DomainError,
    IdempotencyKeyReused,
    InvalidRequest,
    RequestInProgress,
    ServiceBusy,
)

if TYPE_CHECKING:
    from shared.adapters.table import Table, UnitOfWork

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{8,128}$")
HEADER = "Idempotency-Key"

StoredResponse = dict[str, Any]  # {"status": int, "body": ..., "headers": {...}}


def validate_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not KEY_PATTERN.match(key):
        raise InvalidRequest(
            f"The {HEADER} header must be 8 to 128 characters of letters, digits, '.', '_', "
            "':' or '-' (a UUID is a good choice)."
        )
    return key


def run_once(
    *,
    key: str | None,
    caller_id: str,
    method: str,
    path: str,
    body: Any,
    operation: Callable[[], StoredResponse],
    lambda_context: Any = None,
) -> StoredResponse:
    """Run ``operation`` once per (caller, method, path, key); replay its stored response."""
    if key is None:
        return operation()
    from aws_lambda_powertools.utilities.idempotency import idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyPersistenceLayerError,
        IdempotencyValidationError,
    )

    def execute(request: dict[str, Any]) -> StoredResponse:
        return operation()

    config = _config()
    if lambda_context is not None:
        config.register_lambda_context(lambda_context)
    guarded = idempotent_function(
        execute,
        data_keyword_argument="request",
        persistence_store=_persistence(caller_id),
        config=config,
        key_prefix=f"{method} {path}",
    )
    try:
        result: StoredResponse = guarded(
            request={"key": key, "method": method, "path": path, "body": body}
        )
    except IdempotencyValidationError as exc:
        raise IdempotencyKeyReused(
            f"This {HEADER} was already used with a different request body. "
            "Use a new key for a new request."
        ) from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise RequestInProgress(
            f"A request with this {HEADER} is still being processed; retry in a moment."
        ) from exc
    except IdempotencyPersistenceLayerError as exc:
        raise ServiceBusy("Could not record the request; retry shortly.") from exc
    return result


_CONFIG: Any = None


def _config() -> Any:
    global _CONFIG
    if _CONFIG is None:
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

        from shared.settings import ApiSettings, get_settings

        _CONFIG = IdempotencyConfig(
            event_key_jmespath="[key, method, path]",
            payload_validation_jmespath="body",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=get_settings(ApiSettings).idempotency_ttl_seconds,
        )
    return _CONFIG


def _persistence(caller_id: str) -> Any:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from shared.adapters import aws
    from shared.settings import FunctionSettings, get_settings

    return DynamoDBPersistenceLayer(
        table_name=get_settings(FunctionSettings).table_name,
        key_attr="pk",
        sort_key_attr="sk",
        static_pk_value=f"IDEMPOTENCY#{caller_id}",
        expiry_attr="expires_at",
        boto3_client=aws.dynamodb(),
    )


# --------------------------------------------------------------------------- in the transaction
#: Sort-key prefix of records written in the operation's own transaction (Powertools' records
#: in the same partition start with the function name, so the two never collide).
JOINED_PREFIX = "JOINED#"


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Once:
    """An idempotency record that joins the operation's own transaction: the change and its
    stored response commit together or not at all, and the first run makes no request of its
    own (Powertools' record costs a PutItem before and an UpdateItem after).

    A retry runs the operation again: it fails (the change is done, or this record's condition
    cancels its transaction), and the stored response is replayed instead of that error."""

    key: dict[str, str]
    payload_hash: str
    status: int

    def join(self, uow: UnitOfWork, body: Any) -> None:
        """Add the record, holding ``body`` as the response, to ``uow`` (before its commit)."""
        from shared.settings import ApiSettings, get_settings

        now = int(clock.now().timestamp())
        uow.create(
            {
                **self.key,
                "type": "idempotency",
                "payload_hash": self.payload_hash,
                "response": json.dumps({"status": self.status, "body": body}),
                "expires_at": now + get_settings(ApiSettings).idempotency_ttl_seconds,
            },
            what="Idempotency record",
            expired_before=now,
        )

    def stored(self, table: Table) -> StoredResponse | None:
        """The first run's response, if it committed (and has not expired)."""
        record = table.get(self.key)
        if record is None or int(record["expires_at"]) < int(clock.now().timestamp()):
            return None
        if record["payload_hash"] != self.payload_hash:
            raise IdempotencyKeyReused(
                f"This {HEADER} was already used with a different request body. "
                "Use a new key for a new request."
            )
        response: StoredResponse = json.loads(record["response"])
        return response


def once(*, key: str, caller_id: str, method: str, path: str, body: Any, status: int) -> Once:
    """The record of ``key`` for this caller, method and path (scoped like ``run_once``)."""
    scope = _digest([method, path, key])
    return Once(
        key={"pk": f"IDEMPOTENCY#{caller_id}", "sk": JOINED_PREFIX + scope},
        payload_hash=_digest(body),
        status=status,
    )


def run_joined(
    once_: Once | None, table: Table, operation: Callable[[Once | None], StoredResponse]
) -> StoredResponse:
    """Run ``operation`` (which joins ``once_`` to its transaction); on a domain error, replay
    the stored response of a first run with the same key, if there is one."""
    try:
        return operation(once_)
    except DomainError as error:
        replay = once_.stored(table) if once_ is not None else None
        if replay is not None:
            return replay
        from shared.adapters.table import ConditionFailed

        if once_ is not None and isinstance(error, ConditionFailed) and error.on(once_.key):
            raise RequestInProgress(
                f"A request with this {HEADER} was already processed; retry to get its result."
            ) from error
        raise


def reset() -> None:
    global _CONFIG
    _CONFIG = None
