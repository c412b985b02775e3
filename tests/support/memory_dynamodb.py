"""An in-memory DynamoDB low-level client for use-case tests (test code, never deployed).

It answers the calls the code makes on a boto3 ``dynamodb`` client (the table adapter and
Powertools' idempotency layer): ``get_item``, ``put_item``, ``update_item``, ``delete_item``,
``query``, ``scan``, ``batch_get_item``, ``transact_write_items`` and ``transact_get_items``,
with typed AttributeValues in and out, the table's key schema and its secondary indexes as
infra/template.yaml declares them, condition, filter, key-condition and update expressions,
pagination (``Limit``/``ExclusiveStartKey``/``LastEvaluatedKey``), transactions that apply all
or nothing, and the botocore ``ClientError`` shapes the adapter maps
(``ConditionalCheckFailedException`` with ``Item`` on ``ALL_OLD``,
``TransactionCanceledException`` with ``CancellationReasons``, ``ValidationException``).

Where DynamoDB leaves a choice open, it does what moto does (a query returns a
``LastEvaluatedKey`` only when an item follows the page). It is stricter than moto 5.2.5 where
DynamoDB is: an ``ExpressionAttributeValues`` entry no expression uses, or a placeholder not
defined, is a ``ValidationException`` (moto accepts the first and fails with a ``KeyError`` on
the second), and so is an empty ``ExpressionAttributeNames`` (moto accepts it; an empty
``ExpressionAttributeValues`` both refuse). tests/contract runs one suite against
this client and moto's DynamoDB: a difference between the two fails a test.
"""

from __future__ import annotations

import copy
import functools
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError
from botocore.hooks import HierarchicalEmitter

AttributeValue = dict[str, Any]
RawItem = dict[str, AttributeValue]


# =========================================================================== errors
def _error(code: str, message: str, operation: str, **extra: Any) -> ClientError:
    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": 400},
        **extra,
    }
    return ClientError(response, operation)


class _Invalid(Exception):
    """A ValidationException, raised where the operation's name is not known yet."""


class _ConditionFailed(Exception):
    def __init__(self, old: RawItem | None) -> None:
        super().__init__("The conditional request failed")
        self.old = old


# =========================================================================== schema
@dataclass(frozen=True)
class Index:
    name: str
    hash_key: str
    range_key: str | None
    projection: str = "ALL"
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSchema:
    name: str
    hash_key: str
    range_key: str | None
    indexes: tuple[Index, ...] = ()

    @property
    def key_names(self) -> tuple[str, ...]:
        return (self.hash_key,) if self.range_key is None else (self.hash_key, self.range_key)


def _keys_of(key_schema: Sequence[Mapping[str, str]]) -> tuple[str, str | None]:
    hash_key = next(k["AttributeName"] for k in key_schema if k["KeyType"] == "HASH")
    range_key = next((k["AttributeName"] for k in key_schema if k["KeyType"] == "RANGE"), None)
    return hash_key, range_key


def schema_from_properties(name: str, properties: Mapping[str, Any]) -> TableSchema:
    """A table's schema from its ``AWS::DynamoDB::Table`` properties (or CreateTable args)."""
    hash_key, range_key = _keys_of(properties["KeySchema"])
    indexes = []
    for declared in properties.get("GlobalSecondaryIndexes", []):
        index_hash, index_range = _keys_of(declared["KeySchema"])
        projection = declared.get("Projection", {})
        indexes.append(
            Index(
                declared["IndexName"],
                index_hash,
                index_range,
                projection.get("ProjectionType", "ALL"),
                tuple(projection.get("NonKeyAttributes", ())),
            )
        )
    return TableSchema(name, hash_key, range_key, tuple(indexes))


@functools.cache
def template_table_properties() -> dict[str, Any]:
    """The single table's properties as infra/template.yaml declares them."""
    from infra.local.template import decode_template

    resources = decode_template()["Resources"]
    tables = [r for r in resources.values() if r["Type"] == "AWS::DynamoDB::Table"]
    if len(tables) != 1:
        raise AssertionError(f"expected one table in the template, found {len(tables)}")
    properties: dict[str, Any] = tables[0]["Properties"]
    return properties


def template_schema(name: str) -> TableSchema:
    return schema_from_properties(name, template_table_properties())


def create_table_request(name: str) -> dict[str, Any]:
    """``CreateTable`` arguments for the template's table under ``name`` (moto's side of the
    contract: the same keys and indexes as :func:`template_schema`)."""
    properties = template_table_properties()
    return {
        "TableName": name,
        "AttributeDefinitions": properties["AttributeDefinitions"],
        "KeySchema": properties["KeySchema"],
        "GlobalSecondaryIndexes": properties.get("GlobalSecondaryIndexes", []),
        "BillingMode": "PAY_PER_REQUEST",
    }


# =========================================================================== values
def _number(value: AttributeValue) -> Decimal:
    return Decimal(value["N"])


def _same(a: AttributeValue, b: AttributeValue) -> bool:
    """DynamoDB equality: same type and value (numbers by value, sets without order)."""
    (ta, va), (tb, vb) = next(iter(a.items())), next(iter(b.items()))
    if ta != tb:
        return False
    if ta == "N":
        return Decimal(va) == Decimal(vb)
    if ta == "NS":
        return {Decimal(v) for v in va} == {Decimal(v) for v in vb}
    if ta in ("SS", "BS"):
        return set(va) == set(vb)
    if ta == "L":
        return len(va) == len(vb) and all(_same(x, y) for x, y in zip(va, vb, strict=True))
    if ta == "M":
        return va.keys() == vb.keys() and all(_same(va[k], vb[k]) for k in va)
    return bool(va == vb)


