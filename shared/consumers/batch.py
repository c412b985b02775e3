"""An SQS batch of events with partial failures: only the records that failed come back.

The event source mapping must declare ``FunctionResponseTypes: [ReportBatchItemFailures]``:
the function then answers ``{"batchItemFailures": [{"itemIdentifier": <messageId>}, ...]}``
and SQS deletes every other message. A record that cannot be parsed, or whose handler
raises, is such a failure; it comes back after the queue's visibility timeout and, after
``maxReceiveCount`` receives, the queue's redrive policy moves it to the dead-letter queue.
A batch in which every record failed is answered the same way, not by raising, so the
function's own errors mean a crash, never a bad message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from pydantic import BaseModel, ValidationError

from shared.consumers.parsing import EventRecord
from shared.events import Envelope
from shared.observability import logger

#: What a consumer does with one event; its return value is ignored.
EventHandler = Callable[[Envelope], object]
_KEYS = ("event_id", "event_type", "correlation_id")
D = TypeVar("D", bound=BaseModel)


class UnhandledEventType(Exception):
    """The consumer got an event type it has no handler for: the rule and the code disagree."""


def data_or_skip(event: Envelope, model: type[D]) -> D | None:
    """The event's data as ``model``, or None when it does not fit (logged as a warning): a
    consumer whose effect is decided by the table consumes a malformed event quietly."""
    try:
        return event.data_as(model)
    except ValidationError:
        logger.warning(
            "malformed event: skipped",
            extra={"event_type": event.event_type, "event_id": event.event_id},
        )
        return None


def by_type(handlers: Mapping[str, EventHandler]) -> EventHandler:
    """One handler per event type (the rule's ``detail-type`` list); any other type fails."""

    def handle(event: Envelope) -> object:
        handler = handlers.get(event.event_type)
        if handler is None:
            raise UnhandledEventType(f"no handler for {event.event_type}")
        return handler(event)

    return handle


def process_queue_batch(
    event: Mapping[str, Any], handle: EventHandler, context: Any = None
) -> dict[str, Any]:
    """Run ``handle`` on each record's envelope; the partial batch response for SQS."""
    processor = BatchProcessor(
        event_type=EventType.SQS,
        model=EventRecord,
        raise_on_entire_batch_failure=False,
        # Powertools logs each failed record with its traceback (a warning).
        logger=cast(logging.Logger, logger),
    )

    def record_handler(record: EventRecord) -> None:
        envelope = record.body.detail
        logger.append_keys(**{key: getattr(envelope, key) for key in _KEYS})
        try:
            handle(envelope)
        finally:
            logger.remove_keys(list(_KEYS))

    response = process_partial_response(
        event=dict(event), record_handler=record_handler, processor=processor, context=context
    )
    return dict(response)
