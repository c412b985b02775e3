"""The outbox record: how a domain event sits in the table until the relay publishes it.

Pure: builds and reads items; the relay and the sweeper (functions/outbox) move them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from shared.events import Envelope
from shared.keys import OUTBOX_PENDING_INDEX, outbox_pending_shard

OUTBOX_PREFIX = "OUTBOX#"
PENDING_INDEX = OUTBOX_PENDING_INDEX


def outbox_key(event_id: str) -> dict[str, str]:
    return {"pk": OUTBOX_PREFIX + event_id, "sk": "OUTBOX"}


def outbox_item(event: Envelope) -> dict[str, Any]:
    return {
        **outbox_key(event.event_id),
        "type": "outbox",
        "event_id": event.event_id,
        "event_type": event.event_type,
        "source": event.source,
        "detail": event.model_dump_json(),
        "occurred_at": event.occurred_at,
        # Sparse index key: present until published, so the sweeper finds what is left;
        # sharded by event id, so no single index partition takes every event.
        "outbox_pending": outbox_pending_shard(event.event_id),
    }


def is_pending(item: dict[str, Any]) -> bool:
    """Not yet marked published (whichever shard it sits in)."""
    return bool(item.get("outbox_pending"))


def outbox_item_of_image(image: Mapping[str, Any]) -> dict[str, Any] | None:
    """The outbox item a stream record's new image holds (its keys and event id as strings),
    or None for an image of any other record."""
    if not str(image.get("pk", "")).startswith(OUTBOX_PREFIX):
        return None
    return {k: (str(v) if k in {"pk", "sk", "event_id"} else v) for k, v in image.items()}


def envelope_of(item: dict[str, Any]) -> Envelope:
    return Envelope.model_validate(json.loads(item["detail"]))


def put_events_entry(item: dict[str, Any], bus_name: str) -> dict[str, Any]:
    """The PutEvents entry for an outbox item (source nqms.<service>, detail-type = name)."""
    return {
        "Source": item["source"],
        "DetailType": item["event_type"],
        "Detail": item["detail"],
        "EventBusName": bus_name,
    }