def _ordered(value: AttributeValue) -> tuple[str, Any]:
    kind, raw = next(iter(value.items()))
    if kind == "N":
        return kind, Decimal(raw)
    if kind == "B":
        return kind, bytes(raw)
    return kind, raw


def _size(value: AttributeValue) -> int:
    kind, raw = next(iter(value.items()))
    if kind == "S":
        return len(raw.encode())
    if kind == "B":
        return len(raw)
    if kind in ("SS", "NS", "BS", "L", "M"):
        return len(raw)
    raise _Invalid(f"Invalid argument to function size: {kind}")


# =========================================================================== expressions
_TOKEN = re.compile(
    r"\s*(?:(?P<name>#[A-Za-z0-9_]+)|(?P<value>:[A-Za-z0-9_]+)|(?P<op><>|<=|>=|=|<|>)"
    r"|(?P<punct>[(),.\[\]+\-])|(?P<number>\d+)|(?P<word>[A-Za-z_][A-Za-z0-9_]*))"
)
_KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE"}


@dataclass
class _Tokens:
    items: list[tuple[str, str]]
    pos: int = 0

    @classmethod
    def of(cls, text: str) -> _Tokens:
        items: list[tuple[str, str]] = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise _Invalid(f"Invalid expression: syntax error near {text[pos:]!r}")
            kind = match.lastgroup or ""
            token = match.group(kind)
            if kind == "word" and token.upper() in _KEYWORDS:
                kind, token = "keyword", token.upper()
            items.append((kind, token))
            pos = match.end()
        return cls(items)

    def peek(self, offset: int = 0) -> tuple[str, str]:
        at = self.pos + offset
        return self.items[at] if at < len(self.items) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end":
            raise _Invalid("Invalid expression: unexpected end of expression")
        self.pos += 1
        return token

    def accept(self, kind: str, text: str | None = None) -> bool:
        token = self.peek()
        if token[0] == kind and (text is None or token[1] == text):
            self.pos += 1
            return True
        return False

    def expect(self, kind: str, text: str | None = None) -> str:
        token = self.take()
        if token[0] != kind or (text is not None and token[1] != text):
            raise _Invalid(f"Invalid expression: expected {text or kind}, found {token[1]!r}")
        return token[1]


@dataclass
class _Context:
    """The request's placeholders, and which of them the expressions used."""

    names: Mapping[str, str]
    values: Mapping[str, AttributeValue]
    used_names: set[str] = field(default_factory=set)
    used_values: set[str] = field(default_factory=set)

    def name(self, placeholder: str) -> str:
        if placeholder not in self.names:
            raise _Invalid(
                "Value provided in ExpressionAttributeNames unused in expressions: "
                f"An expression attribute name used in the document path is not defined; "
                f"attribute name: {placeholder}"
            )
        self.used_names.add(placeholder)
        return self.names[placeholder]

    def value(self, placeholder: str) -> AttributeValue:
        if placeholder not in self.values:
            raise _Invalid(
                "An expression attribute value used in expression is not defined; "
                f"attribute value: {placeholder}"
            )
        self.used_values.add(placeholder)
        return self.values[placeholder]

    def check_all_used(self) -> None:
        unused_names = set(self.names) - self.used_names
        if unused_names:
            raise _Invalid(
                "Value provided in ExpressionAttributeNames unused in expressions: "
                f"keys: {{{', '.join(sorted(unused_names))}}}"
            )
        unused_values = set(self.values) - self.used_values
        if unused_values:
            raise _Invalid(
                "Value provided in ExpressionAttributeValues unused in expressions: "
                f"keys: {{{', '.join(sorted(unused_values))}}}"
            )


Path = tuple[str | int, ...]
#: An operand: the item (None: absent) -> its value (None: absent).
Operand = Callable[[RawItem | None], AttributeValue | None]
Predicate = Callable[[RawItem | None], bool]


def _resolve(item: RawItem | None, path: Path) -> AttributeValue | None:
    current: Any = {"M": item} if item is not None else None
    for step in path:
        if current is None:
            return None
        if isinstance(step, int):
            values = current.get("L")
            current = values[step] if values is not None and step < len(values) else None
        else:
            members = current.get("M")
            current = members.get(step) if members is not None else None
    return copy.deepcopy(current) if current is not None else None


def _parse_path(tokens: _Tokens, ctx: _Context) -> Path:
    def element() -> str:
        kind, text = tokens.take()
        if kind == "name":
            return ctx.name(text)
        if kind == "word":
            return text
        raise _Invalid(f"Invalid expression: expected an attribute, found {text!r}")

    path: list[str | int] = [element()]
    while True:
        if tokens.accept("punct", "."):
            path.append(element())
        elif tokens.accept("punct", "["):
            path.append(int(tokens.expect("number")))
            tokens.expect("punct", "]")
        else:
            return tuple(path)


