"""The inbox: an event's effect is applied once per consumer, however often it is delivered.

EventBridge and SQS deliver at least once, and two copies of an event may be handled at the
same moment by two invocations. The consumer's effect (the writes it makes in the table,
the events it emits) is committed in ONE transaction with a record keyed by (consumer,
event id): the record's create is conditional, so of two transactions for the same event
exactly one commits; the other is cancelled as a whole and reports "already processed",
which is a success for the batch (the effect exists), not a failure to retry.

A consistent read of the record first lets a plain redelivery skip the effect's own reads;
the transaction, not the read, is what guarantees one effect.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from shared import clock, keys
from shared.adapters.retry import Retry
from shared.adapters.table import CheckFailed, ItemExists, StaleVersion, key_of

if TYPE_CHECKING:
    from shared.adapters.table import Item, Table, UnitOfWork
    from shared.events import Envelope

#: How long an inbox record keeps a redelivery out. Longer than anything redelivers an event:
#: SQS keeps a message (and its DLQ copy) at most 14 days, EventBridge retries for 24 hours.
DEFAULT_RETENTION = timedelta(days=30)
#: A consumer name is part of a key: letters, digits and dashes (``badge-issuer``).
CONSUMER_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")

#: Adds the consumer's writes to the transaction (reading what it needs first); it may be
#: called again when a concurrent writer changed what it read (a conflict of its writes).
Effect = Callable[["UnitOfWork"], object]


@dataclass(frozen=True)
class Inbox:
    """One consumer's inbox on the single table."""

    table: Table
    consumer: str
    #: None keeps records forever (no ``expires_at``).
    retention: timedelta | None = DEFAULT_RETENTION
    #: Transactions tried when the effect's writes lose a race to another writer.
    attempts: int = 3

    def __post_init__(self) -> None:
        if not CONSUMER_NAME.match(self.consumer):
            raise ValueError(f"consumer name {self.consumer!r} must match {CONSUMER_NAME.pattern}")
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")

    def processed(self, event: Envelope, *, part: str | None = None) -> bool:
        """Whether the event (or this part of it) was applied and its record still holds."""
        item = self.table.get(keys.inbox(self.consumer, event.event_id, part))
        return item is not None and not _expired(item)

    def run_once(
        self, event: Envelope, effect: Effect | None = None, *, part: str | None = None
    ) -> bool:
        """Commit ``effect``'s writes with the inbox record; True if this call applied it.

        False when the event was already applied, before or concurrently: nothing of the
        effect was written by this call. A domain error of the effect, or a conflict of its
        writes that outlasts ``attempts``, propagates and nothing is written (the delivery
        fails and is retried). Without ``effect``, the record alone is written: a claim to act once
        outside the table (an email), taken before acting.
        """

        def attempt() -> bool:
            if self.processed(event, part=part):
                return False
            record = self._record(event, part)
            uow = self.table.unit_of_work()
            # First in the transaction: when a concurrent delivery committed, its record is
            # the first failed condition, so the outcome reads "already processed".
            uow.create(
                record,
                what="inbox record",
                expired_before=_epoch_now() if self.retention is not None else None,
            )
            if effect is not None:
                effect(uow)
            try:
                uow.commit()
            except ItemExists as failed:
                if failed.on(key_of(record)):
                    return False
                raise
            return True

        # Another writer changed what the effect read (a version, a deterministic id now
        # taken): the next attempt reads the new state and decides again.
        return Retry(self.attempts).run(attempt, on=(ItemExists, StaleVersion, CheckFailed))

    def claim(self, event: Envelope, *, part: str | None = None) -> bool:
        """Record the event (part) as processed on its own; True if this call took it."""
        return self.run_once(event, None, part=part)

    def release(self, uow: UnitOfWork, event: Envelope, *, part: str | None = None) -> None:
        """Undo a :meth:`claim` in ``uow`` (the act it claimed did not happen), so a retried
        delivery takes it again; only a claim (version 1) is released."""
        uow.delete(
            keys.inbox(self.consumer, event.event_id, part), expected_version=1, what="claim"
        )

    def _record(self, event: Envelope, part: str | None) -> Item:
        record: dict[str, Any] = {
            **keys.inbox(self.consumer, event.event_id, part),
            "type": "inbox",
            "consumer": self.consumer,
            "event_id": event.event_id,
            "event_type": event.event_type,
            "part": part,
            "correlation_id": event.correlation_id,
        }
        if self.retention is not None:
            record["expires_at"] = _epoch_now() + int(self.retention.total_seconds())
        return record


def _epoch_now() -> int:
    return int(clock.now().timestamp())


def _expired(item: Item) -> bool:
    """DynamoDB's TTL deletes expired items only eventually: until then they still count
    as absent."""
    expires_at = item.get("expires_at")
    return isinstance(expires_at, int) and expires_at < _epoch_now()
