"""The local stack's workers against real queues and streams (moto server over HTTP).

Workers are threads polling over HTTP in the stack, so here they talk to a moto server too;
each test calls ``poll_once`` itself, and a recording runtime stands in for the functions.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from infra.local.aws import ACCOUNT_ID, AwsClients, Endpoint
from infra.local.resources import create_queue
from infra.local.specs import FunctionSpec, QueueSource, RuleDispatch, Schedule, StreamSource
from infra.local.workers import (
    EventLogWorker,
    QueueSourceWorker,
    RuleDispatchWorker,
    ScheduleWorker,
    StreamWorker,
)
from tests.support.aws import stream_table
from tests.unit.test_patterns import outbox_stream_filter

REGION = "us-east-1"
FUNCTION = "ConsumerFunction"
RULE_ARN = f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/nqms-test-Sweep"


class FunctionFailed(RuntimeError):
    """What the recording runtime raises when told to fail."""


class RecordingRuntime:
    """Stands in for FunctionRuntime: records each event, answers from a script of results.

    Each call takes the next result: an exception is raised, a function is called with the
    event (for answers that name message ids), anything else is returned. With
    ``repeat_last`` the last result answers every further call; otherwise ``None`` does.
    """

    def __init__(self, *results: Any, repeat_last: bool = False) -> None:
        self.results = list(results)
        self.repeat_last = repeat_last
        self.events: list[Any] = []
        self.clocks: list[datetime | None] = []  # the "as of" each invocation ran at

    def invoke(self, logical_id: str, event: Any, *, now: datetime | None = None) -> Any:
        assert logical_id == FUNCTION
        self.events.append(json.loads(json.dumps(event)))
        self.clocks.append(now)
        if not self.results:
            return None
        keep = self.repeat_last and len(self.results) == 1
        result = self.results[0] if keep else self.results.pop(0)
        if isinstance(result, Exception):
            raise result
        return result(event) if callable(result) else result

    def spec(self, logical_id: str) -> FunctionSpec:
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{logical_id}"
        return FunctionSpec(logical_id, logical_id, arn, "functions.x.handler", {})


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def clients(moto_url: str) -> AwsClients:
    return AwsClients(Endpoint(moto_url, REGION))


def new_queue(clients: AwsClients, **attributes: str) -> tuple[str, str]:
    """A fresh queue (URL, ARN); names are unique so tests never share one."""
    queue = create_queue(clients, f"q-{uuid.uuid4().hex[:12]}", attributes)
    return queue.ref, queue.attributes["Arn"]


def bodies(clients: AwsClients, url: str) -> list[Any]:
    """Every message now visible in the queue, parsed (and consumed)."""
    sqs = clients.sqs()
    found: list[Any] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return found
        for message in messages:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def poll_until(poll: Callable[[], None], done: Callable[[], bool], timeout: float = 10) -> None:
    """Poll (as the worker thread would) until ``done``, for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        poll()
        time.sleep(0.05)


# ==================================================================== SQS event source
def queue_source(clients: AwsClients, **kw: Any) -> QueueSource:
    url, arn = new_queue(clients, VisibilityTimeout="0")  # a failed message is back at once
    return QueueSource("Mapping", FUNCTION, url, arn, **kw)


def send(clients: AwsClients, url: str, *messages: Any) -> None:
    for message in messages:
        clients.sqs().send_message(QueueUrl=url, MessageBody=json.dumps(message))


def test_a_queue_source_delivers_a_batch_of_sqs_records_and_deletes_them(
    clients: AwsClients,
) -> None:
    source = queue_source(clients, batch_size=10)
    send(clients, source.queue_url, {"n": 1}, {"n": 2}, {"n": 3})
    runtime = RecordingRuntime()

    QueueSourceWorker(source, runtime, clients).poll_once()

    (event,) = runtime.events
    records = event["Records"]
    assert sorted(json.loads(r["body"])["n"] for r in records) == [1, 2, 3]
    assert {r["eventSource"] for r in records} == {"aws:sqs"}
    assert {r["eventSourceARN"] for r in records} == {source.queue_arn}
    assert bodies(clients, source.queue_url) == []


