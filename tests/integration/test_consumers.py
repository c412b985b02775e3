"""The inbox on the template's table (moto in-process): each event's effect once per consumer.

The effect used here is what a consumer's effect looks like: it reads a versioned record
(a count of welcomes sent to an affiliate) and writes it back one higher, with an outbox
event, so a second application would show as a count of 2 and a second event.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from shared import clock, keys
from shared.adapters.table import Table, UnitOfWork, default_table, key_of
from shared.consumers import Inbox, process_queue_batch
from shared.errors import DomainError
from shared.events import AffiliateCreated, Envelope, new_event
from shared.events.base import SYSTEM
from shared.store.outbox import envelope_of
from tests.support import aws as support
from tests.support.consumers import affiliate_created, as_body, bus_event, sqs_event

CONSUMER = "welcome-counter"


def counter_key(affiliate_id: str) -> dict[str, str]:
    return {"pk": f"TEST#{affiliate_id}", "sk": "WELCOMES"}


def count(table: Table, affiliate_id: str) -> int:
    item = table.get(counter_key(affiliate_id))
    return int(item["count"]) if item else 0


def welcome(table: Table, event: Envelope, calls: list[str] | None = None) -> Callable[..., None]:
    """The effect: count one welcome for the event's affiliate (read, then write at version)."""

    def effect(uow: UnitOfWork) -> None:
        if calls is not None:
            calls.append(event.event_id)
        (affiliate_id,) = event.affiliate_ids
        current = table.get(counter_key(affiliate_id))
        version = int(current["version"]) if current else 0
        uow.save_at_version(
            {**counter_key(affiliate_id), "count": (current or {}).get("count", 0) + 1},
            expected_version=version,
            what="welcome count",
        )
        uow.emit(
            new_event(
                AffiliateCreated(affiliate_id=affiliate_id),
                actor=SYSTEM,
                correlation_id=event.correlation_id,
            )
        )

    return effect


def emitted(table: Table, event: Envelope) -> int:
    """Events the effect emitted for ``event`` (outbox records carrying its correlation id)."""
    pending = table.batch_get(
        [
            key_of(item)
            for partition in keys.outbox_pending_partitions()
            for item in table.query_all(partition, index=keys.OUTBOX_PENDING_INDEX)
        ]
    )
    return sum(envelope_of(item).correlation_id == event.correlation_id for item in pending)


@pytest.fixture
def table(aws_env: support.Resources) -> Table:
    return default_table()


def test_a_repeated_delivery_is_a_no_op(table: Table) -> None:
    inbox = Inbox(table, CONSUMER)
    event = affiliate_created("aff_1")
    calls: list[str] = []

    results = [inbox.run_once(event, welcome(table, event, calls)) for _ in range(3)]

    assert results == [True, False, False]
    assert count(table, "aff_1") == 1
    assert emitted(table, event) == 1
    assert calls == [event.event_id]  # a redelivery stops at the inbox, before any read


def test_the_inbox_record_names_the_event_and_expires(table: Table) -> None:
    fixed = clock.FixedClock()
    inbox = Inbox(table, CONSUMER, retention=timedelta(days=30))
    event = affiliate_created("aff_1")
    with clock.use_clock(fixed):
        inbox.run_once(event, welcome(table, event))

    record = table.get(keys.inbox(CONSUMER, event.event_id))

    assert record is not None
    assert {k: record[k] for k in ("type", "consumer", "event_id", "event_type")} == {
        "type": "inbox",
        "consumer": CONSUMER,
        "event_id": event.event_id,
        "event_type": "AffiliateCreated",
    }
    assert record["expires_at"] == int(fixed.at.timestamp()) + 30 * 24 * 3600


def test_once_the_record_has_expired_the_event_counts_as_new(table: Table) -> None:
    fixed = clock.FixedClock()
    inbox = Inbox(table, CONSUMER, retention=timedelta(days=1))
    event = affiliate_created("aff_1")
    with clock.use_clock(fixed):
        assert inbox.run_once(event, welcome(table, event))
        fixed.advance(timedelta(hours=23))
        assert not inbox.run_once(event, welcome(table, event))
        fixed.advance(timedelta(hours=2))  # expired, though TTL has not deleted it yet
        assert inbox.run_once(event, welcome(table, event))

    assert count(table, "aff_1") == 2


def test_effect_and_inbox_record_commit_together_or_not_at_all(table: Table) -> None:
    inbox = Inbox(table, CONSUMER)
    event = affiliate_created("aff_1")

    def refuse(**_: Any) -> None:
        raise RuntimeError("the table refuses writes")

    hooks = table.client.meta.events
    hooks.register("before-call.dynamodb.TransactWriteItems", refuse)
    try:
        with pytest.raises(RuntimeError, match="refuses writes"):
            inbox.run_once(event, welcome(table, event))
    finally:
        hooks.unregister("before-call.dynamodb.TransactWriteItems", refuse)
    assert table.get(keys.inbox(CONSUMER, event.event_id)) is None
    assert count(table, "aff_1") == 0
    assert emitted(table, event) == 0

    assert inbox.run_once(event, welcome(table, event))  # the redelivery applies it, once
    assert not inbox.run_once(event, welcome(table, event))
    assert count(table, "aff_1") == 1


