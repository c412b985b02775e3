"""The single DynamoDB table: reads, and a unit of work that commits in one transaction.

Every write goes through :class:`UnitOfWork`: creates are conditional on the key not existing,
updates and deletes on the integer ``version`` the writer read, and domain events are written
as outbox items in the same ``TransactWriteItems`` call, so a state change and its event are
committed together or not at all. AWS errors come out as :mod:`shared.errors`.

A failed condition is reported, not decided here: :meth:`UnitOfWork.commit` raises a
:class:`ConditionFailed` naming the operation (:class:`FailedOp`: its kind, what it writes,
its key) and carrying the item as stored. Each kind is also the plain domain error a caller
gets when nobody maps it (409 already exists, 409 version conflict, 404 not found); the
repository or use case that knows better catches it and raises its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from shared import clock
from shared.adapters import aws
from shared.adapters.retry import TRANSIENT
from shared.errors import (
    AlreadyExists,
    Conflict,
    DomainError,
    NotFound,
    ServiceBusy,
    VersionConflict,
)
from shared.keys import INDEX_KEYS

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from shared.events import Envelope

Item = dict[str, Any]
Key = dict[str, str]

MAX_TRANSACTION_ITEMS = 100
_BUSY_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
}


def _serializer() -> Any:
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer()


def _deserializer() -> Any:
    from boto3.dynamodb.types import TypeDeserializer

    return TypeDeserializer()


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; ours are integers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return {_plain(v) for v in value}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_ddb(item: Mapping[str, Any]) -> dict[str, Any]:
    ser = _serializer()
    return {k: ser.serialize(v) for k, v in item.items() if v is not None}


def from_ddb(item: Mapping[str, Any]) -> Item:
    de = _deserializer()
    return {k: _plain(de.deserialize(v)) for k, v in item.items()}


def key_of(item: Mapping[str, Any]) -> Key:
    return {"pk": item["pk"], "sk": item["sk"]}


def update_expression(
    set_values: Mapping[str, Any], remove: Sequence[str] = ()
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """An UpdateExpression setting and removing top-level fields, every name a placeholder
    (field names may be reserved words or hold any character). A ``None`` value removes the
    field, as items are written without their ``None`` fields."""
    remove = [*remove, *(name for name, value in set_values.items() if value is None)]
    set_values = {name: value for name, value in set_values.items() if value is not None}
    names = {f"#s{i}": name for i, name in enumerate(set_values)}
    names.update({f"#r{i}": name for i, name in enumerate(remove)})
    values = {f":s{i}": value for i, value in enumerate(set_values.values())}
    clauses = []
    if set_values:
        clauses.append("SET " + ", ".join(f"#s{i} = :s{i}" for i in range(len(set_values))))
    if remove:
        clauses.append("REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove))))
    return " ".join(clauses), names, values


@dataclass(frozen=True)
class Page:
    items: list[Item]
    last_key: Key | None


def _raise_busy_or_reraise(exc: Exception) -> None:
    if aws.error_code(exc) in _BUSY_CODES:
        raise ServiceBusy("The data store is busy; retry shortly.") from exc
    raise exc


class Table:
    """Reads of the single table. Writes go through :meth:`unit_of_work`."""

    def __init__(self, name: str, client: DynamoDBClient) -> None:
        self.name = name
        self.client = client

    # -- reads ---------------------------------------------------------------------------
    def get(self, key: Key, *, consistent: bool = True) -> Item | None:
        try:
            response = self.client.get_item(
                TableName=self.name, Key=to_ddb(key), ConsistentRead=consistent
            )
        except Exception as exc:
            _raise_busy_or_reraise(exc)
            raise
        raw = response.get("Item")
        return from_ddb(raw) if raw else None

    def require(self, key: Key, what: str) -> Item:
        item = self.get(key)
        if item is None:
            raise NotFound(f"{what} not found.")
        return item

    def query(
        self,
        pk: str,
        *,
        sk_prefix: str | None = None,
        index: str | None = None,
        limit: int | None = None,
        start_key: Key | None = None,
        forward: bool = True,
        consistent: bool = False,
        where: Condition | None = None,
    ) -> Page:
        """One page. ``where`` filters the page DynamoDB read (a page may come back short, or
        empty with a cursor: the limit counts items read, not items kept)."""
        pk_name, sk_name = ("pk", "sk") if index is None else INDEX_KEYS[index]
        names = {"#pk": pk_name}
        values: dict[str, Any] = {":pk": pk}
        condition = "#pk = :pk"
        if sk_prefix is not None:
            names["#sk"] = sk_name
            values[":sk"] = sk_prefix
            condition += " AND begins_with(#sk, :sk)"
        if where is not None:
            names.update(where.names)
            values.update(where.values)
        kwargs: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_ddb(values),
            "ScanIndexForward": forward,
        }
        if where is not None:
            kwargs["FilterExpression"] = where.expression
        if index is not None:
            kwargs["IndexName"] = index
        else:
            kwargs["ConsistentRead"] = consistent
        if limit is not None:
            kwargs["Limit"] = limit
        if start_key is not None:
            kwargs["ExclusiveStartKey"] = to_ddb(start_key)
        try:
            response = self.client.query(**kwargs)
        except Exception as exc:
            _raise_busy_or_reraise(exc)
            raise
        last = response.get("LastEvaluatedKey")
        return Page(
            items=[from_ddb(i) for i in response.get("Items", [])],
            last_key={k: str(v) for k, v in from_ddb(last).items()} if last else None,
        )

    def query_all(
        self, pk: str, *, sk_prefix: str | None = None, index: str | None = None
    ) -> list[Item]:
        items: list[Item] = []
        start: Key | None = None
        while True:
            page = self.query(
                pk, sk_prefix=sk_prefix, index=index, start_key=start, consistent=index is None
            )
            items.extend(page.items)
            if page.last_key is None:
                return items
            start = page.last_key

    def batch_get(self, keys: Sequence[Key]) -> list[Item]:
        """Items for ``keys`` (missing ones are left out), in the order of ``keys``."""
        wanted = [dict(k) for k in {(k["pk"], k["sk"]): k for k in keys}.values()]
        found: dict[tuple[str, str], Item] = {}
        for start in range(0, len(wanted), 100):
            pending: list[dict[str, Any]] = [to_ddb(k) for k in wanted[start : start + 100]]

            def read_pending() -> None:
                nonlocal pending
                try:
                    response = self.client.batch_get_item(
                        RequestItems={self.name: {"Keys": pending, "ConsistentRead": True}}
                    )
                except Exception as exc:
                    _raise_busy_or_reraise(exc)
                    raise
                for raw in response.get("Responses", {}).get(self.name, []):
                    item = from_ddb(raw)
                    found[(item["pk"], item["sk"])] = item
                unprocessed: dict[str, Any] = dict(response.get("UnprocessedKeys") or {})
                pending = list((unprocessed.get(self.name) or {}).get("Keys", []))
                if pending:  # throttled: the keys left are read again
                    raise ServiceBusy("The data store is busy; retry shortly.")

            TRANSIENT.run(read_pending)
        return [found[(k["pk"], k["sk"])] for k in keys if (k["pk"], k["sk"]) in found]

    def set_fields(
        self,
        key: Key,
        *,
        set_values: Mapping[str, Any],
        remove: Sequence[str] = (),
    ) -> bool:
        """Bookkeeping update of an existing unversioned record (outbox state); False if absent."""
        expression, names, values = update_expression(set_values, remove)
        try:
            self.client.update_item(
                TableName=self.name,
                Key=to_ddb(key),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=to_ddb(values),
            )
        except Exception as exc:
            if aws.error_code(exc) == "ConditionalCheckFailedException":
                return False
            _raise_busy_or_reraise(exc)
            raise
        return True

    def append(self, item: Item) -> None:
        """Write one append-only record on its own (a read's audit entry): one conditional
        PutItem, half the cost of a one-item transaction."""
        try:
            self.client.put_item(
                TableName=self.name,
                Item=to_ddb(item),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except Exception as exc:
            _raise_busy_or_reraise(exc)
            raise

    def unit_of_work(self, *, actor_id: str | None = None) -> UnitOfWork:
        return UnitOfWork(self, actor_id=actor_id)


@dataclass(frozen=True)
class Condition:
    """A condition expression with its placeholders, to combine with a write's own."""

    expression: str
    names: Mapping[str, str]
    values: Mapping[str, Any]


class OpKind(StrEnum):
    """What a transaction's operation does, and so what its condition guards."""

    CREATE = "create"  # the key is free
    REPLACE = "replace"  # the stored item is at the version read
    DELETE = "delete"  # the stored item is at the version read
    CHECK = "check"  # a condition on an item this transaction does not write
    CHECK_VERSION = "check version"  # an item this transaction does not write is at a version


@dataclass(frozen=True)
class FailedOp:
    """The operation whose condition failed, with the item as stored (None if absent)."""

    kind: OpKind
    what: str
    key: Key
    stored: Item | None

    def on(self, key: Mapping[str, str]) -> bool:
        return self.key["pk"] == key["pk"] and self.key["sk"] == key["sk"]


def stale_detail(what: str, version: Any) -> str:
    """What a 409 says of a record changed by someone else, now at ``version``."""
    return (
        f"{what} was changed by someone else (now at version {version}). "
        "Reload it, apply your change again and resend with the current version."
    )


def stale(what: str, stored: Item, current: Any) -> VersionConflict:
    """The 409 for a write at a version ``stored`` is no longer at, found before writing;
    ``current`` is the caller's view of ``stored``."""
    version = stored.get("version")
    return VersionConflict(stale_detail(what, version), current=current, current_version=version)


class ConditionFailed(DomainError):
    """A transaction cancelled by one operation's condition: ``op`` says which, and carries
    the stored item. Raised as one of the subclasses below, each the domain error a caller
    sees when the repository or use case does not map it to its own."""

    op: FailedOp

    @classmethod
    def of(cls, op: FailedOp) -> ConditionFailed:
        if op.kind is OpKind.CREATE:
            return ItemExists(f"{op.what} already exists.", op)
        if op.stored is None:
            return ItemMissing(f"{op.what} not found.", op)
        if op.kind is OpKind.CHECK:
            return CheckFailed(f"{op.what} changed meanwhile; reload and retry.", op)
        version = op.stored.get("version")
        return StaleVersion(
            stale_detail(op.what, version), op, current=None, current_version=version
        )

    def __init__(self, detail: str, op: FailedOp, **extensions: Any) -> None:
        super().__init__(detail, **extensions)
        self.op = op

    def on(self, key: Mapping[str, str]) -> bool:
        """Whether the failed operation is the one on ``key``."""
        return self.op.on(key)

    @property
    def stored(self) -> Item | None:
        return self.op.stored


class ItemExists(ConditionFailed, AlreadyExists):
    """A create whose key is taken."""


class ItemMissing(ConditionFailed, NotFound):
    """A versioned write (or a check) of an item that is not stored."""


class StaleVersion(ConditionFailed, VersionConflict):
    """A versioned write of an item stored at another version (or, with a condition of the
    write's own, no longer meeting it)."""

    def showing(self, current: Any) -> VersionConflict:
        """The same 409 carrying ``current``, the caller's view of the stored item."""
        return VersionConflict(self.detail, **{**self.extensions, "current": current})


class CheckFailed(ConditionFailed, Conflict):
    """A condition on an item the transaction does not write no longer holds."""


@dataclass
class _Op:
    request: dict[str, Any]
    kind: OpKind | None  # None: append-only or unconditional, never expected to fail
    what: str
    key: Key


def version_condition(expected_version: int) -> Condition:
    """The stored item is at ``expected_version``."""
    return Condition("#v = :v", {"#v": "version"}, {":v": expected_version})


@dataclass
class UnitOfWork:
    """Collects writes and outbox events; :meth:`commit` sends them as one transaction."""

    table: Table
    actor_id: str | None = None
    ops: list[_Op] = field(default_factory=list)
    events: list[Envelope] = field(default_factory=list)
    _updates: dict[tuple[str, str], tuple[_Op, dict[str, Any], list[str]]] = field(
        default_factory=dict, repr=False
    )

    def _add(
        self,
        action: str,
        request: dict[str, Any],
        kind: OpKind | None,
        what: str,
        key: Key,
        condition: Condition | None = None,
    ) -> _Op:
        request = {"TableName": self.table.name, **request}
        if condition is not None:
            request["ConditionExpression"] = condition.expression
            if condition.names:
                request["ExpressionAttributeNames"] = dict(condition.names)
            if condition.values:
                request["ExpressionAttributeValues"] = to_ddb(condition.values)
        if kind is not None:
            request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        op = _Op({action: request}, kind, what, key)
        self.ops.append(op)
        return op

    def create(self, item: Item, *, what: str, expired_before: int | None = None) -> Item:
        """Put a new item; if its key is taken, the commit raises :class:`ItemExists`.

        With ``expired_before`` (epoch seconds), an item whose ``expires_at`` is older counts
        as absent: DynamoDB's TTL deletes expired items only eventually."""
        stamped = {"version": 1, "created_at": clock.now_iso(), **item}
        condition = Condition("attribute_not_exists(pk)", {}, {})
        if expired_before is not None:
            condition = Condition(
                "attribute_not_exists(pk) OR #exp < :exp",
                {"#exp": "expires_at"},
                {":exp": expired_before},
            )
        self._add("Put", {"Item": to_ddb(stamped)}, OpKind.CREATE, what, key_of(item), condition)
        return stamped

    def replace(
        self,
        item: Item,
        *,
        expected_version: int,
        what: str,
        condition: Condition | None = None,
    ) -> Item:
        """Write ``item`` over the stored one if it is still at ``expected_version`` (and
        ``condition`` holds, when given); else the commit raises :class:`StaleVersion` (or
        :class:`ItemMissing`)."""
        stamped = {**item, "version": expected_version + 1, "updated_at": clock.now_iso()}
        guard = version_condition(expected_version)
        if condition is not None:
            guard = Condition(
                f"{guard.expression} AND ({condition.expression})",
                {**guard.names, **condition.names},
                {**guard.values, **condition.values},
            )
        self._add("Put", {"Item": to_ddb(stamped)}, OpKind.REPLACE, what, key_of(item), guard)
        return stamped

    def save_at_version(self, item: Item, *, expected_version: int, what: str) -> Item:
        """Create ``item`` (``expected_version`` 0: someone else's is never overwritten) or
        replace the stored one at that version."""
        if not expected_version:
            return self.create(item, what=what)
        return self.replace(item, expected_version=expected_version, what=what)

    def delete(self, key: Key, *, expected_version: int, what: str) -> None:
        self._add(
            "Delete",
            {"Key": to_ddb(key)},
            OpKind.DELETE,
            what,
            dict(key),
            version_condition(expected_version),
        )

    def update_fields(
        self, key: Key, *, set_values: Mapping[str, Any], remove: Sequence[str] = ()
    ) -> None:
        """Set (and remove) top-level fields of a derived record, unconditionally: for records
        kept in line with a record this transaction guards (a cycle's review-queue entries),
        so that guard is their only condition. Creates the record if it is missing."""
        if not set_values and not remove:
            return
        # A transaction touches an item once: a second update of the same record in this unit
        # of work joins the first (its fields win).
        slot = (key["pk"], key["sk"])
        pending = self._updates.get(slot)
        if pending is None:
            op = _Op({"Update": {}}, None, "derived record", dict(key))
            self.ops.append(op)
            pending = self._updates[slot] = (op, {}, [])
        op, fields, removed = pending
        fields.update(set_values)
        removed.extend(name for name in remove if name not in removed)
        removed[:] = [name for name in removed if name not in fields]
        expression, names, values = update_expression(fields, removed)
        update: dict[str, Any] = {
            "TableName": self.table.name,
            "Key": to_ddb(key),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
        }
        if values:
            update["ExpressionAttributeValues"] = to_ddb(values)
        op.request["Update"] = update

    def add_numbers(self, key: Key, deltas: Mapping[str, int]) -> None:
        """Add to number fields of a derived record (``ADD``: a missing field or record starts
        at 0), unconditionally: for counters kept in line with a record this transaction
        guards (a cycle's contribution to the aggregates), so that guard is their only
        condition. Concurrent additions never lose one another."""
        deltas = {name: delta for name, delta in deltas.items() if delta}
        if not deltas:
            return
        if any(op.key == key for op in self.ops):
            raise ValueError("a transaction writes a record once: add its numbers in one call")
        names = {f"#a{i}": name for i, name in enumerate(deltas)}
        values = {f":a{i}": delta for i, delta in enumerate(deltas.values())}
        update = {
            "TableName": self.table.name,
            "Key": to_ddb(key),
            "UpdateExpression": "ADD " + ", ".join(f"#a{i} :a{i}" for i in range(len(deltas))),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_ddb(values),
        }
        op = _Op({"Update": update}, None, "derived counters", dict(key))
        self.ops.append(op)

    def check(self, key: Key, condition: Condition, *, what: str) -> None:
        """Commit only if ``condition`` holds for the item at ``key`` (it is not written);
        else the commit raises :class:`CheckFailed` (or :class:`ItemMissing`)."""
        self._add("ConditionCheck", {"Key": to_ddb(key)}, OpKind.CHECK, what, dict(key), condition)

    def check_exists(self, key: Key, *, what: str) -> None:
        """Commit only if an item is stored at ``key``; else :class:`ItemMissing`."""
        self.check(key, Condition("attribute_exists(pk)", {}, {}), what=what)

    def check_absent(self, key: Key, *, what: str) -> None:
        """Commit only if no item is stored at ``key``; else :class:`CheckFailed`."""
        self.check(key, Condition("attribute_not_exists(pk)", {}, {}), what=what)

    def check_version(self, key: Key, expected_version: int, *, what: str) -> None:
        """Commit only if the item at ``key`` is still at ``expected_version`` (it is not
        written); else the commit raises :class:`StaleVersion` (or :class:`ItemMissing`)."""
        condition = version_condition(expected_version)
        self._add(
            "ConditionCheck", {"Key": to_ddb(key)}, OpKind.CHECK_VERSION, what, dict(key), condition
        )

    def append(self, item: Item) -> None:
        """Append-only records (audit entries): a new key every time, never overwritten."""
        self._add(
            "Put",
            {"Item": to_ddb(item)},
            None,
            "append-only record",
            key_of(item),
            Condition("attribute_not_exists(pk)", {}, {}),
        )

    def emit(self, event: Envelope) -> None:
        """Record a domain event; it becomes an outbox item of this transaction."""
        from shared.store.outbox import outbox_item

        self.events.append(event)
        self.append(outbox_item(event))

    def commit(self) -> None:
        """Send the transaction. A failed condition raises :class:`ConditionFailed` for the
        first operation whose condition failed."""
        if not self.ops:
            return
        if len(self.ops) > MAX_TRANSACTION_ITEMS:
            raise ValueError(f"a transaction holds at most {MAX_TRANSACTION_ITEMS} items")
        try:
            self.table.client.transact_write_items(TransactItems=[op.request for op in self.ops])  # type: ignore[misc]
        except Exception as exc:
            if aws.error_code(exc) == "TransactionCanceledException":
                raise self._cancellation_error(exc) from exc
            _raise_busy_or_reraise(exc)
            raise
        finally:
            self.ops = []
            self._updates = {}

    def _cancellation_error(self, exc: Exception) -> DomainError:
        response: dict[str, Any] = getattr(exc, "response", None) or {}
        reasons: list[dict[str, Any]] = response.get("CancellationReasons", [])
        for op, reason in zip(self.ops, reasons, strict=False):
            if reason.get("Code") == "ConditionalCheckFailed":
                stored = from_ddb(reason["Item"]) if reason.get("Item") else None
                if op.kind is None:
                    raise RuntimeError(
                        "an append-only record collided with an existing key"
                    ) from exc
                return ConditionFailed.of(FailedOp(op.kind, op.what, op.key, stored))
        codes = {reason.get("Code") for reason in reasons}
        if codes & (_BUSY_CODES | {"TransactionConflict"}):
            return ServiceBusy("A concurrent change is in progress; retry shortly.")
        raise exc


def each_chunk(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@cache
def default_table() -> Table:
    """The process's table adapter (settings + the cached client)."""
    from shared.adapters import aws
    from shared.settings import FunctionSettings, get_settings

    return Table(get_settings(FunctionSettings).table_name, aws.dynamodb())
