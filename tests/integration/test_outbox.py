"""The transactional outbox end to end under moto: commit, stream, relay, bus, sweeper, faults."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest

from functions.outbox import handler as outbox_handler
from functions.outbox import logic as outbox_logic
from functions.outbox.settings import OutboxSettings
from shared import clock
from shared.adapters import aws
from shared.adapters.table import StaleVersion, default_table, to_ddb
from shared.errors import NotFound, VersionConflict
from shared.events import SYSTEM, AffiliateCreated, new_event
from shared.keys import OUTBOX_PENDING_SHARDS, outbox_pending_partitions
from shared.settings import get_settings
from shared.store.outbox import outbox_item
from tests.support import aws as support

REGION = "us-east-1"

#: The relay reads moto's DynamoDB stream: the table here is moto's.
pytestmark = pytest.mark.moto_dynamodb


class LambdaCtx:
    function_name = "outbox"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:outbox"
    aws_request_id = "req"


@pytest.fixture
def bus_listener(aws_env: support.Resources) -> Any:
    """An SQS queue receiving every event of the bus: what consumers would see."""
    sqs = boto3.client("sqs", region_name=REGION)
    events = boto3.client("events", region_name=REGION)
    url = sqs.create_queue(QueueName="listener")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(
        Name="all",
        EventBusName=aws_env.bus_name,
        EventPattern=json.dumps({"source": [{"prefix": "nqms."}]}),
    )
    events.put_targets(Rule="all", EventBusName=aws_env.bus_name, Targets=[{"Id": "q", "Arn": arn}])

    def received() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not batch:
                return out
            for message in batch:
                out.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    return received


def stream_event(table_name: str) -> dict[str, Any]:
    """The table's stream records so far, as Lambda receives them, outbox inserts only."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    streams = boto3.client("dynamodbstreams", region_name=REGION)
    arn = ddb.describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
    records: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        for record in streams.get_records(ShardIterator=iterator)["Records"]:
            if record["eventName"] == "INSERT" and record["dynamodb"]["Keys"]["pk"]["S"].startswith(
                "OUTBOX#"
            ):
                records.append({**record, "eventSourceARN": arn})
    return {"Records": records}


def write_events(n: int) -> list[str]:
    table = default_table()
    ids = []
    for i in range(n):
        uow = table.unit_of_work()
        event = new_event(
            AffiliateCreated(affiliate_id=f"aff_{i:020d}"), actor=SYSTEM, correlation_id=f"c{i}"
        )
        uow.emit(event)
        uow.commit()
        ids.append(event.event_id)
    return ids