def _parse_operand(tokens: _Tokens, ctx: _Context) -> Operand:
    kind, text = tokens.peek()
    if kind == "value":
        tokens.take()
        value = ctx.value(text)
        return lambda _item: value
    if kind == "word" and text == "size" and tokens.peek(1) == ("punct", "("):
        tokens.take()
        tokens.take()
        path = _parse_path(tokens, ctx)
        tokens.expect("punct", ")")

        def size(item: RawItem | None) -> AttributeValue | None:
            found = _resolve(item, path)
            return None if found is None else {"N": str(_size(found))}

        return size
    path = _parse_path(tokens, ctx)
    return lambda item: _resolve(item, path)


def _compare(op: str, left: AttributeValue | None, right: AttributeValue | None) -> bool:
    if op == "<>":
        return left is None or right is None or not _same(left, right)
    if left is None or right is None:
        return False
    if op == "=":
        return _same(left, right)
    (kind_l, value_l), (kind_r, value_r) = _ordered(left), _ordered(right)
    if kind_l != kind_r or kind_l not in ("S", "N", "B"):
        return False
    return {
        "<": value_l < value_r,
        "<=": value_l <= value_r,
        ">": value_l > value_r,
        ">=": value_l >= value_r,
    }[op]


def _begins_with(value: AttributeValue | None, prefix: AttributeValue | None) -> bool:
    if value is None or prefix is None:
        return False
    (kind, raw), (prefix_kind, prefix_raw) = _ordered(value), _ordered(prefix)
    return kind == prefix_kind and kind in ("S", "B") and raw.startswith(prefix_raw)


def _contains(value: AttributeValue | None, operand: AttributeValue | None) -> bool:
    if value is None or operand is None:
        return False
    kind, raw = next(iter(value.items()))
    if kind == "S" and "S" in operand:
        return bool(operand["S"] in raw)
    if kind in ("SS", "NS", "BS"):
        element = {"SS": "S", "NS": "N", "BS": "B"}[kind]
        return element in operand and any(_same({element: v}, operand) for v in raw)
    if kind == "L":
        return any(_same(v, operand) for v in raw)
    return False


def _parse_function(tokens: _Tokens, ctx: _Context) -> Predicate:
    name = tokens.take()[1]
    tokens.expect("punct", "(")
    if name in ("attribute_exists", "attribute_not_exists"):
        path = _parse_path(tokens, ctx)
        tokens.expect("punct", ")")
        exists = name == "attribute_exists"
        return lambda item: (_resolve(item, path) is not None) is exists
    if name == "attribute_type":
        path = _parse_path(tokens, ctx)
        tokens.expect("punct", ",")
        wanted = _parse_operand(tokens, ctx)
        tokens.expect("punct", ")")

        def has_type(item: RawItem | None) -> bool:
            found, kind = _resolve(item, path), wanted(item)
            return found is not None and kind is not None and kind.get("S") in found

        return has_type
    if name in ("begins_with", "contains"):
        target = _parse_operand(tokens, ctx)
        tokens.expect("punct", ",")
        operand = _parse_operand(tokens, ctx)
        tokens.expect("punct", ")")
        test = _begins_with if name == "begins_with" else _contains
        return lambda item: test(target(item), operand(item))
    raise _Invalid(f"Invalid function name; function: {name}")


def _parse_condition(tokens: _Tokens, ctx: _Context) -> Predicate:
    parts = [_parse_and(tokens, ctx)]
    while tokens.accept("keyword", "OR"):
        parts.append(_parse_and(tokens, ctx))
    return parts[0] if len(parts) == 1 else (lambda item: any(p(item) for p in parts))


def _parse_and(tokens: _Tokens, ctx: _Context) -> Predicate:
    parts = [_parse_not(tokens, ctx)]
    while tokens.accept("keyword", "AND"):
        parts.append(_parse_not(tokens, ctx))
    return parts[0] if len(parts) == 1 else (lambda item: all(p(item) for p in parts))


def _parse_not(tokens: _Tokens, ctx: _Context) -> Predicate:
    if tokens.accept("keyword", "NOT"):
        inner = _parse_not(tokens, ctx)
        return lambda item: not inner(item)
    return _parse_primary(tokens, ctx)


_FUNCTIONS = {"attribute_exists", "attribute_not_exists", "attribute_type", "begins_with"}


def _parse_primary(tokens: _Tokens, ctx: _Context) -> Predicate:
    if tokens.accept("punct", "("):
        inner = _parse_condition(tokens, ctx)
        tokens.expect("punct", ")")
        return inner
    kind, text = tokens.peek()
    if kind == "word" and text in (*_FUNCTIONS, "contains") and tokens.peek(1)[1] == "(":
        return _parse_function(tokens, ctx)
    left = _parse_operand(tokens, ctx)
    if tokens.accept("keyword", "BETWEEN"):
        low = _parse_operand(tokens, ctx)
        tokens.expect("keyword", "AND")
        high = _parse_operand(tokens, ctx)
        return lambda item: (
            _compare(">=", left(item), low(item)) and _compare("<=", left(item), high(item))
        )
    if tokens.accept("keyword", "IN"):
        tokens.expect("punct", "(")
        options = [_parse_operand(tokens, ctx)]
        while tokens.accept("punct", ","):
            options.append(_parse_operand(tokens, ctx))
        tokens.expect("punct", ")")
        return lambda item: any(_compare("=", left(item), option(item)) for option in options)
    op = tokens.expect("op")
    right = _parse_operand(tokens, ctx)
    return lambda item: _compare(op, left(item), right(item))


