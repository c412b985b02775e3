"""The outbox-pending index is sharded: events spread over every partition, stably."""

from __future__ import annotations

from collections import Counter

from shared.events import SYSTEM, AffiliateCreated, new_event
from shared.keys import OUTBOX_PENDING_SHARDS, outbox_pending_partitions, outbox_pending_shard
from shared.store.outbox import outbox_item


def test_pending_events_spread_evenly_over_every_shard() -> None:
    events = [
        new_event(AffiliateCreated(affiliate_id=f"aff_{i:020d}"), actor=SYSTEM, correlation_id="c")
        for i in range(3200)
    ]
    per_shard = Counter(outbox_item(e)["outbox_pending"] for e in events)
    assert len(per_shard) == OUTBOX_PENDING_SHARDS > 1
    average = len(events) / OUTBOX_PENDING_SHARDS
    # no hot partition: the busiest shard takes well under twice its share
    assert max(per_shard.values()) < 1.5 * average
    assert min(per_shard.values()) > 0.5 * average


def test_an_events_shard_is_stable_and_one_the_sweeper_reads() -> None:
    shard = outbox_pending_shard("0f8e6a6e-3c0b-4a57-9d1e-2f0b3f4b5a61")
    assert shard == outbox_pending_shard("0f8e6a6e-3c0b-4a57-9d1e-2f0b3f4b5a61")
    assert shard in outbox_pending_partitions()
    assert set(outbox_pending_partitions()) >= {outbox_pending_shard(str(i)) for i in range(1000)}
