"""The outbox record: how a domain event sits in the table until the relay publishes it.

Builds and reads items, and marks one published; the relay and the sweeper (functions/outbox)
move them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from shared.adapters.table import Key, Page, Table, key_of
from shared.events import Envelope
from shared.keys import (
    INDEX_KEYS,
    OUTBOX_PENDING_INDEX,
    outbox_pending_partitions,
    outbox_pending_shard,
)

OUTBOX_PREFIX = "OUTBOX#"
PENDING_INDEX = OUTBOX_PENDING_INDEX
#: The sparse index's partition key: present while the event waits to be published.
PENDING_ATTRIBUTE = INDEX_KEYS[OUTBOX_PENDING_INDEX][0]


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


def mark_published(table: Table, item: Mapping[str, Any], *, at: str, expires_at: int) -> None:
    """The item published at ``at``: out of the pending index, kept until ``expires_at`` (TTL)."""
    table.set_fields(
        key_of(item),
        set_values={"published_at": at, "expires_at": expires_at},
        remove=[PENDING_ATTRIBUTE],
    )


def pending_partitions() -> list[str]:
    """Every partition of the pending index (its shards): what the sweeper reads."""
    return outbox_pending_partitions()


def pending_page(table: Table, partition: str, start: Key | None, *, limit: int) -> Page:
    """A page of one pending partition, oldest first, from ``start`` (None: its beginning)."""
    return table.query(partition, index=PENDING_INDEX, limit=limit, start_key=start)


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
