"""Background workers: what Lambda's pollers and EventBridge do for the functions in AWS.

- :class:`StreamWorker`: a DynamoDB stream event source mapping (filter, batch, partial
  batch failures, retries, on-failure destination).
- :class:`QueueSourceWorker`: an SQS event source mapping.
- :class:`RuleDispatchWorker`: a rule whose target is a function (rule -> SQS -> function,
  see :class:`~infra.local.specs.RuleDispatch`), with async-invoke retries and DLQ.
- :class:`ScheduleWorker`: a ``rate(...)`` schedule.
- :class:`EventLogWorker`: the local-only catch-all rule -> ``.local/events.jsonl``.

Every worker is a daemon thread that polls until :meth:`Worker.stop`.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra.local.aws import AwsClients
from infra.local.patterns import matches_any
from infra.local.runtime import FunctionRuntime
from infra.local.schedules import is_cron, rate_interval
from infra.local.shapes import (
    failed_items,
    filterable_sqs_record,
    first_failed_index,
    on_failure_record,
    scheduled_event,
    sqs_record,
    stream_batch_info,
    stream_record,
)
from infra.local.specs import QueueSource, RuleDispatch, Schedule, StreamSource

log = logging.getLogger("infra.local.workers")

POLL_SECONDS = 0.2
MAX_BACKOFF_SECONDS = 5.0


class Worker(threading.Thread):
    """A daemon thread calling :meth:`poll_once` every ``interval`` seconds until stopped."""

    def __init__(self, name: str, interval: float = POLL_SECONDS) -> None:
        super().__init__(name=name, daemon=True)
        self.interval = interval
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.poll_once()
            except Exception:
                if not self.stopping:  # stopping: moto may be gone mid-poll, nothing to report
                    log.exception("worker %s: poll failed", self.name)
            self._stopping.wait(self.interval)

    def poll_once(self) -> None:
        raise NotImplementedError

    def signal_stop(self) -> None:
        self._stopping.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def pause(self, seconds: float) -> bool:
        """Wait, unless asked to stop; True when stopping."""
        return self._stopping.wait(seconds)


def _backoff(attempt: int) -> float:
    return float(min(MAX_BACKOFF_SECONDS, POLL_SECONDS * 2**attempt))


def _now() -> datetime:
    return datetime.now(UTC)


# ==================================================================== DynamoDB streams
class StreamWorker(Worker):
    """Polls a table's stream and invokes the function with filtered batches, in order."""

    def __init__(self, source: StreamSource, runtime: FunctionRuntime, clients: AwsClients) -> None:
        super().__init__(f"stream:{source.logical_id}")
        self.source = source
        self._runtime = runtime
        self._clients = clients
        self._iterators: dict[str, str] = {}
        #: Per shard, the last sequence number handled (delivered, filtered out or given
        #: up): a saved state forgets the records up to it (see infra.local.persistence).
        self.handled: dict[str, int] = {}

    def poll_once(self) -> None:
        if not self._iterators:
            self._iterators = self._open_iterators()
        for shard_id in list(self._iterators):
            self._poll_shard(shard_id)

    def _open_iterators(self) -> dict[str, str]:
        streams = self._clients.dynamodb_streams()
        shards = streams.describe_stream(StreamArn=self.source.stream_arn)["StreamDescription"]
        iterators = {}
        for shard in shards.get("Shards", []):
            iterators[shard["ShardId"]] = streams.get_shard_iterator(
                StreamArn=self.source.stream_arn,
                ShardId=shard["ShardId"],
                ShardIteratorType=self.source.starting_position,  # type: ignore[arg-type]
            )["ShardIterator"]
        return iterators

    def _poll_shard(self, shard_id: str) -> None:
        streams = self._clients.dynamodb_streams()
        response = streams.get_records(ShardIterator=self._iterators[shard_id], Limit=1000)
        raw = response.get("Records", [])
        next_iterator = response.get("NextShardIterator")
        if next_iterator:
            self._iterators[shard_id] = next_iterator
        else:
            del self._iterators[shard_id]
        region = self._clients.endpoint.region
        records = [stream_record(r, self.source.stream_arn, region) for r in raw]
        wanted = [r for r in records if matches_any(self.source.filter_patterns, r)]
        size = self.source.batch_size
        for start in range(0, len(wanted), size):
            batch = wanted[start : start + size]
            if self.stopping or not self._deliver(batch, shard_id):
                return
            self.handled[shard_id] = int(batch[-1]["dynamodb"]["SequenceNumber"])
        if raw:
            self.handled[shard_id] = int(raw[-1]["dynamodb"]["SequenceNumber"])

    def _deliver(self, batch: list[dict[str, Any]], shard_id: str) -> bool:
        """Invoke until the batch succeeds, retrying from the first failed record.

        False when stopped before the batch was delivered or given up.
        """
        attempt = 0
        while batch:
            failed_from, error = self._invoke(batch)
            if failed_from is None:
                return True
            batch = batch[failed_from:]
            attempt += 1
            if self._exhausted(attempt, batch):
                self._give_up(batch, shard_id, attempt, error)
                return True
            if self.pause(_backoff(attempt)):
                return False
        return True

    def _invoke(self, batch: list[dict[str, Any]]) -> tuple[int | None, str | None]:
        try:
            result = self._runtime.invoke(self.source.function, {"Records": batch})
        except Exception as exc:
            log.exception(
                "%s: %s failed on a batch of %d", self.name, self.source.function, len(batch)
            )
            return 0, type(exc).__name__
        if not self.source.report_batch_item_failures:
            return None, None
        identifiers = [r["dynamodb"]["SequenceNumber"] for r in batch]
        return first_failed_index(result, identifiers), None

    def _exhausted(self, attempt: int, batch: list[dict[str, Any]]) -> bool:
        retries = self.source.maximum_retry_attempts
        if retries >= 0 and attempt > retries:
            return True
        max_age = self.source.maximum_record_age_s
        created = batch[0]["dynamodb"].get("ApproximateCreationDateTime")
        return max_age >= 0 and isinstance(created, int) and _now().timestamp() - created > max_age

    def _give_up(
        self, batch: list[dict[str, Any]], shard_id: str, attempts: int, error: str | None
    ) -> None:
        log.error("%s: giving up on %d records after %d attempts", self.name, len(batch), attempts)
        queue_url = self.source.on_failure_queue_url
        if queue_url is None:
            return
        record = on_failure_record(
            function_arn=self._runtime.spec(self.source.function).arn,
            attempts=attempts,
            condition="RetryAttemptsExhausted",
            batch_info_key="DDBStreamBatchInfo",
            batch_info=stream_batch_info(batch, self.source.stream_arn, shard_id),
            error=error,
            at=_now(),
        )
        self._clients.sqs().send_message(QueueUrl=queue_url, MessageBody=json.dumps(record))


