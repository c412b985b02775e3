"""Moving outbox records to the bus: the stream relay's batch and the sweeper's catch-up.

A record is published, then marked published (its sparse ``outbox_pending`` key removed and a
TTL set). Records already marked are skipped, so a redelivered batch publishes only what is
left; a duplicate publish after a crash between the two steps is harmless because consumers
are idempotent on ``event_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from functions.outbox.settings import OutboxSettings
from shared import clock
from shared.adapters import bus
from shared.adapters.table import Item, Key, Table, key_of
from shared.store.outbox import (
    is_pending,
    mark_published,
    outbox_item_of_image,
    pending_page,
    pending_partitions,
    put_events_entry,
)


@dataclass(frozen=True)
class PublishResult:
    published: set[str]  # event ids now on the bus
    failed: set[str]  # event ids that could not be published (retry later)
    skipped: set[str]  # event ids that were already published


def _mark_published(table: Table, items: Sequence[Item], settings: OutboxSettings) -> None:
    now = clock.now()
    expires_at = int((now + timedelta(seconds=settings.outbox_retention_seconds)).timestamp())
    for item in items:
        mark_published(table, item, at=clock.now_iso(), expires_at=expires_at)


def publish_records(
    table: Table, records: Sequence[Item], settings: OutboxSettings
) -> PublishResult:
    """Publish the given outbox items that are still pending; mark each chunk as it lands."""
    current = {i["event_id"]: i for i in table.batch_get([key_of(r) for r in records])}
    pending = [r for r in records if is_pending(current.get(r["event_id"], {}))]
    skipped = {r["event_id"] for r in records} - {r["event_id"] for r in pending}
    entries = [put_events_entry(r, settings.event_bus_name) for r in pending]
    published: set[str] = set()

    def record_progress(indexes: list[int]) -> None:
        done = [pending[i] for i in indexes]
        _mark_published(table, done, settings)
        published.update(r["event_id"] for r in done)

    failed_indexes = bus.publish(entries, on_published=record_progress)
    return PublishResult(
        published=published,
        failed={pending[i]["event_id"] for i in failed_indexes},
        skipped=skipped,
    )


def sweep(
    table: Table, settings: OutboxSettings, *, max_pages: int = 68, page_size: int = 100
) -> PublishResult:
    """Re-publish records left pending longer than the grace period (the stream's backstop).

    Reads every partition of the sharded index round-robin, one page per partition per round,
    so a backlog in one shard cannot starve the others; at most ``max_pages`` queries per run
    (what is left is found by the next run). A partition is done at its first record younger
    than the cutoff (each is oldest first) or at its end.
    """
    cutoff = clock.now() - timedelta(seconds=settings.outbox_sweep_grace_seconds)
    cutoff_iso = cutoff.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    totals = PublishResult(set(), set(), set())
    open_partitions: dict[str, Key | None] = dict.fromkeys(pending_partitions())
    pages = 0
    while open_partitions and pages < max_pages:
        for partition, start in list(open_partitions.items()):
            if pages >= max_pages:
                break
            pages += 1
            page = pending_page(table, partition, start, limit=page_size)
            due = [k for k in page.items if str(k["occurred_at"]) <= cutoff_iso]
            if due:
                result = publish_records(table, table.batch_get([key_of(k) for k in due]), settings)
                totals.published.update(result.published)
                totals.failed.update(result.failed)
                totals.skipped.update(result.skipped)
            if page.last_key is None or len(due) < len(page.items):
                del open_partitions[partition]  # the rest is younger than the cutoff
            else:
                open_partitions[partition] = page.last_key
    return totals


def items_from_stream(records: Sequence[Any]) -> list[Item]:
    """The outbox items of DynamoDB stream records (their new images)."""
    items: list[Item] = []
    for record in records:
        image = record.dynamodb.new_image if record.dynamodb else None
        item = outbox_item_of_image(image) if image else None
        if item is not None:
            items.append(item)
    return items