def test_a_queue_source_filters_on_the_json_body_and_drops_the_rest(
    clients: AwsClients,
) -> None:
    source = queue_source(clients, filter_patterns=[{"body": {"kind": ["keep"]}}])
    send(clients, source.queue_url, {"kind": "keep", "n": 1}, {"kind": "skip", "n": 2})
    runtime = RecordingRuntime()

    QueueSourceWorker(source, runtime, clients).poll_once()

    (event,) = runtime.events
    assert [json.loads(r["body"])["n"] for r in event["Records"]] == [1]
    assert bodies(clients, source.queue_url) == []  # Lambda deletes what its filter rejects


def test_a_partial_batch_failure_leaves_only_the_failed_message_to_be_redelivered(
    clients: AwsClients,
) -> None:
    source = queue_source(clients, report_batch_item_failures=True)
    send(clients, source.queue_url, {"n": 1}, {"n": 2})

    def fail_n2(event: Any) -> Any:
        failed = [r["messageId"] for r in event["Records"] if json.loads(r["body"])["n"] == 2]
        return {"batchItemFailures": [{"itemIdentifier": i} for i in failed]}

    runtime = RecordingRuntime(fail_n2)
    worker = QueueSourceWorker(source, runtime, clients)
    worker.poll_once()
    first = [json.loads(r["body"])["n"] for r in runtime.events[0]["Records"]]
    poll_until(worker.poll_once, lambda: len(runtime.events) >= 2)

    assert sorted(first) == [1, 2]
    assert [json.loads(r["body"])["n"] for r in runtime.events[1]["Records"]] == [2]
    assert bodies(clients, source.queue_url) == []


def test_a_failed_batch_stays_in_the_queue(clients: AwsClients) -> None:
    source = queue_source(clients)
    send(clients, source.queue_url, {"n": 1})
    runtime = RecordingRuntime(FunctionFailed("boom"))
    worker = QueueSourceWorker(source, runtime, clients)

    worker.poll_once()
    poll_until(worker.poll_once, lambda: len(runtime.events) >= 2)

    first, second = ([(r["messageId"], r["body"]) for r in e["Records"]] for e in runtime.events)
    assert first == second  # the same message, delivered again
    assert bodies(clients, source.queue_url) == []  # the second delivery succeeded


# ==================================================================== rule -> function
def dispatch(clients: AwsClients, retries: int, with_dlq: bool = True) -> RuleDispatch:
    url, arn = new_queue(clients)
    dlq_url = new_queue(clients)[0] if with_dlq else None
    return RuleDispatch(
        "Rule",
        "nqms-test-Rule",
        "Target",
        FUNCTION,
        url,
        arn,
        retries,
        dead_letter_queue_url=dlq_url,
    )


BUS_EVENT = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "ProgramEnrolled",
    "source": "nqms.directory",
    "account": ACCOUNT_ID,
    "time": "2029-01-01T00:00:00Z",
    "region": REGION,
    "resources": [],
    "detail": {"program_id": "prg_1"},
}


def test_a_rule_target_gets_the_event_once_when_it_succeeds(clients: AwsClients) -> None:
    target = dispatch(clients, retries=2)
    send(clients, target.queue_url, BUS_EVENT)
    runtime = RecordingRuntime()

    RuleDispatchWorker(target, runtime, clients).poll_once()

    assert runtime.events == [BUS_EVENT]
    assert bodies(clients, target.queue_url) == []
    assert target.dead_letter_queue_url is not None
    assert bodies(clients, target.dead_letter_queue_url) == []