# ==================================================================== SQS consumers
class QueueSourceWorker(Worker):
    """An SQS event source mapping: batches of messages; failures stay in the queue."""

    def __init__(self, source: QueueSource, runtime: FunctionRuntime, clients: AwsClients) -> None:
        super().__init__(f"sqs:{source.logical_id}")
        self.source = source
        self._runtime = runtime
        self._clients = clients

    def poll_once(self) -> None:
        sqs = self._clients.sqs()
        messages = sqs.receive_message(
            QueueUrl=self.source.queue_url,
            MaxNumberOfMessages=min(10, self.source.batch_size),
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        region = self._clients.endpoint.region
        records = [sqs_record(m, self.source.queue_arn, region) for m in messages]
        wanted = [
            r for r in records if matches_any(self.source.filter_patterns, filterable_sqs_record(r))
        ]
        skipped = [r for r in records if r not in wanted]
        self._delete_messages(skipped)  # Lambda drops messages its filters reject
        if wanted:
            self._delete_messages(self._process(wanted))

    def _process(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Invoke; returns the records that succeeded (to delete)."""
        try:
            result = self._runtime.invoke(self.source.function, {"Records": records})
        except Exception:
            log.exception("%s: %s failed", self.name, self.source.function)
            return []
        if not self.source.report_batch_item_failures:
            return records
        failed = failed_items(result, [r["messageId"] for r in records])
        if failed is None:
            return []
        return [r for r in records if r["messageId"] not in failed]

    def _delete_messages(self, records: list[dict[str, Any]]) -> None:
        sqs = self._clients.sqs()
        for record in records:
            sqs.delete_message(
                QueueUrl=self.source.queue_url, ReceiptHandle=record["receiptHandle"]
            )


class RuleDispatchWorker(Worker):
    """Delivers a rule's events (from its local queue) to the function, one at a time.

    Like an asynchronous invocation: retried up to ``maximum_retry_attempts`` times, then
    sent to the target's dead-letter queue, if any.
    """

    def __init__(
        self, dispatch: RuleDispatch, runtime: FunctionRuntime, clients: AwsClients
    ) -> None:
        super().__init__(f"rule:{dispatch.rule_name}/{dispatch.target_id}")
        self.dispatch = dispatch
        self._runtime = runtime
        self._clients = clients

    def poll_once(self) -> None:
        sqs = self._clients.sqs()
        messages = sqs.receive_message(
            QueueUrl=self.dispatch.queue_url,
            MaxNumberOfMessages=10,
            MessageSystemAttributeNames=["ApproximateReceiveCount"],
        ).get("Messages", [])
        for message in messages:
            self._handle(message)

    def _handle(self, message: Mapping[str, Any]) -> None:
        sqs = self._clients.sqs()
        url = self.dispatch.queue_url
        receives = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
        try:
            self._runtime.invoke(self.dispatch.function, json.loads(message["Body"]))
        except Exception:
            log.exception("%s: %s failed (attempt %d)", self.name, self.dispatch.function, receives)
            if receives <= self.dispatch.maximum_retry_attempts:
                sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=receives
                )
                return
            self._dead_letter(message["Body"])
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def _dead_letter(self, body: str) -> None:
        if self.dispatch.dead_letter_queue_url:
            self._clients.sqs().send_message(
                QueueUrl=self.dispatch.dead_letter_queue_url, MessageBody=body
            )


# ==================================================================== schedules
def run_schedule_once(
    schedule: Schedule, runtime: FunctionRuntime, clients: AwsClients, at: datetime
) -> Any:
    """One scheduled invocation (what EventBridge sends); exceptions propagate."""
    endpoint = clients.endpoint
    event: Any = (
        json.loads(schedule.input)
        if schedule.input is not None
        else scheduled_event(schedule.rule_arn, endpoint.region, endpoint.account_id, at)
    )
    return runtime.invoke(schedule.function, event, now=at)


class ScheduleWorker(Worker):
    """Invokes the function every ``rate(...)``; the first run is one interval after start."""

    def __init__(
        self,
        schedule: Schedule,
        runtime: FunctionRuntime,
        clients: AwsClients,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        interval = rate_interval(schedule.expression).total_seconds()
        super().__init__(f"schedule:{schedule.rule_name}", interval)
        self.schedule = schedule
        self._runtime = runtime
        self._clients = clients
        #: The runtime's clock by default: a stack run as of another date runs its jobs so.
        self._now = now or runtime.now

    def run(self) -> None:
        while not self.pause(self.interval):
            self.poll_once()

    def poll_once(self) -> None:
        for attempt in range(self.schedule.maximum_retry_attempts + 1):
            try:
                run_schedule_once(self.schedule, self._runtime, self._clients, self._now())
                return
            except Exception:
                log.exception("%s: attempt %d failed", self.name, attempt + 1)
            if self.pause(_backoff(attempt)):
                return
        self._dead_letter()

    def _dead_letter(self) -> None:
        url = self.schedule.dead_letter_queue_url
        if url:
            endpoint = self._clients.endpoint
            event = scheduled_event(
                self.schedule.rule_arn, endpoint.region, endpoint.account_id, self._now()
            )
            self._clients.sqs().send_message(QueueUrl=url, MessageBody=json.dumps(event))


def schedule_workers(
    schedules: list[Schedule], runtime: FunctionRuntime, clients: AwsClients
) -> list[Worker]:
    """A worker per rate schedule; a cron schedule does not run by itself locally (one
    informative line says how to run it: nothing is wrong, so not a warning)."""
    workers: list[Worker] = []
    for schedule in schedules:
        if is_cron(schedule.expression):
            log.info(
                "schedule %s (%s) runs on demand locally: make job NAME=%s",
                schedule.rule_name,
                schedule.expression,
                schedule.function,
            )
            continue
        workers.append(ScheduleWorker(schedule, runtime, clients))
    return workers


# ==================================================================== the event log
class EventLogWorker(Worker):
    """Appends every event that crossed the bus (catch-all rule -> queue) to a JSONL file."""

    def __init__(self, queue_url: str, path: Path, clients: AwsClients) -> None:
        super().__init__("event-log")
        self.queue_url = queue_url
        self.path = path
        self._clients = clients

    def poll_once(self) -> None:
        sqs = self._clients.sqs()
        messages = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        )
        if not messages:
            return
        with self.path.open("a", encoding="utf-8") as log_file:
            for message in messages:
                log_file.write(json.dumps(json.loads(message["Body"]), sort_keys=True) + "\n")
        for message in messages:
            sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