def test_an_effect_that_fails_leaves_no_inbox_record(table: Table) -> None:
    inbox = Inbox(table, CONSUMER)
    event = affiliate_created("aff_1")

    def refused(uow: UnitOfWork) -> None:
        raise DomainError("the program is archived")

    with pytest.raises(DomainError, match="archived"):
        inbox.run_once(event, refused)

    assert not inbox.processed(event)
    assert inbox.run_once(event, welcome(table, event))


def test_an_effect_that_loses_a_version_race_runs_again_on_fresh_reads(table: Table) -> None:
    inbox = Inbox(table, CONSUMER)
    first, second = affiliate_created("aff_1"), affiliate_created("aff_1")
    calls: list[str] = []
    count_first = welcome(table, first, calls)

    def racing(uow: UnitOfWork) -> None:
        count_first(uow)  # reads the count at 0 ...
        if len(calls) == 1:  # ... while another event's consumer counts its own welcome
            assert inbox.run_once(second, welcome(table, second))

    assert inbox.run_once(first, racing)

    assert count(table, "aff_1") == 2  # both welcomes, neither lost
    assert calls == [first.event_id, first.event_id]


def test_an_effect_whose_deterministic_create_loses_to_another_event_decides_again(
    table: Table,
) -> None:
    """Two events that both earn the same thing (a badge with a deterministic id)."""
    inbox = Inbox(table, CONSUMER)
    first, second = affiliate_created("aff_1"), affiliate_created("aff_1")
    award = {"pk": "TEST#aff_1", "sk": "AWARD"}
    issued: list[str] = []

    def issue_for(event: Envelope) -> Callable[[UnitOfWork], None]:
        def effect(uow: UnitOfWork) -> None:
            if table.get(award) is not None:
                return  # already issued: this event changes nothing
            if event is first and not issued:  # the other event's consumer issues it meanwhile
                assert inbox.run_once(second, issue_for(second))
            issued.append(event.event_id)
            uow.create({**award, "by": event.event_id}, what="award")

        return effect

    assert inbox.run_once(first, issue_for(first))

    assert issued == [second.event_id, first.event_id]  # the first's create was cancelled
    stored = table.get(award)
    assert stored is not None
    assert stored["by"] == second.event_id
    assert inbox.processed(first)
    assert inbox.processed(second)


def test_a_version_conflict_that_persists_fails_the_delivery_with_nothing_written(
    table: Table,
) -> None:
    inbox = Inbox(table, CONSUMER, attempts=2)
    event = affiliate_created("aff_1")

    def stale(uow: UnitOfWork) -> None:
        uow.replace({**counter_key("aff_1"), "count": 1}, expected_version=7, what="welcome count")

    with pytest.raises(DomainError):
        inbox.run_once(event, stale)
    assert not inbox.processed(event)


def test_two_racing_consumers_apply_the_effect_once_and_both_report_success(
    table: Table,
) -> None:
    inbox = Inbox(table, CONSUMER)
    event = affiliate_created("aff_1")
    both_read = threading.Barrier(2, timeout=10)
    applied: list[bool] = []
    responses: list[dict[str, Any]] = []
    effect = welcome(table, event)

    def read_then_wait(uow: UnitOfWork) -> None:
        effect(uow)  # each has read the count (0) and passed the inbox check ...
        both_read.wait()  # ... before either commits

    def deliver() -> None:
        handle = lambda e: applied.append(inbox.run_once(e, read_then_wait))  # noqa: E731
        responses.append(process_queue_batch(sqs_event(as_body(bus_event(event))), handle))

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(applied) == [False, True]  # the loser's transaction was cancelled ...
    assert responses == [{"batchItemFailures": []}] * 2  # ... and it reported success
    assert count(table, "aff_1") == 1
    assert emitted(table, event) == 1


def test_each_part_of_an_event_is_claimed_once(table: Table) -> None:
    inbox = Inbox(table, "notifier")
    event = affiliate_created("aff_1")

    claims = [inbox.claim(event, part=user) for user in ("usr_1", "usr_2", "usr_1", "usr_2")]

    assert claims == [True, True, False, False]
    assert not inbox.processed(event)  # the event as a whole was never claimed
    records = table.query_all(keys.inbox_partition("notifier", event.event_id))
    assert sorted(r["part"] for r in records) == ["usr_1", "usr_2"]


def test_a_consumer_name_must_be_usable_in_a_key(table: Table) -> None:
    with pytest.raises(ValueError, match="consumer name"):
        Inbox(table, "Badge#Issuer")