def condition(expression: str, ctx: _Context) -> Predicate:
    tokens = _Tokens.of(expression)
    predicate = _parse_condition(tokens, ctx)
    if tokens.peek()[0] != "end":
        raise _Invalid(f"Invalid expression: unexpected {tokens.peek()[1]!r}")
    return predicate


# --------------------------------------------------------------------------- updates
Action = Callable[[RawItem], None]


def _set_path(item: RawItem, path: Path, value: AttributeValue) -> None:
    if len(path) == 1:
        item[str(path[0])] = value
        return
    parent = _resolve(item, path[:-1])
    if parent is None:
        raise _Invalid("The document path provided in the update expression is invalid for update")
    container = _container(item, path[:-1])
    last = path[-1]
    if isinstance(last, int):
        values = container["L"]
        if last < len(values):
            values[last] = value
        else:
            values.append(value)
    else:
        container["M"][last] = value


def _container(item: RawItem, path: Path) -> AttributeValue:
    current: AttributeValue = {"M": item}
    for step in path:
        current = current["L"][step] if isinstance(step, int) else current["M"][step]
    return current


def _remove_path(item: RawItem, path: Path) -> None:
    if len(path) == 1:
        item.pop(str(path[0]), None)
        return
    if _resolve(item, path[:-1]) is None:
        return
    container, last = _container(item, path[:-1]), path[-1]
    if isinstance(last, int):
        if last < len(container.get("L", [])):
            del container["L"][last]
    else:
        container.get("M", {}).pop(last, None)


def _parse_set_value(tokens: _Tokens, ctx: _Context) -> Operand:
    kind, text = tokens.peek()
    if kind == "word" and text in ("if_not_exists", "list_append") and tokens.peek(1)[1] == "(":
        tokens.take()
        tokens.take()
        if text == "if_not_exists":
            path = _parse_path(tokens, ctx)
            tokens.expect("punct", ",")
            default = _parse_set_value(tokens, ctx)
            tokens.expect("punct", ")")
            first: Operand = lambda item: _resolve(item, path) or default(item)  # noqa: E731
        else:
            head = _parse_set_value(tokens, ctx)
            tokens.expect("punct", ",")
            tail = _parse_set_value(tokens, ctx)
            tokens.expect("punct", ")")

            def first(item: RawItem | None) -> AttributeValue | None:
                a, b = head(item), tail(item)
                if a is None or b is None or "L" not in a or "L" not in b:
                    raise _Invalid("An operand in the update expression has an incorrect data type")
                return {"L": a["L"] + b["L"]}

    else:
        first = _parse_operand(tokens, ctx)
    if tokens.peek() in (("punct", "+"), ("punct", "-")):
        sign = tokens.take()[1]
        second = _parse_operand(tokens, ctx)

        def arithmetic(item: RawItem | None) -> AttributeValue | None:
            a, b = first(item), second(item)
            if a is None or b is None:
                raise _Invalid(
                    "The provided expression refers to an attribute that does not exist in the item"
                )
            if "N" not in a or "N" not in b:
                raise _Invalid("An operand in the update expression has an incorrect data type")
            total = _number(a) + _number(b) if sign == "+" else _number(a) - _number(b)
            return {"N": str(total)}

        return arithmetic
    return first


def _add(item: RawItem, path: Path, operand: AttributeValue) -> None:
    current = _resolve(item, path)
    kind = next(iter(operand))
    if current is None:
        _set_path(item, path, operand)
    elif kind == "N" and "N" in current:
        _set_path(item, path, {"N": str(_number(current) + _number(operand))})
    elif kind in ("SS", "NS", "BS") and kind in current:
        merged = list(current[kind]) + [v for v in operand[kind] if v not in current[kind]]
        _set_path(item, path, {kind: merged})
    else:
        raise _Invalid("An operand in the update expression has an incorrect data type")


def _delete(item: RawItem, path: Path, operand: AttributeValue) -> None:
    current = _resolve(item, path)
    kind = next(iter(operand))
    if current is None:
        return
    if kind not in ("SS", "NS", "BS") or kind not in current:
        raise _Invalid("An operand in the update expression has an incorrect data type")
    left = [v for v in current[kind] if v not in operand[kind]]
    if left:
        _set_path(item, path, {kind: left})
    else:
        _remove_path(item, path)


def update(expression: str, ctx: _Context) -> tuple[list[Action], list[Path]]:
    """The update's actions, and every path it writes (to refuse key changes)."""
    tokens = _Tokens.of(expression)
    actions: list[Action] = []
    paths: list[Path] = []
    seen: set[str] = set()
    while tokens.peek()[0] != "end":
        clause = tokens.expect("keyword")
        if clause in seen or clause not in ("SET", "REMOVE", "ADD", "DELETE"):
            raise _Invalid(f"Invalid UpdateExpression: the {clause} section is not allowed here")
        seen.add(clause)
        while True:
            path = _parse_path(tokens, ctx)
            paths.append(path)
            if clause == "SET":
                tokens.expect("op", "=")
                value = _parse_set_value(tokens, ctx)
                actions.append(functools.partial(_apply, _set_path, path, value))
            elif clause == "REMOVE":
                actions.append(functools.partial(_remove_path, path=path))
            else:
                operand = _parse_operand(tokens, ctx)
                apply = _add if clause == "ADD" else _delete
                actions.append(functools.partial(_apply, apply, path, operand))
            if not tokens.accept("punct", ","):
                break
    if not actions:
        raise _Invalid("Invalid UpdateExpression: The expression can not be empty;")
    return actions, paths


