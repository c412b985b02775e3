"""The event consumer's path in the local stack, against a moto server as in `make run`:
published event -> rule -> queue (with a DLQ) -> queue worker -> consumer (kit) -> table.

The template fragment below is what badge and notify declare; it is provisioned by the
stack's own provisioner, and the consumer is a real handler built on ``shared.consumers``,
called in-process by the workers (the stack runs it in a process of its own).
"""

from __future__ import annotations

import importlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from infra.local import moto_events
from infra.local.aws import AwsClients, Endpoint
from infra.local.resources import ProvisionedStack, provision
from infra.local.specs import FunctionSpec
from infra.local.template import Template
from infra.local.workers import QueueSourceWorker, RuleDispatchWorker
from shared import adapters
from shared.adapters.table import default_table
from shared.consumers import Inbox, by_type, parse_bus_event, process_queue_batch
from shared.events import Envelope
from shared.store.outbox import outbox_item, put_events_entry
from tests.support.aws import stream_table
from tests.support.consumers import affiliate_created

REGION = "us-east-1"
#: An affiliate the consumer can never welcome: its deliveries always fail.
UNWELCOMABLE = "aff_unwelcomable"
MAX_RECEIVE_COUNT = 2
DIRECT_RETRIES = 1


# --------------------------------------------------------------------------- the consumer
def welcome(event: Envelope) -> None:
    """The effect: one welcome record per affiliate event, applied once (the inbox)."""
    (affiliate_id,) = event.affiliate_ids
    if affiliate_id == UNWELCOMABLE:
        raise RuntimeError("this affiliate cannot be welcomed")
    inbox = Inbox(default_table(), "welcomer")
    inbox.run_once(
        event,
        lambda uow: uow.create(
            {"pk": f"WELCOME#{affiliate_id}", "sk": str(uuid.uuid4()), "event_id": event.event_id},
            what="welcome",
        ),
    )


def queue_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """An SQS-triggered consumer: partial batch failures."""
    return process_queue_batch(event, by_type({"AffiliateCreated": welcome}), context)


def direct_handler(event: dict[str, Any], context: Any) -> None:
    """A consumer that is a rule's target itself: a failure is retried, then dead-lettered."""
    welcome(parse_bus_event(event))


def fragment() -> dict[str, Any]:
    table = stream_table("unused")
    function_environment = {"Variables": {"TABLE_NAME": {"Ref": "Table"}}}
    return {
        "Table": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {k: table[k] for k in ("AttributeDefinitions", "KeySchema")}
            | {"BillingMode": "PAY_PER_REQUEST"},
        },
        "Bus": {"Type": "AWS::Events::EventBus", "Properties": {}},
        "ConsumerDLQ": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "ConsumerQueue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "VisibilityTimeout": 0,  # a failed message is back at once (60+ in AWS)
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": ["ConsumerDLQ", "Arn"]},
                    "maxReceiveCount": MAX_RECEIVE_COUNT,
                },
            },
        },
        "ConsumerRule": {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "EventBusName": {"Ref": "Bus"},
                "EventPattern": {"source": ["nqms.directory"], "detail-type": ["AffiliateCreated"]},
                "Targets": [{"Id": "Queue", "Arn": {"Fn::GetAtt": ["ConsumerQueue", "Arn"]}}],
            },
        },
        "ConsumerFunction": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Handler": f"{__name__}.queue_handler",
                "Environment": function_environment,
            },
        },
        "ConsumerMapping": {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "EventSourceArn": {"Fn::GetAtt": ["ConsumerQueue", "Arn"]},
                "FunctionName": {"Ref": "ConsumerFunction"},
                "BatchSize": 10,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
            },
        },
        "DirectDLQ": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "DirectFunction": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Handler": f"{__name__}.direct_handler",
                "Environment": function_environment,
            },
        },
        "DirectRule": {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "EventBusName": {"Ref": "Bus"},
                "EventPattern": {"source": ["nqms.directory"], "detail-type": ["AffiliateCreated"]},
                "Targets": [
                    {
                        "Id": "Function",
                        "Arn": {"Fn::GetAtt": ["DirectFunction", "Arn"]},
                        "RetryPolicy": {"MaximumRetryAttempts": DIRECT_RETRIES},
                        "DeadLetterConfig": {"Arn": {"Fn::GetAtt": ["DirectDLQ", "Arn"]}},
                    }
                ],
            },
        },
    }


# --------------------------------------------------------------------------- the stack
class InProcessRuntime:
    """Stands in for FunctionRuntime: calls the handler in this process, records each event."""

    def __init__(self, stack: ProvisionedStack) -> None:
        self.stack = stack
        self.events: list[tuple[str, Any]] = []

    def invoke(self, logical_id: str, event: Any, *, now: datetime | None = None) -> Any:
        self.events.append((logical_id, json.loads(json.dumps(event))))
        module, name = self.spec(logical_id).handler.rsplit(".", 1)
        return getattr(importlib.import_module(module), name)(event, None)

    def spec(self, logical_id: str) -> FunctionSpec:
        return self.stack.functions[logical_id]

    def affiliates(self, logical_id: str) -> list[list[str]]:
        """Per invocation of the function, the affiliate of each event it got."""
        found = []
        for function, event in self.events:
            if function != logical_id:
                continue
            bus_events = (
                [json.loads(r["body"]) for r in event["Records"]] if "Records" in event else [event]
            )
            found.append([e["detail"]["affiliate_ids"][0] for e in bus_events])
        return found


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    moto_events.install()  # as the local stack does
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def stack(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProvisionedStack]:
    """The fragment provisioned under a fresh name; the functions' variables in place."""
    clients = AwsClients(Endpoint(moto_url, REGION))
    template = Template(resources=fragment(), parameters={}, conditions={})
    provisioned = provision(template, clients, f"kit-{uuid.uuid4().hex[:8]}")
    environment = provisioned.functions["ConsumerFunction"].environment | {
        "EVENT_BUS_NAME": provisioned.ref("Bus"),
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
    }
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    adapters.reset()
    yield provisioned
    adapters.reset()


