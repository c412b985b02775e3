"""Keys of the table itself and of the records every service writes (audit log, outbox)."""

from __future__ import annotations

from hashlib import sha256

Key = dict[str, str]

GSI1 = "gsi1"


def audit_partition(scope: str, scope_id: str, day: str) -> str:
    """Audit entries per tenant and day: bounded partitions, read back by day."""
    return f"AUDIT#{scope.upper()}#{scope_id}#{day}"


OUTBOX_PENDING_INDEX = "outbox-pending"
#: Partitions of the outbox-pending index. One constant key would cap every write that emits an
#: event at one index partition's throughput (about 500 events/s); the sweeper reads them all.
OUTBOX_PENDING_SHARDS = 16


def outbox_pending_shard(event_id: str) -> str:
    """The index partition of a pending event: a stable hash of its id, so writes spread."""
    n = int.from_bytes(sha256(event_id.encode()).digest()[:4], "big") % OUTBOX_PENDING_SHARDS
    return f"PENDING#{n:02d}"


def outbox_pending_partitions() -> list[str]:
    """Every partition the sweeper reads: each shard."""
    return [f"PENDING#{n:02d}" for n in range(OUTBOX_PENDING_SHARDS)]


#: Key attribute names (partition, sort) of each secondary index of the template's table.
INDEX_KEYS: dict[str, tuple[str, str]] = {
    GSI1: ("gsi1pk", "gsi1sk"),
    OUTBOX_PENDING_INDEX: ("outbox_pending", "occurred_at"),
}
