"""Bounces and complaints: SES's configuration set reports them to EventBridge (``aws.ses``,
"Email Bounced" / "Email Complaint Received"), a rule puts them on a queue, and this function
records a suppression per address. The notifier sends nothing more to a suppressed address.

A permanent bounce (the mailbox does not exist) and a complaint (the person marked us as spam)
suppress; a transient bounce (mailbox full, out of office) does not: the next message may
arrive. The first reason recorded stays (a create, conditional on no record).
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import BaseModel, ConfigDict

from functions.notify import store
from shared import clock
from shared.adapters.table import Table, default_table
from shared.collector import entry_point
from shared.errors import AlreadyExists
from shared.observability import logger
from shared.settings import FunctionSettings, cold_start

cold_start(FunctionSettings)

DETAIL_TYPES = ("Email Bounced", "Email Complaint Received")


class SesEvent(BaseModel):
    """The parts of an SES event (through EventBridge) that decide a suppression."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    source: str
    detail_type: str
    detail: dict[str, Any]

    @classmethod
    def of(cls, body: str) -> SesEvent:
        raw = json.loads(body)
        return cls(source=raw["source"], detail_type=raw["detail-type"], detail=raw["detail"])


def suppressions_of(event: SesEvent) -> list[tuple[str, str]]:
    """(address, reason) for each address the event suppresses."""
    if event.source != "aws.ses" or event.detail_type not in DETAIL_TYPES:
        raise ValueError(f"not an SES bounce or complaint: {event.source} {event.detail_type}")
    detail = event.detail
    if event.detail_type == "Email Bounced":
        bounce = detail.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return []
        return [(str(r["emailAddress"]), "bounce") for r in bounce.get("bouncedRecipients", [])]
    complaint = detail.get("complaint") or {}
    return [
        (str(r["emailAddress"]), "complaint") for r in complaint.get("complainedRecipients", [])
    ]


def record(table: Table, email: str, reason: str, message_id: str | None) -> bool:
    """Suppress ``email``; False when it already was."""
    address = email.strip()
    uow = table.unit_of_work()
    store.suppress(uow, address, reason=reason, message_id=message_id, at=clock.now_iso())
    try:
        uow.commit()
    except AlreadyExists:
        return False
    return True


def handle(table: Table, body: str) -> int:
    event = SesEvent.of(body)
    message_id = (event.detail.get("mail") or {}).get("messageId")
    added = sum(record(table, email, why, message_id) for email, why in suppressions_of(event))
    logger.info("suppressions recorded", extra={"added": added})
    return added


@entry_point
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    table = default_table()

    def on_record(record: SQSRecord) -> None:  # Powertools passes it by this name
        handle(table, record.body)

    return dict(
        process_partial_response(
            event=event, record_handler=on_record, processor=processor, context=context
        )
    )
