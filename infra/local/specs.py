"""What provisioning records for the gateway and the workers: plain, resolved data.

Every value here comes from the resolved template (physical names, ARNs, queue URLs), so
the gateway and the workers never read the template or repeat a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FunctionSpec:
    """A Lambda function the local stack runs itself (never created in moto)."""

    logical_id: str
    name: str
    arn: str
    handler: str  # dotted path: package.module.function
    environment: dict[str, str]
    memory_mb: int = 128
    timeout_s: int = 3
    #: What invokes it, for people reading .local/stack.json ("GET /programs", ...).
    triggers: list[str] = field(default_factory=list)
    #: Its role's statements that allow DynamoDB actions, resolved, and the table's ARN: each
    #: DynamoDB call is checked against them (infra/local/table_guard.py), as IAM would.
    table_policy: list[dict[str, Any]] = field(default_factory=list)
    table_arn: str = ""


@dataclass(frozen=True)
class StreamSource:
    """A DynamoDB stream event source mapping (AWS::Lambda::EventSourceMapping)."""

    logical_id: str
    function: str  # logical id of the FunctionSpec
    stream_arn: str
    batch_size: int = 100
    starting_position: str = "LATEST"
    filter_patterns: list[dict[str, Any]] = field(default_factory=list)
    #: -1 means "until the record is too old", as in AWS.
    maximum_retry_attempts: int = -1
    maximum_record_age_s: int = -1
    report_batch_item_failures: bool = False
    on_failure_queue_url: str | None = None


@dataclass(frozen=True)
class QueueSource:
    """An SQS event source mapping: the consumer gets SQS events in batches."""

    logical_id: str
    function: str
    queue_url: str
    queue_arn: str
    batch_size: int = 10
    filter_patterns: list[dict[str, Any]] = field(default_factory=list)
    report_batch_item_failures: bool = False


@dataclass(frozen=True)
class RuleDispatch:
    """An EventBridge rule whose target is a function: locally the rule targets a queue.

    moto's EventBridge delivers only to SQS (and a few others), so the rule is put in moto
    with ``queue_arn`` as target; a worker polls the queue and invokes ``function`` with the
    EventBridge event (the message body).
    """

    rule_logical_id: str
    rule_name: str
    target_id: str
    function: str
    queue_url: str
    queue_arn: str
    #: Asynchronous invocations retry twice by default; then the dead-letter queue, if any.
    maximum_retry_attempts: int = 2
    dead_letter_queue_url: str | None = None


@dataclass(frozen=True)
class Schedule:
    """A scheduled rule (``rate(...)`` or ``cron(...)``) that invokes a function."""

    rule_logical_id: str
    rule_name: str
    rule_arn: str
    expression: str
    function: str
    target_id: str
    #: A constant ``Input`` of the target replaces the scheduled event, as in AWS.
    input: str | None = None
    maximum_retry_attempts: int = 2
    dead_letter_queue_url: str | None = None


@dataclass(frozen=True)
class RestApiSpec:
    """The REST API: its OpenAPI body (with the x-amazon-apigateway extensions), resolved."""

    logical_id: str
    api_id: str
    body: dict[str, Any]
    stage: str = "prod"