def _apply(
    write: Callable[[RawItem, Path, AttributeValue], None],
    path: Path,
    operand: Operand,
    item: RawItem,
) -> None:
    write(item, path, _required(operand(item)))


def _required(value: AttributeValue | None) -> AttributeValue:
    if value is None:
        raise _Invalid(
            "The provided expression refers to an attribute that does not exist in the item"
        )
    return value


# =========================================================================== the table
def _key_tuple(value: AttributeValue) -> tuple[str, Any]:
    return _ordered(value)


@dataclass
class _Table:
    schema: TableSchema
    items: dict[tuple[Any, ...], RawItem] = field(default_factory=dict)

    def key_of(self, raw: Mapping[str, AttributeValue], *, exact: bool) -> tuple[Any, ...]:
        names = self.schema.key_names
        if exact and set(raw) != set(names):
            raise _Invalid("The provided key element does not match the schema")
        key: list[Any] = []
        for name in names:
            value = raw.get(name)
            if value is None:
                raise _Invalid(
                    f"One or more parameter values were invalid: Missing the key {name} in the item"
                )
            kind, plain = next(iter(value.items()))
            if kind not in ("S", "N", "B"):
                raise _Invalid("The provided key element does not match the schema")
            if kind in ("S", "B") and len(plain) == 0:
                raise _Invalid(
                    "One or more parameter values are not valid. The AttributeValue for a key "
                    "attribute cannot contain an empty string value. "
                    f"Key: {name}"
                )
            key.append(_key_tuple(value))
        return tuple(key)

    def index(self, name: str) -> Index:
        for index in self.schema.indexes:
            if index.name == name:
                return index
        available = ", ".join(i.name for i in self.schema.indexes)
        raise _Invalid(
            f"Invalid index: {name} for table: {self.schema.name}. Available indexes are: "
            f"{available}"
        )

    def project(self, index: Index, item: RawItem) -> RawItem:
        if index.projection == "ALL":
            return item
        kept = {*self.schema.key_names, index.hash_key, *(k for k in [index.range_key] if k)}
        if index.projection == "INCLUDE":
            kept.update(index.include)
        return {k: v for k, v in item.items() if k in kept}


def _validate_item(raw: RawItem) -> None:
    for name, value in raw.items():
        if not isinstance(value, dict) or len(value) != 1:
            raise _Invalid(f"Supplied AttributeValue is empty or has more than one type: {name}")
        kind, plain = next(iter(value.items()))
        if kind in ("SS", "NS", "BS") and not plain:
            raise _Invalid(
                "One or more parameter values were invalid: An number set  may not be empty"
            )


_Prepared = tuple[_Table, tuple[Any, ...], Callable[[], RawItem | None]]
_PreparedUpdate = tuple[_Table, tuple[Any, ...], Callable[[], tuple[RawItem | None, RawItem]]]