def pending_by_partition(table_name: str) -> dict[str, set[str]]:
    """Event ids still pending, by partition of the outbox-pending index."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    found: dict[str, set[str]] = {}
    for partition in outbox_pending_partitions():
        items = ddb.query(
            TableName=table_name,
            IndexName="outbox-pending",
            KeyConditionExpression="outbox_pending = :p",
            ExpressionAttributeValues={":p": {"S": partition}},
        )["Items"]
        if items:
            found[partition] = {i["pk"]["S"].removeprefix("OUTBOX#") for i in items}
    return found


def pending_ids(table_name: str) -> set[str]:
    return set().union(*pending_by_partition(table_name).values())


class FlakyEvents:
    """Wraps the EventBridge client: fails chosen entries, or crashes on a chosen call."""

    def __init__(
        self,
        real: Any,
        *,
        fail_first_call_entries: frozenset[int] = frozenset(),
        crash_on_call: int | None = None,
    ):
        self.real = real
        self.fail_first = set(fail_first_call_entries)
        self.crash_on_call = crash_on_call
        self.calls: list[list[str]] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.calls.append([json.loads(e["Detail"])["event_id"] for e in Entries])
        if self.crash_on_call == len(self.calls):
            raise RuntimeError("relay crashed")
        if len(self.calls) == 1 and self.fail_first:
            keep = [e for i, e in enumerate(Entries) if i not in self.fail_first]
            sent = iter(self.real.put_events(Entries=keep)["Entries"]) if keep else iter(())
            results = [
                {"ErrorCode": "InternalFailure", "ErrorMessage": "try again"}
                if i in self.fail_first
                else next(sent)
                for i in range(len(Entries))
            ]
            return {"FailedEntryCount": len(self.fail_first), "Entries": results}
        return self.real.put_events(Entries=Entries)


def test_committed_events_reach_the_bus_once_and_are_marked_published(
    aws_env, bus_listener
) -> None:
    ids = write_events(3)
    response = outbox_handler.relay(stream_event(aws_env.table_name), LambdaCtx())
    assert response == {"batchItemFailures": []}
    received = bus_listener()
    assert sorted(e["detail"]["event_id"] for e in received) == sorted(ids)
    assert {e["detail-type"] for e in received} == {"AffiliateCreated"}
    assert {e["source"] for e in received} == {"nqms.directory"}
    assert pending_ids(aws_env.table_name) == set()
    # a redelivered batch publishes nothing again
    outbox_handler.relay(stream_event(aws_env.table_name), LambdaCtx())
    assert bus_listener() == []


def test_partial_put_events_failure_resends_only_the_failed_entries(
    aws_env, bus_listener, monkeypatch
) -> None:
    ids = write_events(4)
    flaky = FlakyEvents(aws.events(), fail_first_call_entries={1, 3})
    monkeypatch.setattr(aws, "events", lambda: flaky)
    response = outbox_handler.relay(stream_event(aws_env.table_name), LambdaCtx())
    assert response == {"batchItemFailures": []}
    assert len(flaky.calls) == 2
    assert flaky.calls[1] == [flaky.calls[0][1], flaky.calls[0][3]]
    assert sorted(e["detail"]["event_id"] for e in bus_listener()) == sorted(ids)


def test_entries_that_keep_failing_are_reported_as_batch_item_failures(
    aws_env, bus_listener, monkeypatch
) -> None:
    write_events(2)
    event = stream_event(aws_env.table_name)

    class AlwaysFailsSecond(FlakyEvents):
        def put_events(self, Entries):
            self.calls.append([json.loads(e["Detail"])["event_id"] for e in Entries])
            results = []
            for entry in Entries:
                if json.loads(entry["Detail"])["correlation_id"] == "c1":
                    results.append({"ErrorCode": "InternalFailure", "ErrorMessage": "no"})
                else:
                    results.append(self.real.put_events(Entries=[entry])["Entries"][0])
            return {"Entries": results}

    monkeypatch.setattr(
        aws, "events", lambda: AlwaysFailsSecond(boto3.client("events", region_name=REGION))
    )
    monkeypatch.setattr("shared.adapters.retry.time.sleep", lambda _s: None)
    response = outbox_handler.relay(event, LambdaCtx())
    failed_seq = {f["itemIdentifier"] for f in response["batchItemFailures"]}
    second = event["Records"][1]["dynamodb"]["SequenceNumber"]
    assert failed_seq == {second}
    assert len(bus_listener()) == 1
    assert len(pending_ids(aws_env.table_name)) == 1


def test_a_relay_that_crashes_mid_batch_publishes_the_rest_on_the_next_delivery(
    aws_env, bus_listener, monkeypatch
) -> None:
    ids = write_events(15)  # two PutEvents calls of 10 and 5
    event = stream_event(aws_env.table_name)
    real = aws.events()
    monkeypatch.setattr(aws, "events", lambda: FlakyEvents(real, crash_on_call=2))
    with pytest.raises(RuntimeError, match="relay crashed"):
        outbox_handler.relay(event, LambdaCtx())
    first = bus_listener()
    assert len(first) == 10
    assert len(pending_ids(aws_env.table_name)) == 5

    monkeypatch.setattr(aws, "events", lambda: real)
    assert outbox_handler.relay(event, LambdaCtx()) == {"batchItemFailures": []}
    rest = bus_listener()
    assert sorted(e["detail"]["event_id"] for e in first + rest) == sorted(ids)
    assert pending_ids(aws_env.table_name) == set()


def test_the_sweeper_publishes_what_the_stream_left_behind(aws_env, bus_listener) -> None:
    fixed = clock.FixedClock()
    with clock.use_clock(fixed):
        ids = write_events(3)
        # the stream relay never ran (records expired); young records are left to the relay
        assert outbox_handler.sweep({}, LambdaCtx()) == {"published": 0, "failed": 0}
        fixed.advance(timedelta(minutes=10))
        assert outbox_handler.sweep({}, LambdaCtx()) == {"published": 3, "failed": 0}
    assert sorted(e["detail"]["event_id"] for e in bus_listener()) == sorted(ids)
    assert pending_ids(aws_env.table_name) == set()


def test_the_sweeper_finds_pending_events_in_every_shard(aws_env, bus_listener) -> None:
    fixed = clock.FixedClock()
    with clock.use_clock(fixed):
        ids = write_events(120)
        shards = pending_by_partition(aws_env.table_name)
        # writes spread over the shards of the index, none left on one constant key (event
        # ids are random: "all 16 shards" fails 0.7% of runs, "14 or more" about 1 in 10^8)
        assert len(shards) >= OUTBOX_PENDING_SHARDS - 2
        assert max(len(v) for v in shards.values()) < len(ids) / 4
        fixed.advance(timedelta(minutes=10))
        assert outbox_handler.sweep({}, LambdaCtx()) == {"published": 120, "failed": 0}
    assert sorted(e["detail"]["event_id"] for e in bus_listener()) == sorted(ids)
    assert pending_ids(aws_env.table_name) == set()


def put_pending(table_name: str, partition: str, n: int) -> list[str]:
    """Pending outbox records placed in one index partition (a backlog)."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    ids = []
    for i in range(n):
        event = new_event(
            AffiliateCreated(affiliate_id=f"aff_{i:020d}"), actor=SYSTEM, correlation_id=f"b{i}"
        )
        item = {**outbox_item(event), "outbox_pending": partition}
        ddb.put_item(TableName=table_name, Item=to_ddb(item))
        ids.append(event.event_id)
    return ids


