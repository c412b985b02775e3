"""Outbox relay (DynamoDB stream -> EventBridge) and its scheduled sweeper. Thin handlers."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from functions.outbox import logic
from functions.outbox.settings import OutboxSettings
from shared.adapters.table import default_table
from shared.collector import entry_point
from shared.observability import logger, metrics
from shared.settings import cold_start, get_settings

cold_start(OutboxSettings)  # the relay's and the sweeper's: the same needs
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


class NotPublished(Exception):
    """The record's event is not on the bus yet; the stream delivers it again."""


@entry_point
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def relay(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Publish the batch's outbox records, then report the ones that failed (partial batch)."""
    records = [DynamoDBRecord(r) for r in event.get("Records", [])]
    items = logic.items_from_stream(records)
    result = logic.publish_records(default_table(), items, get_settings(OutboxSettings))
    metrics.add_metric(name="OutboxPublished", unit="Count", value=len(result.published))
    metrics.add_metric(name="OutboxPublishFailed", unit="Count", value=len(result.failed))

    def check(record: DynamoDBRecord) -> None:
        image = record.dynamodb.new_image if record.dynamodb else None
        if image and str(image.get("event_id")) in result.failed:
            raise NotPublished(str(image.get("event_id")))

    return dict(
        process_partial_response(
            event=event, record_handler=check, processor=processor, context=context
        )
    )


@entry_point
@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def sweep(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Scheduled: publish what the stream left behind (stream records vanish after 24 h)."""
    result = logic.sweep(default_table(), get_settings(OutboxSettings))
    metrics.add_metric(name="OutboxSwept", unit="Count", value=len(result.published))
    logger.info(
        "outbox sweep", extra={"published": len(result.published), "failed": len(result.failed)}
    )
    if result.failed:
        raise RuntimeError(f"{len(result.failed)} outbox records could not be published")
    return {"published": len(result.published), "failed": 0}
