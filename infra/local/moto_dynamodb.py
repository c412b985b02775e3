"""Constant cost per write and atomic requests in moto's DynamoDB (pinned to moto 5.2.5).

moto 5.2.5 ``moto/dynamodb/models/__init__.py`` ``DynamoDBBackend.transact_write_items`` backs
up a transaction by deep-copying the whole table once per transaction item, and
``BaseModel.__new__`` (``moto/core/common_models.py``) keeps every copied item alive in
``instances_tracked``: a transaction costs time and memory in proportion to the table. The
replacement below keeps moto's logic but backs up only the items the transaction touches
(copies nobody tracks) and the length of each table's stream shard, and restores exactly those
on cancellation, so the table object (and a stream reader's iterator on it) stays the same.

moto 5.2.5 ``moto/dynamodb/models/table.py`` ``Table.query`` finds a partition's items by
walking every item of the table. :func:`query` hands it a view of the table whose
``all_items`` is the one partition, so a key query costs what its partition holds. (Queries of
a secondary index still walk the table: moto keeps no index.)

moto's server is threaded and moto has no locking, so two conditional writes could both pass
their condition. One re-entrant lock around each item request makes a request atomic, as a
DynamoDB conditional write or transaction is. It wraps the request handlers, not the backend,
because the handlers serialise ``Item`` objects that ``update_item`` mutates in place, and the
batch and transactional reads live in the handlers only.

Over a working day two more things grew without bound: ``BaseModel.__new__`` appends every
item and stream record ever created to its class's ``instances_tracked`` (used only by moto's
dashboard and S3's reset), and ``moto/dynamodbstreams/models.py`` keeps every shard iterator
each ``GetRecords`` hands out (about five a second for the outbox relay). DynamoDB's and its
streams' models stop being tracked, and iterators older than the 15 minutes AWS lets one live
are forgotten (:func:`get_records`).

``tests/unit/test_moto_dynamodb_pin.py`` fails when a moto upgrade changes the code replaced or
relied on here (:data:`PINNED`).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import inspect
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import moto
from moto.core.common_models import BaseModel
from moto.core.model_instances import model_data
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import StreamShard, Table
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.models import DynamoDBStreamsBackend, ShardIterator
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

MOTO_VERSION = "5.2.5"

# sha256 of inspect.getsource of moto's code this module replaces or relies on.
PINNED: dict[str, str] = {
    "DynamoDBBackend.transact_write_items": (
        "81db2cb7d94e39c90b3a2077e1f4bb41a449c558ef9b1b1e2910fdaa39978ad4"
    ),
    "Table.get_item": "b08e98fe37b7e5836afe03b010d637ef50df5dea6cbecd9cf8816eef326a21cd",
    "Table.delete_item": "1594f7b07616c8cb8cdf0fbf58d6f54eeac83f25d7ac7b14e832a08e10efd8f9",
    "Table.query": "002b4d00be6df07cf37f6cbe0132e5eb89455ae12a8e79b23db3fb492450f21e",
    "Table.all_items": "c80d2ee3c896acd0cab6ca35aaeae3ab3fb65858933f8a3403d4e027c240f31d",
    "StreamShard.add": "357dc6da267e5dd7d46e18ee25d14b232a98679677906a2f02e4d454d1f11e03",
    "BaseModel.__new__": "08cf0ef20e88029a2eb91949492ce3281001a34b98143db186239962ad379eec",
    "DynamoDBStreamsBackend.get_records": (
        "db8c6cb04430c08f76be9e6b3cc9317387643b4fee26f43071c5ac22e25d2b64"
    ),
    "DynamoDBStreamsBackend.get_shard_iterator": (
        "a0be676df0bfc9ef0fdb546a45df0f1510de564d215dcafffbd144a8f04219ef"
    ),
    "ShardIterator.get": "8932c0f7250e89963eef1e848bdd205a05c0f6ed94f526ed36ca9b7339442ace",
}

# Request handlers that read or write items; each runs whole under LOCK.
LOCKED_REQUESTS: dict[type, tuple[str, ...]] = {
    DynamoHandler: (
        "get_item",
        "put_item",
        "update_item",
        "delete_item",
        "query",
        "scan",
        "batch_get_item",
        "batch_write_item",
        "transact_get_items",
        "transact_write_items",
        "execute_statement",
        "execute_transaction",
        "batch_execute_statement",
    ),
    # A stream reader must not see the records of a transaction still in flight.
    DynamoDBStreamsHandler: ("get_shard_iterator", "get_records"),
}

LOCK = threading.RLock()

_MOTO_TRANSACT_WRITE_ITEMS = DynamoDBBackend.__dict__["transact_write_items"]
_MOTO_QUERY = Table.__dict__["query"]
_MOTO_GET_RECORDS = DynamoDBStreamsBackend.__dict__["get_records"]
_MOTO_GET_SHARD_ITERATOR = DynamoDBStreamsBackend.__dict__["get_shard_iterator"]
#: How long AWS keeps a shard iterator valid.
ITERATOR_SECONDS = 15 * 60
#: The clock iterator ages are read from (a test moves it).
clock: Callable[[], float] = time.monotonic
_INSTALLED = "_nqms_installed"


def replaced_sources() -> dict[str, str]:
    """The current source of each pinned piece of moto (moto's own, even after install)."""
    code: dict[str, Callable[..., Any]] = {
        "DynamoDBBackend.transact_write_items": _MOTO_TRANSACT_WRITE_ITEMS,
        "Table.get_item": Table.get_item,
        "Table.delete_item": Table.delete_item,
        "Table.query": _MOTO_QUERY,
        "Table.all_items": Table.all_items,
        "StreamShard.add": StreamShard.add,
        "BaseModel.__new__": BaseModel.__new__,
        "DynamoDBStreamsBackend.get_records": _MOTO_GET_RECORDS,
        "DynamoDBStreamsBackend.get_shard_iterator": _MOTO_GET_SHARD_ITERATOR,
        "ShardIterator.get": ShardIterator.get,
    }
    return {name: inspect.getsource(function) for name, function in code.items()}


def digests() -> dict[str, str]:
    return {
        name: hashlib.sha256(source.encode()).hexdigest()
        for name, source in replaced_sources().items()
    }


def install() -> None:
    """Give moto's DynamoDB the rollback and the lock below; repeating it changes nothing."""
    # Every time: moto's reset (mock_aws starting, say) gives each model a fresh list.
    for service in ("dynamodb", "dynamodbstreams"):
        for model in model_data[service].values():
            model.instances_tracked = _Untracked()  # type: ignore[attr-defined]
    if getattr(DynamoDBBackend, _INSTALLED, False):
        return
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    Table.query = query  # type: ignore[method-assign]
    DynamoDBStreamsBackend.get_records = get_records  # type: ignore[method-assign]
    DynamoDBStreamsBackend.get_shard_iterator = get_shard_iterator  # type: ignore[method-assign]
    for handler, names in LOCKED_REQUESTS.items():
        for name in names:
            setattr(handler, name, _locked(getattr(handler, name)))
    setattr(DynamoDBBackend, _INSTALLED, True)


class _Untracked(list[Any]):
    """``instances_tracked`` that keeps nothing (moto's dashboard then lists no instances)."""

    def append(self, instance: Any) -> None:
        pass


def _iterators_born(backend: DynamoDBStreamsBackend) -> dict[str, float]:
    """When each shard iterator of ``backend`` was handed out (oldest first)."""
    born: dict[str, float] | None = backend.__dict__.get("_nqms_iterators_born")
    if born is None:
        born = backend.__dict__["_nqms_iterators_born"] = {}
    return born


def _handed_out(backend: DynamoDBStreamsBackend, arn: str | None) -> None:
    """Note a new iterator; forget those older than AWS lets an iterator live."""
    born = _iterators_born(backend)
    now = clock()
    if arn:
        born[arn] = now
    while born:
        oldest, at = next(iter(born.items()))
        if now - at < ITERATOR_SECONDS:
            break
        del born[oldest]
        backend.shard_iterators.pop(oldest, None)


def get_shard_iterator(self: DynamoDBStreamsBackend, *args: Any, **kwargs: Any) -> ShardIterator:
    """moto's ``get_shard_iterator``; the iterator's birth is noted."""
    iterator: ShardIterator = _MOTO_GET_SHARD_ITERATOR(self, *args, **kwargs)
    _handed_out(self, iterator.arn)
    return iterator


def get_records(self: DynamoDBStreamsBackend, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """moto's ``get_records``; the next iterator's birth is noted, expired ones forgotten."""
    result: dict[str, Any] = _MOTO_GET_RECORDS(self, *args, **kwargs)
    _handed_out(self, result.get("NextShardIterator"))
    return result


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with LOCK:
            return method(*args, **kwargs)

    return locked


_QUERY_SIGNATURE = inspect.signature(_MOTO_QUERY)


class _Partition:
    """A table seen by ``Table.query`` as holding one partition only."""

    def __init__(self, table: Table, hash_key: DynamoType) -> None:
        self._table = table
        self._hash_key = hash_key

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def all_items(self) -> list[Item]:
        found = self._table.items.get(self._hash_key)
        if found is None:
            return []
        if self._table.range_key_attr:
            return list(found.values())
        return [found]  # type: ignore[list-item]


def query(self: Table, *args: Any, **kwargs: Any) -> Any:
    """moto's ``Table.query``; a query by the table's own key reads its partition only."""
    bound = _QUERY_SIGNATURE.bind(self, *args, **kwargs)
    hash_key = bound.arguments.get("hash_key")
    if bound.arguments.get("index_name") or hash_key is None:
        return _MOTO_QUERY(self, *args, **kwargs)
    return _MOTO_QUERY(_Partition(self, hash_key), *args, **kwargs)


@dataclass
class _Touched:
    """One item a transaction touches, as it was before (None: absent)."""

    table: Table
    hash_key: DynamoType
    range_key: DynamoType | None
    before: Item | None

    def restore(self) -> None:
        items: dict[Any, Any] = self.table.items
        if self.range_key is None:
            if self.before is None:
                items.pop(self.hash_key, None)
            else:
                items[self.hash_key] = self.before
            return
        bucket = items.setdefault(self.hash_key, {})
        if self.before is None:
            bucket.pop(self.range_key, None)
            if not bucket:
                del items[self.hash_key]
        else:
            bucket[self.range_key] = self.before


def _untracked_copy(item: Item) -> Item:
    """A deep copy of one item that ``instances_tracked`` does not keep alive."""
    clone: Item = object.__new__(Item)  # BaseModel.__new__ would track the copy forever
    clone.__dict__.update(copy.deepcopy(item.__dict__))
    return clone


class _Backup:
    """Before-images of the touched items and the length of each table's stream shard."""

    def __init__(self) -> None:
        self.touched: list[_Touched] = []
        self.shards: dict[int, tuple[StreamShard, int]] = {}

    def remember_shard(self, table: Table) -> None:
        shard = table.stream_shard
        if shard is not None and id(shard) not in self.shards:
            self.shards[id(shard)] = (shard, len(shard.items))

    def remember_item(self, backend: DynamoDBBackend, table_name: str, key: dict[str, Any]) -> None:
        table = backend.get_table(table_name)
        hash_key, range_key = backend.get_keys_value(table, key)
        current = table.get_item(hash_key, range_key)
        before = None if current is None else _untracked_copy(current)
        self.touched.append(_Touched(table, hash_key, range_key, before))

    def restore(self) -> None:
        for touched in reversed(self.touched):
            touched.restore()
        for shard, length in self.shards.values():
            del shard.items[length:]


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto 5.2.5's ``DynamoDBBackend.transact_write_items``; backs up touched items only."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    backup = _Backup()
    for item in transact_items:
        _, op = next(iter(item.items()))
        table_name = op.get("TableName")
        if table_name and table_name in self.tables:
            backup.remember_shard(self.tables[table_name])

    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException

        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")

            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            expression_attribute_names = op.get("ExpressionAttributeNames")
            expression_attribute_values = op.get("ExpressionAttributeValues")
            return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")

            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]

            check_unicity(table_name, key)

            current = self.get_item(table_name, key)
            if condition_expression is not None:
                condition_op = get_filter_expression(
                    condition_expression,
                    expression_attribute_names,
                    expression_attribute_values,
                )
                if not condition_op.expr(current):
                    if return_values_on_condition_check_failure == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            if op_type != "ConditionCheck":
                backup.remember_item(self, table_name, key)
            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            backup.restore()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))  # type: ignore[arg-type]
        except Exception as e:
            errors.append((type(e).__name__, str(e), original_item))  # type: ignore[arg-type]

    if any(code is not None for code, _, _ in errors):
        backup.restore()
        raise TransactionCanceledException(errors)


def check_pinned() -> list[str]:
    """What changed in moto since this module was written (empty when nothing did)."""
    changed = [name for name, digest in digests().items() if PINNED[name] != digest]
    if moto.__version__ != MOTO_VERSION:
        changed.insert(0, f"moto {moto.__version__} (pinned {MOTO_VERSION})")
    return changed