def test_a_failing_rule_target_is_retried_then_the_event_goes_to_the_dead_letter_queue(
    clients: AwsClients,
) -> None:
    target = dispatch(clients, retries=1)
    send(clients, target.queue_url, BUS_EVENT)
    runtime = RecordingRuntime(FunctionFailed("boom"), repeat_last=True)
    worker = RuleDispatchWorker(target, runtime, clients)
    assert target.dead_letter_queue_url is not None
    dead: list[Any] = []

    def dead_lettered() -> bool:
        dead.extend(bodies(clients, str(target.dead_letter_queue_url)))
        return bool(dead)

    poll_until(worker.poll_once, dead_lettered)

    assert runtime.events == [BUS_EVENT, BUS_EVENT]  # the first try and one retry
    assert dead == [BUS_EVENT]
    assert bodies(clients, target.queue_url) == []


# ==================================================================== schedules
def schedule(clients: AwsClients, retries: int = 2, constant: str | None = None) -> Schedule:
    dlq_url = new_queue(clients)[0]
    return Schedule(
        "Sweep",
        "nqms-test-Sweep",
        RULE_ARN,
        "rate(5 minutes)",
        FUNCTION,
        "Target",
        input=constant,
        maximum_retry_attempts=retries,
        dead_letter_queue_url=dlq_url,
    )


AT = datetime(2029, 1, 1, 6, 30, tzinfo=UTC)


def test_a_schedule_invokes_with_the_scheduled_event_of_its_rule(clients: AwsClients) -> None:
    runtime = RecordingRuntime()
    worker = ScheduleWorker(schedule(clients), runtime, clients, now=lambda: AT)

    worker.poll_once()

    (event,) = runtime.events
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["resources"] == [RULE_ARN]
    assert event["time"] == "2029-01-01T06:30:00Z"
    assert (event["account"], event["region"], event["detail"]) == (ACCOUNT_ID, REGION, {})
    assert worker.interval == 300
    assert runtime.clocks == [AT]  # the function runs as of the schedule's time


def test_a_constant_input_replaces_the_scheduled_event(clients: AwsClients) -> None:
    runtime = RecordingRuntime()
    rule = schedule(clients, constant='{"dry_run": true}')

    ScheduleWorker(rule, runtime, clients, now=lambda: AT).poll_once()

    assert runtime.events == [{"dry_run": True}]


def test_a_schedule_that_keeps_failing_is_retried_then_dead_lettered(clients: AwsClients) -> None:
    rule = schedule(clients, retries=1)
    runtime = RecordingRuntime(FunctionFailed("boom"), repeat_last=True)

    ScheduleWorker(rule, runtime, clients, now=lambda: AT).poll_once()

    assert len(runtime.events) == 2
    assert rule.dead_letter_queue_url is not None
    (dead,) = bodies(clients, rule.dead_letter_queue_url)
    assert dead["resources"] == [RULE_ARN]
    assert dead["time"] == "2029-01-01T06:30:00Z"


# ==================================================================== DynamoDB stream
@pytest.fixture
def table(clients: AwsClients) -> tuple[str, str]:
    """A fresh table with a stream: (name, stream ARN)."""
    name = f"t-{uuid.uuid4().hex[:12]}"
    described = clients.dynamodb().create_table(**stream_table(name))["TableDescription"]
    return name, described["LatestStreamArn"]


def put(clients: AwsClients, table_name: str, *pks: str) -> None:
    for pk in pks:
        clients.dynamodb().put_item(TableName=table_name, Item={"pk": {"S": pk}, "sk": {"S": "A"}})


def keys(event: Any) -> list[str]:
    return [r["dynamodb"]["Keys"]["pk"]["S"] for r in event["Records"]]


def stream_source(stream_arn: str, clients: AwsClients, **kw: Any) -> StreamSource:
    return StreamSource(
        "OutboxStream",
        FUNCTION,
        stream_arn,
        starting_position="TRIM_HORIZON",
        filter_patterns=[outbox_stream_filter()],
        **kw,
    )