def test_a_backlog_in_one_shard_does_not_starve_the_others(aws_env, bus_listener) -> None:
    fixed = clock.FixedClock()
    with clock.use_clock(fixed):
        backlog = put_pending(aws_env.table_name, "PENDING#00", 40)
        others = {
            p: put_pending(aws_env.table_name, p, 1)[0] for p in outbox_pending_partitions()[1:]
        }
        fixed.advance(timedelta(minutes=10))
        partitions = len(outbox_pending_partitions())
        # one round and a bit: every partition's first page, then one more page of the backlog
        result = outbox_logic.sweep(
            default_table(), get_settings(OutboxSettings), max_pages=partitions + 1, page_size=10
        )
        assert set(others.values()) <= result.published
        assert len(result.published & set(backlog)) == 20
        left = pending_by_partition(aws_env.table_name)
        assert list(left) == ["PENDING#00"]
        assert len(left["PENDING#00"]) == 20
        # the next run carries on where the budget stopped
        outbox_logic.sweep(default_table(), get_settings(OutboxSettings), page_size=10)
    assert pending_ids(aws_env.table_name) == set()
    assert len(bus_listener()) == len(backlog) + len(others)


def test_a_cancelled_transaction_leaves_neither_the_state_nor_the_event(aws_env) -> None:
    table = default_table()
    uow = table.unit_of_work()
    uow.create({"pk": "THING#1", "sk": "THING", "name": "first"}, what="Thing")
    uow.commit()

    uow = table.unit_of_work()
    uow.create({"pk": "THING#2", "sk": "THING", "name": "second"}, what="Thing")
    uow.check_exists({"pk": "MISSING#1", "sk": "X"}, what="Missing")
    uow.emit(
        new_event(
            AffiliateCreated(affiliate_id="aff_" + "2" * 20), actor=SYSTEM, correlation_id="c"
        )
    )
    with pytest.raises(NotFound):
        uow.commit()
    assert table.get({"pk": "THING#2", "sk": "THING"}) is None
    assert pending_ids(aws_env.table_name) == set()


def test_two_writers_from_the_same_version_one_wins_one_gets_the_current_state(aws_env) -> None:
    table = default_table()
    uow = table.unit_of_work()
    uow.create({"pk": "THING#1", "sk": "THING", "name": "draft"}, what="Thing")
    uow.commit()
    read_by_both = table.get({"pk": "THING#1", "sk": "THING"})
    assert read_by_both is not None
    assert read_by_both["version"] == 1

    alice = table.unit_of_work()
    alice.replace({**read_by_both, "name": "alice"}, expected_version=1, what="Thing")
    alice.commit()
    bob = table.unit_of_work()
    bob.replace({**read_by_both, "name": "bob"}, expected_version=1, what="Thing")
    with pytest.raises(StaleVersion) as conflict:
        bob.commit()
    # The adapter reports the operation and the item as stored; the caller shows its view.
    assert conflict.value.on({"pk": "THING#1", "sk": "THING"})
    stored_now = conflict.value.stored
    assert stored_now is not None
    shown = conflict.value.showing({"name": stored_now["name"]})
    assert isinstance(shown, VersionConflict)
    assert shown.extensions["current"] == {"name": "alice"}
    assert shown.extensions["current_version"] == 2
    stored = table.get({"pk": "THING#1", "sk": "THING"})
    assert stored is not None
    assert (stored["name"], stored["version"]) == ("alice", 2)
