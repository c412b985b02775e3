"""moto's DynamoDB with the local stack's adapter: cancelled transactions leave nothing, a
transaction costs the same whatever the table's size, and conditional writes do not race."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodb.models.table import Table

from infra.local import moto_dynamodb
from tests.support.aws import stream_table

TABLE = "adapter-test"


@pytest.fixture
def ddb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    with mock_aws():
        moto_dynamodb.install()
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(**stream_table(TABLE))
        yield client


def _key(pk: str, sk: str = "A") -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _item(pk: str, version: int, sk: str = "A") -> dict[str, Any]:
    return {**_key(pk, sk), "version": {"N": str(version)}, "text": {"S": f"{pk} v{version}"}}


def _put(pk: str, version: int, sk: str = "A") -> dict[str, Any]:
    return {
        "Put": {
            "TableName": TABLE,
            "Item": _item(pk, version, sk),
            "ConditionExpression": "attribute_not_exists(pk) OR version = :previous",
            "ExpressionAttributeValues": {":previous": {"N": str(version - 1)}},
        }
    }


def _fill(ddb: Any, count: int) -> None:
    for start in range(0, count, 25):
        requests = [
            {"PutRequest": {"Item": _item(f"fill#{n}", 1)}}
            for n in range(start, min(start + 25, count))
        ]
        ddb.batch_write_item(RequestItems={TABLE: requests})


def _stream_iterator(ddb: Any, kind: str = "TRIM_HORIZON") -> str:
    streams = boto3.client("dynamodbstreams", region_name="us-east-1")
    arn = ddb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    return str(
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType=kind)[
            "ShardIterator"
        ]
    )


def _records(iterator: str) -> tuple[list[tuple[str, str]], str]:
    streams = boto3.client("dynamodbstreams", region_name="us-east-1")
    page = streams.get_records(ShardIterator=iterator)
    seen = [(str(r["eventName"]), r["dynamodb"]["Keys"]["pk"]["S"]) for r in page["Records"]]
    return seen, page["NextShardIterator"]


def _cancelled_transaction() -> list[dict[str, Any]]:
    """Writes three items, the last of which fails its condition (pk 'b' exists at version 1)."""
    return [
        {
            "Update": {
                "TableName": TABLE,
                "Key": _key("a"),
                "UpdateExpression": "SET version = :v, #t = :t",
                "ExpressionAttributeNames": {"#t": "text"},
                "ExpressionAttributeValues": {":v": {"N": "2"}, ":t": {"S": "changed"}},
            }
        },
        {"Delete": {"TableName": TABLE, "Key": _key("c")}},
        {"Put": {"TableName": TABLE, "Item": _item("new", 1)}},
        {"Put": {**_put("b", 5)["Put"], "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
    ]


def test_a_cancelled_transaction_leaves_no_item_and_no_stream_record(ddb: Any) -> None:
    for pk in ("a", "b", "c"):
        ddb.put_item(TableName=TABLE, Item=_item(pk, 1))
    before = ddb.scan(TableName=TABLE)["Items"]
    reader = _stream_iterator(ddb, "LATEST")

    with pytest.raises(ClientError) as raised:
        ddb.transact_write_items(
            TransactItems=_cancelled_transaction(), ReturnConsumedCapacity="NONE"
        )

    error = raised.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    reasons = error["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "None", "None", "ConditionalCheckFailed"]
    assert reasons[3]["Item"] == _item("b", 1)
    assert sorted(map(str, ddb.scan(TableName=TABLE)["Items"])) == sorted(map(str, before))
    seen, reader = _records(reader)
    assert seen == []

    # The same stream keeps delivering after the cancellation, to a reader opened before it.
    ddb.put_item(TableName=TABLE, Item=_item("after", 1))
    seen, _ = _records(reader)
    assert seen == [("INSERT", "after")]
    everything, _ = _records(_stream_iterator(ddb))
    assert [pk for _, pk in everything] == ["a", "b", "c", "after"]


def test_a_transaction_whose_conditions_hold_applies_every_item(ddb: Any) -> None:
    ddb.put_item(TableName=TABLE, Item=_item("b", 1))
    ddb.put_item(TableName=TABLE, Item=_item("c", 1))

    ddb.transact_write_items(
        TransactItems=[
            _put("a", 1),
            _put("b", 2),
            {"Delete": {"TableName": TABLE, "Key": _key("c")}},
        ]
    )

    items = {i["pk"]["S"]: i["version"]["N"] for i in ddb.scan(TableName=TABLE)["Items"]}
    assert items == {"a": "1", "b": "2"}
    seen, _ = _records(_stream_iterator(ddb))
    assert seen[-3:] == [("INSERT", "a"), ("MODIFY", "b"), ("REMOVE", "c")]


def test_two_operations_on_one_item_are_refused_and_change_nothing(ddb: Any) -> None:
    with pytest.raises(ClientError) as raised:
        ddb.transact_write_items(TransactItems=[_put("a", 1), _put("z", 1), _put("a", 1)])
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert ddb.scan(TableName=TABLE)["Items"] == []
    seen, _ = _records(_stream_iterator(ddb))
    assert seen == []


def _tracked_items_per_transaction(ddb: Any) -> int:
    """How many ``Item`` objects moto keeps alive for one saved and one cancelled transaction."""
    ddb.put_item(TableName=TABLE, Item=_item("b", 1))
    tracked: list[Item] = Item.instances_tracked  # type: ignore[attr-defined]  # moto's own
    start = len(tracked)
    ddb.transact_write_items(TransactItems=[_put("x", 1), _put("y", 1), _put("b", 2)])
    with pytest.raises(ClientError):
        ddb.transact_write_items(TransactItems=[_put("x", 2), _put("y", 2), _put("b", 9)])
    return len(tracked) - start


def test_a_transaction_does_the_same_work_whatever_the_size_of_the_table(
    ddb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Count items the way moto would keep them (install() turns DynamoDB's tracking off).
    monkeypatch.setattr(Item, "instances_tracked", [])
    small = _tracked_items_per_transaction(ddb)
    _fill(ddb, 2000)
    ddb.delete_item(TableName=TABLE, Key=_key("x"))
    ddb.delete_item(TableName=TABLE, Key=_key("y"))
    large = _tracked_items_per_transaction(ddb)

    # moto's own rollback copied the whole table per transaction item: thousands more here.
    assert large == small
    assert small < 10


def test_concurrent_conditional_puts_at_one_version_have_exactly_one_winner(
    ddb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Widen the window between reading an item and writing it, as a busy server would.
    read = Table.get_item

    def slow_read(self: Table, *args: Any, **kwargs: Any) -> Any:
        found = read(self, *args, **kwargs)
        time.sleep(0.01)
        return found

    monkeypatch.setattr(Table, "get_item", slow_read)
    ddb.put_item(TableName=TABLE, Item=_item("race", 1))
    clients = [boto3.client("dynamodb", region_name="us-east-1") for _ in range(8)]
    outcomes: list[str] = []

    def save(client: Any, n: int) -> None:
        item = {**_item("race", 2), "writer": {"N": str(n)}}
        request: dict[str, Any] = {
            "TableName": TABLE,
            "Item": item,
            "ConditionExpression": "version = :previous",
            "ExpressionAttributeValues": {":previous": {"N": "1"}},
        }
        try:
            if n % 2:
                client.put_item(**request)
            else:
                client.transact_write_items(TransactItems=[{"Put": request}])
            outcomes.append("saved")
        except ClientError as exc:
            outcomes.append(exc.response["Error"]["Code"])

    threads = [threading.Thread(target=save, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("saved") == 1
    assert sorted(set(outcomes) - {"saved"}) == sorted(
        {"ConditionalCheckFailedException", "TransactionCanceledException"} & set(outcomes)
    )
    assert len(outcomes) == 8
    stored = ddb.get_item(TableName=TABLE, Key=_key("race"))["Item"]
    assert stored["version"] == {"N": "2"}


def test_a_key_query_reads_its_partition_only_and_answers_as_moto_did(
    ddb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(ddb, 300)
    for sk in ("B", "A", "D", "C"):
        ddb.put_item(TableName=TABLE, Item=_item("cycle", 1, sk))
    walked: list[int] = []
    walk = Table.all_items

    def counted(self: Table) -> Any:
        found = walk(self)
        walked.append(len(found))
        return found

    monkeypatch.setattr(Table, "all_items", counted)

    def page(**extra: Any) -> Any:
        return ddb.query(
            TableName=TABLE,
            KeyConditionExpression="pk = :pk AND sk > :after",
            ExpressionAttributeValues={":pk": {"S": "cycle"}, ":after": {"S": "A"}},
            Limit=2,
            **extra,
        )

    first = page()
    second = page(ExclusiveStartKey=first["LastEvaluatedKey"])
    backwards = ddb.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "cycle"}},
        ScanIndexForward=False,
    )

    assert [i["sk"]["S"] for i in first["Items"]] == ["B", "C"]
    assert [i["sk"]["S"] for i in second["Items"]] == ["D"]
    assert "LastEvaluatedKey" not in second
    assert [i["sk"]["S"] for i in backwards["Items"]] == ["D", "C", "B", "A"]
    assert walked == []  # moto walked all 304 items of the table for each of these
    assert ddb.scan(TableName=TABLE, Select="COUNT")["Count"] == 304
    assert walked == [304]


def test_items_written_are_not_kept_alive_by_moto(ddb: Any) -> None:
    tracked: list[Item] = Item.instances_tracked  # type: ignore[attr-defined]
    before = len(tracked)
    _fill(ddb, 200)
    ddb.transact_write_items(TransactItems=[_put("x", 1), _put("y", 1)])
    assert len(tracked) == before


def test_shard_iterators_are_forgotten_after_the_fifteen_minutes_aws_keeps_them(
    ddb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.backends import get_backend

    streams = boto3.client("dynamodbstreams", region_name="us-east-1")
    arn = ddb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    clock = [1000.0]
    monkeypatch.setattr(moto_dynamodb, "clock", lambda: clock[0])
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    for _ in range(50):  # a poller, every few seconds: each answer hands out a new iterator
        ddb.put_item(TableName=TABLE, Item=_item("p", 1))
        iterator = streams.get_records(ShardIterator=iterator)["NextShardIterator"]
        clock[0] += 30
    backend = get_backend("dynamodbstreams")["123456789012"]["us-east-1"]
    # 50 polls 30 s apart: only those of the last 15 minutes are kept, the newest works.
    assert len(backend.shard_iterators) <= 31
    assert iterator in backend.shard_iterators
    assert streams.get_records(ShardIterator=iterator)["Records"] == []