def test_the_outbox_stream_delivers_inserted_outbox_records_in_batches(
    clients: AwsClients, table: tuple[str, str]
) -> None:
    name, stream_arn = table
    put(clients, name, "OUTBOX#1", "PROGRAM#1", "OUTBOX#2", "OUTBOX#3")
    clients.dynamodb().update_item(
        TableName=name,
        Key={"pk": {"S": "OUTBOX#1"}, "sk": {"S": "A"}},
        UpdateExpression="SET published = :t",
        ExpressionAttributeValues={":t": {"BOOL": True}},
    )
    runtime = RecordingRuntime()
    source = stream_source(stream_arn, clients, batch_size=2)

    StreamWorker(source, runtime, clients).poll_once()

    assert [keys(e) for e in runtime.events] == [["OUTBOX#1", "OUTBOX#2"], ["OUTBOX#3"]]
    record = runtime.events[0]["Records"][0]
    assert record["eventName"] == "INSERT"
    assert record["eventSourceARN"] == stream_arn
    assert record["dynamodb"]["NewImage"]["pk"] == {"S": "OUTBOX#1"}


def test_a_partial_stream_failure_retries_from_the_first_failed_record(
    clients: AwsClients, table: tuple[str, str]
) -> None:
    name, stream_arn = table
    put(clients, name, "OUTBOX#1", "OUTBOX#2", "OUTBOX#3")
    runtime = RecordingRuntime(
        lambda event: {
            "batchItemFailures": [
                {"itemIdentifier": event["Records"][1]["dynamodb"]["SequenceNumber"]}
            ]
        }
    )
    source = stream_source(stream_arn, clients, report_batch_item_failures=True)

    StreamWorker(source, runtime, clients).poll_once()

    assert [keys(e) for e in runtime.events] == [
        ["OUTBOX#1", "OUTBOX#2", "OUTBOX#3"],
        ["OUTBOX#2", "OUTBOX#3"],
    ]


def test_a_stream_batch_that_keeps_failing_goes_to_the_on_failure_queue(
    clients: AwsClients, table: tuple[str, str]
) -> None:
    name, stream_arn = table
    put(clients, name, "OUTBOX#1", "OUTBOX#2")
    on_failure = new_queue(clients)[0]
    runtime = RecordingRuntime(FunctionFailed("boom"), repeat_last=True)
    source = stream_source(
        stream_arn, clients, maximum_retry_attempts=1, on_failure_queue_url=on_failure
    )

    StreamWorker(source, runtime, clients).poll_once()

    assert [keys(e) for e in runtime.events] == [["OUTBOX#1", "OUTBOX#2"]] * 2
    (record,) = bodies(clients, on_failure)
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["requestContext"]["functionArn"].endswith(f":function:{FUNCTION}")
    assert record["responseContext"]["functionError"] == "FunctionFailed"
    info = record["DDBStreamBatchInfo"]
    assert info["batchSize"] == 2
    assert info["streamArn"] == stream_arn
    sequence = [r["dynamodb"]["SequenceNumber"] for r in runtime.events[0]["Records"]]
    assert (info["startSequenceNumber"], info["endSequenceNumber"]) == (sequence[0], sequence[-1])


# ==================================================================== the event log
def test_the_event_log_appends_every_bus_event_as_one_json_line(
    clients: AwsClients, tmp_path: Path
) -> None:
    url = new_queue(clients)[0]
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps({"earlier": True}) + "\n", encoding="utf-8")
    later = BUS_EVENT | {"id": "second", "detail-type": "AffiliateCreated"}
    send(clients, url, BUS_EVENT, later)

    EventLogWorker(url, path, clients).poll_once()

    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [{"earlier": True}, BUS_EVENT, later]
    assert lines[1] == json.dumps(BUS_EVENT, sort_keys=True)
    assert bodies(clients, url) == []
