"""A cancelled transaction reported as the operation that failed, and mapped by who knows better.

The adapter names the operation and carries the stored item (``ConditionFailed``); each kind
is also the plain domain error a caller gets unmapped. The cycle's state guard is mapped in
one place (``shared.store.cycles.commit``), the plan's goal set in another
(``functions.plan.store``). One retry policy (``shared.adapters.retry``) paces every loop.
"""

from __future__ import annotations

from typing import Any

import pytest

from functions.plan import store as plan_store
from functions.plan.records import GoalSet
from shared import keys
from shared.adapters.retry import Retry
from shared.adapters.table import (
    CheckFailed,
    ConditionFailed,
    ItemExists,
    ItemMissing,
    StaleVersion,
    Table,
    UnitOfWork,
    to_ddb,
)
from shared.domain.cycle_states import ANSWERABLE, CycleState
from shared.errors import (
    AlreadyExists,
    Conflict,
    IllegalTransition,
    NotFound,
    ServiceBusy,
    VersionConflict,
)
from shared.store import cycles


class _Cancelled(Exception):
    """What botocore raises for a cancelled transaction (only the response shape matters)."""

    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        super().__init__("TransactionCanceledException")
        self.response = {
            "Error": {"Code": "TransactionCanceledException"},
            "CancellationReasons": reasons,
        }


class _Client:
    """Cancels every transaction with ``reasons`` and keeps what it was sent."""

    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        self.reasons = reasons
        self.sent: list[list[dict[str, Any]]] = []

    def transact_write_items(self, TransactItems: list[dict[str, Any]]) -> None:
        self.sent.append(TransactItems)
        raise _Cancelled(self.reasons)


def _failing(position: int, stored: dict[str, Any] | None, size: int) -> UnitOfWork:
    reasons: list[dict[str, Any]] = [{"Code": "None"} for _ in range(size)]
    reasons[position] = {"Code": "ConditionalCheckFailed"}
    if stored is not None:
        reasons[position]["Item"] = to_ddb(stored)
    return Table("t", _Client(reasons)).unit_of_work()


THING = {"pk": "THING#1", "sk": "THING"}
OTHER = {"pk": "THING#2", "sk": "THING"}


def test_a_taken_key_is_reported_as_the_create_that_failed_and_reads_already_exists() -> None:
    uow = _failing(1, {**OTHER, "version": 3}, 2)
    uow.create({**THING, "name": "a"}, what="Thing")
    uow.create({**OTHER, "name": "b"}, what="Other thing")
    with pytest.raises(ItemExists) as failed:
        uow.commit()
    assert failed.value.on(OTHER)
    assert not failed.value.on(THING)
    assert failed.value.stored == {**OTHER, "version": 3}
    assert isinstance(failed.value, AlreadyExists)
    assert failed.value.detail == "Other thing already exists."


def test_a_stale_replace_carries_the_stored_item_and_is_a_version_conflict() -> None:
    uow = _failing(0, {**THING, "version": 4, "name": "theirs"}, 1)
    uow.replace({**THING, "name": "mine"}, expected_version=2, what="Thing")
    with pytest.raises(StaleVersion) as failed:
        uow.commit()
    assert isinstance(failed.value, VersionConflict)
    assert failed.value.extensions == {"current": None, "current_version": 4}
    shown = failed.value.showing({"name": "theirs"})
    assert shown.extensions == {"current": {"name": "theirs"}, "current_version": 4}
    assert shown.detail == failed.value.detail


def test_a_write_of_a_record_gone_meanwhile_is_not_found() -> None:
    uow = _failing(0, None, 1)
    uow.delete(THING, expected_version=2, what="Thing")
    with pytest.raises(ItemMissing) as failed:
        uow.commit()
    assert isinstance(failed.value, NotFound)
    assert failed.value.detail == "Thing not found."


def test_a_check_that_no_longer_holds_is_a_conflict_and_writes_nothing_of_its_own() -> None:
    uow = _failing(0, {**THING, "version": 1}, 1)
    uow.check_absent(THING, what="Thing")
    with pytest.raises(CheckFailed) as failed:
        uow.commit()
    assert isinstance(failed.value, Conflict)
    client = uow.table.client
    assert isinstance(client, _Client)
    (sent,) = client.sent
    assert list(sent[0]) == ["ConditionCheck"]


def test_a_cycle_no_longer_in_the_guarded_states_is_locked_naming_its_state() -> None:
    uow = _failing(0, {**keys.cycle("cyc_1"), "state": "submitted", "version": 5}, 2)
    cycles.guard_state(uow, "cyc_1", ANSWERABLE)
    uow.create({**THING}, what="Thing")
    with pytest.raises(IllegalTransition) as locked:
        cycles.commit(uow, "cyc_1", reason="The cycle is {state}: no more answers.")
    assert locked.value.detail == "The cycle is submitted: no more answers."
    assert locked.value.extensions == {"current_state": CycleState.SUBMITTED.value}


def test_a_cycle_gone_is_not_found_and_other_failures_pass_through_unmapped() -> None:
    uow = _failing(0, None, 1)
    cycles.guard_state(uow, "cyc_1", ANSWERABLE)
    with pytest.raises(NotFound, match="Cycle not found"):
        cycles.commit(uow, "cyc_1", reason="{state}")

    uow = _failing(1, {**THING, "version": 1}, 2)
    cycles.guard_state(uow, "cyc_1", ANSWERABLE)
    uow.create({**THING}, what="Thing")
    with pytest.raises(ItemExists):
        cycles.commit(uow, "cyc_1", reason="{state}")


def test_a_goal_set_changed_meanwhile_is_the_one_goal_set_conflict() -> None:
    read = GoalSet("cyc_1", ("g1", "g2", "g3"), 7)
    uow = _failing(0, {**read.key, "version": 8}, 1)
    plan_store.require_unchanged(uow, read)
    with pytest.raises(ConditionFailed) as failed:
        uow.commit()
    conflict = plan_store.changed_meanwhile(failed.value, "cyc_1")
    assert conflict is not None
    assert "goals changed meanwhile" in conflict.detail
    assert plan_store.changed_meanwhile(failed.value, "cyc_2") is None


def test_a_goal_set_is_written_at_the_version_read() -> None:
    client = _Client([{"Code": "None"}])
    uow = Table("t", client).unit_of_work()
    after = plan_store.save_goal_set(uow, GoalSet("cyc_1", ("g1",), 2), ["g1", "g2"])
    assert after == GoalSet("cyc_1", ("g1", "g2"), 3)
    (op,) = uow.ops
    put = op.request["Put"]
    assert put["ExpressionAttributeValues"] == {":v": {"N": "2"}}
    assert put["Item"]["active"] == {"L": [{"S": "g1"}, {"S": "g2"}]}


def test_the_retry_policy_tries_again_only_on_the_errors_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr("shared.adapters.retry.time.sleep", pauses.append)
    calls: list[int] = []

    def busy_twice() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ServiceBusy("busy")
        return "done"

    assert Retry(attempts=3, first_pause=0.05).run(busy_twice) == "done"
    assert pauses == [0.05, 0.1]

    calls.clear()
    with pytest.raises(ServiceBusy):
        Retry(attempts=2).run(busy_twice)
    assert len(calls) == 2

    def refused() -> str:
        raise Conflict("no")

    with pytest.raises(Conflict):
        Retry(attempts=3).run(refused)  # not named: never retried
    with pytest.raises(ValueError, match="at least one attempt"):
        Retry(attempts=0)