class MemoryDynamoDB:
    """A stand-in for ``boto3.client("dynamodb")`` holding its tables in memory."""

    def __init__(self, *schemas: TableSchema) -> None:
        self._tables = {schema.name: _Table(schema) for schema in schemas}
        self._lock = threading.RLock()
        #: As a botocore client's: ``meta.events`` emits ``before-call.dynamodb.<Operation>``
        #: (tests count requests, or make one fail, with it).
        self.meta = _Meta()

    # -- tables -------------------------------------------------------------------------
    def add_table(self, schema: TableSchema) -> None:
        with self._lock:
            self._tables[schema.name] = _Table(schema)

    def reset(self) -> None:
        """Empty every table."""
        with self._lock:
            for table in self._tables.values():
                table.items.clear()

    def _table(self, name: str) -> _Table:
        table = self._tables.get(name)
        if table is None:
            raise _Invalid(f"Requested resource not found: Table: {name} not found")
        return table

    def _run(self, operation: str, body: Callable[[], Any], request: Mapping[str, Any]) -> Any:
        with self._lock:
            answered = self.meta.events.emit_until_response(
                f"before-call.dynamodb.{operation}",
                model=_OperationModel(operation),
                params=request,
                context={},
            )[1]
            if answered is not None:
                return answered[1]
            try:
                return copy.deepcopy(body())
            except _Invalid as exc:
                code = (
                    "ResourceNotFoundException"
                    if str(exc).startswith("Requested resource not found")
                    else "ValidationException"
                )
                raise _error(code, str(exc), operation) from None

    @staticmethod
    def _meta(response: dict[str, Any]) -> dict[str, Any]:
        response["ResponseMetadata"] = {"HTTPStatusCode": 200}
        return response

    # -- expressions --------------------------------------------------------------------
    @staticmethod
    def _context(request: Mapping[str, Any]) -> _Context:
        for field_name in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
            if field_name in request and not request[field_name]:
                raise _Invalid(f"1 validation error detected: {field_name} must not be empty")
        return _Context(
            dict(request.get("ExpressionAttributeNames") or {}),
            dict(request.get("ExpressionAttributeValues") or {}),
        )

    @staticmethod
    def _check(request: Mapping[str, Any], ctx: _Context) -> Predicate | None:
        expression = request.get("ConditionExpression")
        return None if expression is None else condition(expression, ctx)

    @staticmethod
    def _enforce(predicate: Predicate | None, old: RawItem | None) -> None:
        if predicate is not None and not predicate(old):
            raise _ConditionFailed(old)

    def _failed(
        self, exc: _ConditionFailed, request: Mapping[str, Any], operation: str
    ) -> ClientError:
        extra: dict[str, Any] = {}
        if request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and exc.old:
            extra["Item"] = copy.deepcopy(exc.old)
        return _error(
            "ConditionalCheckFailedException", "The conditional request failed", operation, **extra
        )

    # -- single-item writes, as steps a transaction reuses ---------------------------------
    def _prepare_put(self, request: Mapping[str, Any]) -> _Prepared:
        table = self._table(request["TableName"])
        item: RawItem = copy.deepcopy(dict(request["Item"]))
        _validate_item(item)
        key = table.key_of(item, exact=False)
        ctx = self._context(request)
        predicate = self._check(request, ctx)
        ctx.check_all_used()

        def apply() -> RawItem | None:
            old = table.items.get(key)
            self._enforce(predicate, old)
            table.items[key] = item
            return old

        return table, key, apply

    def _prepare_update(self, request: Mapping[str, Any]) -> _PreparedUpdate:
        table = self._table(request["TableName"])
        raw_key = dict(request["Key"])
        key = table.key_of(raw_key, exact=True)
        ctx = self._context(request)
        expression = request.get("UpdateExpression")
        actions: list[Action] = []
        if expression is not None:
            actions, paths = update(expression, ctx)
            for path in paths:
                if path[0] in table.schema.key_names:
                    raise _Invalid(
                        "One or more parameter values were invalid: Cannot update attribute "
                        f"{path[0]}. This attribute is part of the key"
                    )
        predicate = self._check(request, ctx)
        ctx.check_all_used()

        def apply() -> tuple[RawItem | None, RawItem]:
            old = table.items.get(key)
            self._enforce(predicate, old)
            new = copy.deepcopy(old) if old is not None else copy.deepcopy(raw_key)
            for action in actions:
                action(new)
            table.items[key] = new
            return old, new

        return table, key, apply

    def _prepare_delete(self, request: Mapping[str, Any]) -> _Prepared:
        table = self._table(request["TableName"])
        key = table.key_of(dict(request["Key"]), exact=True)
        ctx = self._context(request)
        predicate = self._check(request, ctx)
        ctx.check_all_used()

        def apply() -> RawItem | None:
            old = table.items.get(key)
            self._enforce(predicate, old)
            table.items.pop(key, None)
            return old

        return table, key, apply

    def _prepare_check(self, request: Mapping[str, Any]) -> _Prepared:
        table = self._table(request["TableName"])
        key = table.key_of(dict(request["Key"]), exact=True)
        ctx = self._context(request)
        if request.get("ConditionExpression") is None:
            raise _Invalid("ConditionCheck requires a ConditionExpression")
        predicate = self._check(request, ctx)
        ctx.check_all_used()

        def apply() -> RawItem | None:
            old = table.items.get(key)
            self._enforce(predicate, old)
            return old

        return table, key, apply

    # -- the client's calls -------------------------------------------------------------
    def get_item(self, **request: Any) -> dict[str, Any]:
        def body() -> dict[str, Any]:
            table = self._table(request["TableName"])
            found = table.items.get(table.key_of(dict(request["Key"]), exact=True))
            return self._meta({"Item": found} if found is not None else {})

        result: dict[str, Any] = self._run("GetItem", body, request)
        return result

    def put_item(self, **request: Any) -> dict[str, Any]:
        return self._replace_or_delete("PutItem", self._prepare_put, request)

    def update_item(self, **request: Any) -> dict[str, Any]:
        def body() -> dict[str, Any]:
            _table, _key, apply = self._prepare_update(request)
            try:
                old, new = apply()
            except _ConditionFailed as exc:
                raise self._failed(exc, request, "UpdateItem") from None
            wanted = request.get("ReturnValues", "NONE")
            if wanted == "ALL_NEW":
                return self._meta({"Attributes": new})
            if wanted == "ALL_OLD" and old is not None:
                return self._meta({"Attributes": old})
            return self._meta({})

        result: dict[str, Any] = self._run("UpdateItem", body, request)
        return result

    def delete_item(self, **request: Any) -> dict[str, Any]:
        return self._replace_or_delete("DeleteItem", self._prepare_delete, request)

    def _replace_or_delete(
        self,
        operation: str,
        prepare: Callable[[Mapping[str, Any]], _Prepared],
        request: dict[str, Any],
    ) -> dict[str, Any]:
        """PutItem or DeleteItem: one item's write, the old item back on ``ALL_OLD``."""

        def body() -> dict[str, Any]:
            _table, _key, apply = prepare(request)
            try:
                old = apply()
            except _ConditionFailed as exc:
                raise self._failed(exc, request, operation) from None
            if request.get("ReturnValues") == "ALL_OLD" and old is not None:
                return self._meta({"Attributes": old})
            return self._meta({})

        result: dict[str, Any] = self._run(operation, body, request)
        return result

    def batch_get_item(self, **request: Any) -> dict[str, Any]:
        def body() -> dict[str, Any]:
            wanted: Mapping[str, Any] = request["RequestItems"]
            if sum(len(spec["Keys"]) for spec in wanted.values()) > 100:
                raise _Invalid(
                    "Too many items requested for the BatchGetItem call (at most 100 keys)"
                )
            responses: dict[str, list[RawItem]] = {}
            for name, spec in wanted.items():
                table = self._table(name)
                keys = [table.key_of(dict(k), exact=True) for k in spec["Keys"]]
                if len(set(keys)) != len(keys):
                    raise _Invalid("Provided list of item keys contains duplicates")
                responses[name] = [table.items[k] for k in keys if k in table.items]
            return self._meta({"Responses": responses, "UnprocessedKeys": {}})

        result: dict[str, Any] = self._run("BatchGetItem", body, request)
        return result

    def transact_get_items(self, **request: Any) -> dict[str, Any]:
        def body() -> dict[str, Any]:
            responses: list[dict[str, Any]] = []
            for entry in request["TransactItems"]:
                get = entry["Get"]
                table = self._table(get["TableName"])
                found = table.items.get(table.key_of(dict(get["Key"]), exact=True))
                responses.append({"Item": found} if found is not None else {})
            return self._meta({"Responses": responses})

        result: dict[str, Any] = self._run("TransactGetItems", body, request)
        return result

    def transact_write_items(self, **request: Any) -> dict[str, Any]:
        def body() -> dict[str, Any]:
            entries: Sequence[Mapping[str, Any]] = request["TransactItems"]
            if len(entries) > 100:
                raise _Invalid(
                    "1 validation error detected at 'transactItems' failed to satisfy "
                    "constraint: Member must have length less than or equal to 100"
                )
            steps: list[tuple[Mapping[str, Any], Callable[[], Any]]] = []
            touched: set[tuple[str, tuple[Any, ...]]] = set()
            for entry in entries:
                ((kind, op),) = entry.items()
                prepare = {
                    "Put": self._prepare_put,
                    "Update": self._prepare_update,
                    "Delete": self._prepare_delete,
                    "ConditionCheck": self._prepare_check,
                }[kind]
                table, key, apply = prepare(op)
                if (table.schema.name, key) in touched:
                    raise _Invalid(
                        "Transaction request cannot include multiple operations on one item"
                    )
                touched.add((table.schema.name, key))
                steps.append((op, apply))
            # All or nothing: every condition is evaluated on the state before the transaction.
            backup = {name: dict(table.items) for name, table in self._tables.items()}
            reasons: list[dict[str, Any]] = []
            failed = False
            for op, apply in steps:
                try:
                    apply()
                    reasons.append({"Code": "None"})
                except _ConditionFailed as exc:
                    failed = True
                    reason: dict[str, Any] = {
                        "Code": "ConditionalCheckFailed",
                        "Message": "The conditional request failed",
                    }
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and exc.old:
                        reason["Item"] = copy.deepcopy(exc.old)
                    reasons.append(reason)
            if failed:
                for name, items in backup.items():
                    self._tables[name].items = items
                codes = ", ".join(r["Code"] for r in reasons)
                raise _error(
                    "TransactionCanceledException",
                    "Transaction cancelled, please refer cancellation reasons for specific "
                    f"reasons [{codes}]",
                    "TransactWriteItems",
                    CancellationReasons=reasons,
                )
            return self._meta({})

        result: dict[str, Any] = self._run("TransactWriteItems", body, request)
        return result

    def batch_write_item(self, **request: Any) -> dict[str, Any]:
        def body() -> dict[str, Any]:
            writes: list[Callable[[], Any]] = []
            seen: set[tuple[str, tuple[Any, ...]]] = set()
            for name, entries in request["RequestItems"].items():
                for entry in entries:
                    if "PutRequest" in entry:
                        op = {"TableName": name, "Item": entry["PutRequest"]["Item"]}
                        _table, key, apply = self._prepare_put(op)
                    else:
                        op = {"TableName": name, "Key": entry["DeleteRequest"]["Key"]}
                        _table, key, apply = self._prepare_delete(op)
                    if (name, key) in seen:
                        raise _Invalid("Provided list of item keys contains duplicates")
                    seen.add((name, key))
                    writes.append(apply)
            if len(writes) > 25:
                raise _Invalid(
                    "Too many items requested for the BatchWriteItem call (at most 25 requests)"
                )
            for apply in writes:
                apply()
            return self._meta({"UnprocessedItems": {}})

        result: dict[str, Any] = self._run("BatchWriteItem", body, request)
        return result

    # -- reads of many items --------------------------------------------------------------
    def query(self, **request: Any) -> dict[str, Any]:
        def body() -> dict[str, Any]:
            table = self._table(request["TableName"])
            index = table.index(request["IndexName"]) if request.get("IndexName") else None
            if index is not None and request.get("ConsistentRead"):
                raise _Invalid("Consistent reads are not supported on global secondary indexes")
            hash_name = index.hash_key if index else table.schema.hash_key
            range_name = index.range_key if index else table.schema.range_key
            ctx = self._context(request)
            key_condition = _KeyCondition.parse(request["KeyConditionExpression"], ctx, hash_name)
            if key_condition.hash_name != hash_name or (
                key_condition.range_name not in (None, range_name)
            ):
                raise _Invalid("Query condition missed key schema element")
            filters = request.get("FilterExpression")
            keep = condition(filters, ctx) if filters else None
            ctx.check_all_used()
            candidates = [
                item
                for item in table.items.values()
                if key_condition.matches(item)
                and (
                    index is None or (hash_name in item and (not range_name or range_name in item))
                )
            ]
            order = [n for n in (range_name,) if n]
            if index is not None:
                order += list(table.schema.key_names)
            candidates.sort(key=lambda item: tuple(_ordered(item[n]) for n in order))
            if request.get("ScanIndexForward", True) is False:
                candidates.reverse()
            return self._page(table, index, candidates, request, keep, order)

        result: dict[str, Any] = self._run("Query", body, request)
        return result

    def scan(self, **request: Any) -> dict[str, Any]:
        def body() -> dict[str, Any]:
            table = self._table(request["TableName"])
            index = table.index(request["IndexName"]) if request.get("IndexName") else None
            ctx = self._context(request)
            filters = request.get("FilterExpression")
            keep = condition(filters, ctx) if filters else None
            ctx.check_all_used()
            order = list(table.schema.key_names)
            candidates = sorted(
                (
                    item
                    for item in table.items.values()
                    if index is None
                    or (index.hash_key in item and (not index.range_key or index.range_key in item))
                ),
                key=lambda item: tuple(_ordered(item[n]) for n in order),
            )
            return self._page(table, index, candidates, request, keep, order)

        result: dict[str, Any] = self._run("Scan", body, request)
        return result

    def _page(
        self,
        table: _Table,
        index: Index | None,
        candidates: list[RawItem],
        request: Mapping[str, Any],
        keep: Predicate | None,
        order: list[str],
    ) -> dict[str, Any]:
        start = request.get("ExclusiveStartKey")
        if start is not None:
            forward = request.get("ScanIndexForward", True) is not False
            position = tuple(_ordered(start[n]) for n in order)
            candidates = [
                item
                for item in candidates
                if (tuple(_ordered(item[n]) for n in order) > position) is forward
                and tuple(_ordered(item[n]) for n in order) != position
            ]
        limit = request.get("Limit")
        if limit is not None and limit < 1:
            raise _Invalid("Limit must be greater than or equal to 1")
        read = candidates if limit is None else candidates[:limit]
        response: dict[str, Any] = {}
        if limit is not None and len(candidates) > limit:
            last = read[-1]
            names = [*table.schema.key_names]
            if index is not None:
                names += [n for n in (index.hash_key, index.range_key) if n]
            response["LastEvaluatedKey"] = {n: last[n] for n in names}
        projected = [table.project(index, item) if index else item for item in read]
        kept = [item for item in projected if keep is None or keep(item)]
        response.update(Items=kept, Count=len(kept), ScannedCount=len(read))
        return self._meta(response)

    # -- what boto3 clients also offer, as the tests use it -------------------------------
    def get_paginator(self, operation: str) -> _Paginator:
        if operation not in ("scan", "query"):
            raise NotImplementedError(f"no paginator for {operation}")
        return _Paginator(getattr(self, operation))