@pytest.fixture
def clients(moto_url: str) -> AwsClients:
    return AwsClients(Endpoint(moto_url, REGION))


def publish(clients: AwsClients, stack: ProvisionedStack, *events: Envelope) -> None:
    """What the outbox relay does with each event."""
    entries = [put_events_entry(outbox_item(e), stack.ref("Bus")) for e in events]
    response = clients.events().put_events(Entries=entries)
    assert response["FailedEntryCount"] == 0


def welcomes(clients: AwsClients, stack: ProvisionedStack, affiliate_id: str) -> int:
    return int(
        clients.dynamodb().query(
            TableName=stack.ref("Table"),
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"WELCOME#{affiliate_id}"}},
            ConsistentRead=True,
        )["Count"]
    )


def drain(clients: AwsClients, url: str) -> list[Any]:
    """Every message now visible in the queue, parsed (and consumed)."""
    found: list[Any] = []
    while (
        messages := clients.sqs()
        .receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        .get("Messages", [])
    ):
        for message in messages:
            found.append(json.loads(message["Body"]))
            clients.sqs().delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return found


def poll_until(poll: Callable[[], None], done: Callable[[], bool], timeout: float = 10) -> None:
    """Poll (as the worker thread would) until ``done``, for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        poll()
        time.sleep(0.05)


def queue_worker(
    stack: ProvisionedStack, runtime: InProcessRuntime, clients: AwsClients
) -> QueueSourceWorker:
    (source,) = stack.queue_sources
    assert source.report_batch_item_failures
    return QueueSourceWorker(source, runtime, clients)


# --------------------------------------------------------------------------- the tests
def test_a_published_event_is_routed_to_the_queue_and_applied_once_however_often_it_comes(
    stack: ProvisionedStack, clients: AwsClients
) -> None:
    runtime = InProcessRuntime(stack)
    worker = queue_worker(stack, runtime, clients)
    event = affiliate_created("aff_1")

    publish(clients, stack, event)
    poll_until(worker.poll_once, lambda: len(runtime.events) == 1)
    publish(clients, stack, event, event)  # delivered twice more (the same event id)
    poll_until(worker.poll_once, lambda: sum(map(len, runtime.affiliates("ConsumerFunction"))) == 3)
    worker.poll_once()

    assert welcomes(clients, stack, "aff_1") == 1
    assert drain(clients, stack.ref("ConsumerQueue")) == []
    assert drain(clients, stack.ref("ConsumerDLQ")) == []


def test_the_rule_routes_only_the_events_it_names(
    stack: ProvisionedStack, clients: AwsClients
) -> None:
    other = affiliate_created("aff_2")
    entry = put_events_entry(outbox_item(other), stack.ref("Bus")) | {
        "DetailType": "ProgramEnrolled"
    }

    clients.events().put_events(Entries=[entry])  # type: ignore[list-item]

    assert drain(clients, stack.ref("ConsumerQueue")) == []


def test_a_failing_record_is_redelivered_alone_then_moved_to_the_dead_letter_queue(
    stack: ProvisionedStack, clients: AwsClients
) -> None:
    runtime = InProcessRuntime(stack)
    worker = queue_worker(stack, runtime, clients)
    good, bad = affiliate_created("aff_1"), affiliate_created(UNWELCOMABLE)
    publish(clients, stack, good, bad)
    dead: list[Any] = []

    def dead_lettered() -> bool:
        dead.extend(drain(clients, stack.ref("ConsumerDLQ")))
        return bool(dead)

    poll_until(worker.poll_once, dead_lettered)

    first, *retries = runtime.affiliates("ConsumerFunction")
    assert sorted(first) == sorted(["aff_1", UNWELCOMABLE])  # one batch of both
    assert retries == [[UNWELCOMABLE]] * (MAX_RECEIVE_COUNT - 1)  # only the failed one again
    assert welcomes(clients, stack, "aff_1") == 1
    (dead_event,) = dead
    assert parse_bus_event(dead_event) == bad  # the DLQ keeps the whole event, to redrive
    assert drain(clients, stack.ref("ConsumerQueue")) == []


def test_a_function_that_is_a_rules_target_is_retried_then_dead_lettered(
    stack: ProvisionedStack, clients: AwsClients
) -> None:
    runtime = InProcessRuntime(stack)
    (dispatch,) = stack.rule_dispatches
    worker = RuleDispatchWorker(dispatch, runtime, clients)
    good, bad = affiliate_created("aff_1"), affiliate_created(UNWELCOMABLE)
    publish(clients, stack, good, bad)
    dead: list[Any] = []

    def dead_lettered() -> bool:
        dead.extend(drain(clients, stack.ref("DirectDLQ")))
        return bool(dead)

    poll_until(worker.poll_once, dead_lettered)

    calls = runtime.affiliates("DirectFunction")
    assert calls.count(["aff_1"]) == 1
    assert calls.count([UNWELCOMABLE]) == 1 + DIRECT_RETRIES
    assert welcomes(clients, stack, "aff_1") == 1
    assert [parse_bus_event(e) for e in dead] == [bad]