@dataclass(frozen=True)
class _OperationModel:
    name: str


@dataclass
class _Meta:
    events: HierarchicalEmitter = field(default_factory=HierarchicalEmitter)
    region_name: str = "us-east-1"


@dataclass
class _Paginator:
    call: Callable[..., dict[str, Any]]

    def paginate(self, **request: Any) -> Iterator[dict[str, Any]]:
        while True:
            page = self.call(**request)
            yield page
            if "LastEvaluatedKey" not in page:
                return
            request = {**request, "ExclusiveStartKey": page["LastEvaluatedKey"]}


@dataclass(frozen=True)
class _KeyCondition:
    """``hash = :v [AND range <op> :v | AND begins_with(range, :v) | AND range BETWEEN ...]``."""

    hash_name: str
    range_name: str | None
    predicate: Predicate

    @classmethod
    def parse(cls, expression: str, ctx: _Context, hash_name: str) -> _KeyCondition:
        tokens = _Tokens.of(expression)
        parts: dict[str, Predicate] = {}
        while True:
            start = tokens.pos
            while tokens.accept("punct", "("):
                pass
            if tokens.peek() == ("word", "begins_with"):
                tokens.take()
                tokens.expect("punct", "(")
            attribute = str(_parse_path(tokens, ctx)[0])
            tokens.pos = start
            if attribute in parts:
                raise _Invalid("KeyConditionExpressions must only contain one condition per key")
            parts[attribute] = _parse_not(tokens, ctx)
            if not tokens.accept("keyword", "AND"):
                break
        if tokens.peek()[0] != "end" or hash_name not in parts or len(parts) > 2:
            raise _Invalid("Query condition missed key schema element")
        on_hash = parts.pop(hash_name)
        if not parts:
            return cls(hash_name, None, on_hash)
        ((range_name, on_range),) = parts.items()
        return cls(hash_name, range_name, lambda item: on_hash(item) and on_range(item))

    def matches(self, item: RawItem) -> bool:
        return self.predicate(item)
