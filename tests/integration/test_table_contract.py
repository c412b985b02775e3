"""One contract, two DynamoDBs: the in-memory client the use-case tests run on
(``tests.support.memory_dynamodb``) and moto's DynamoDB (as the local stack patches it).

Every test runs once on each (``backend``); both must give the same answer, the one written
here, so a difference between the two fails a test. The table is the template's (keys, gsi1,
the outbox's keys-only index). What is checked: the table adapter's operations (create,
replace at a version, conflicts, check, update_fields, set_fields, append, transactions,
queries, pages, batch_get), the conditions the services write (a cycle in one of some states,
the goal set at a version, versioned saves, the review queue's filter, Powertools' idempotency
record) and the raw error shapes the adapter reads (``Item`` on ``ALL_OLD``,
``CancellationReasons``, ``ValidationException``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from functions.review.records import queue_filter
from infra.local import moto_dynamodb
from shared.adapters.table import ItemExists, StaleVersion, Table
from shared.domain.cycle_states import ANSWERABLE, CycleState
from shared.errors import AlreadyExists, IllegalTransition, NotFound, VersionConflict
from shared.store import cycles
from shared.store.cycles import state_condition
from shared.store.outbox import outbox_item
from tests.support.consumers import affiliate_created
from tests.support.memory_dynamodb import MemoryDynamoDB, create_table_request, template_schema

NAME = "contract-table"
Item = dict[str, Any]


@functools.cache
def _boto3_client() -> Any:
    """One client per process: moto intercepts it inside any ``mock_aws``."""
    return boto3.client("dynamodb", region_name="us-east-1")


@pytest.fixture(params=["memory", "moto"])
def client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryDynamoDB(template_schema(NAME))
        return
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        moto_dynamodb.install()
        moto = _boto3_client()
        moto.create_table(**create_table_request(NAME))
        yield moto


@pytest.fixture
def table(client: Any) -> Table:
    return Table(NAME, client)


def cycle(cycle_id: str, state: str, **fields: Any) -> Item:
    return {
        "pk": f"CYCLE#{cycle_id}",
        "sk": "CYCLE",
        "cycle_id": cycle_id,
        "state": state,
        **fields,
    }


def key(item: Item) -> dict[str, str]:
    return {"pk": item["pk"], "sk": item["sk"]}


def stored(table: Table, item: Item) -> Item:
    found = table.get(key(item))
    assert found is not None
    return found


def code_of(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


# =========================================================================== create
def test_a_create_stamps_version_1_and_a_second_create_of_the_key_is_already_exists(
    table: Table,
) -> None:
    uow = table.unit_of_work()
    written = uow.create(cycle("c1", "open"), what="Cycle")
    uow.commit()
    assert stored(table, written) == written
    assert written["version"] == 1
    assert written["created_at"]

    again = table.unit_of_work()
    again.create(cycle("c1", "submitted"), what="Cycle")
    with pytest.raises(AlreadyExists, match="Cycle already exists"):
        again.commit()
    assert stored(table, written)["state"] == "open"


def test_a_create_over_an_expired_record_succeeds_over_a_live_one_it_does_not(
    table: Table,
) -> None:
    uow = table.unit_of_work()
    uow.create({"pk": "IDEM#1", "sk": "A", "expires_at": 100}, what="Key")
    uow.create({"pk": "IDEM#1", "sk": "B", "expires_at": 300}, what="Key")
    uow.commit()

    over_expired = table.unit_of_work()
    over_expired.create(
        {"pk": "IDEM#1", "sk": "A", "expires_at": 900, "n": 2}, what="Key", expired_before=200
    )
    over_expired.commit()
    assert stored(table, {"pk": "IDEM#1", "sk": "A"})["n"] == 2

    over_live = table.unit_of_work()
    over_live.create({"pk": "IDEM#1", "sk": "B", "n": 2}, what="Key", expired_before=200)
    with pytest.raises(AlreadyExists):
        over_live.commit()


def test_a_failed_create_reports_the_item_that_is_there(table: Table) -> None:
    first = table.unit_of_work()
    first.create(cycle("c1", "open", title="first"), what="Cycle")
    first.commit()

    second = table.unit_of_work()
    second.save_at_version(cycle("c1", "open", title="second"), expected_version=0, what="Cycle")
    with pytest.raises(AlreadyExists) as taken:
        second.commit()
    assert isinstance(taken.value, ItemExists)
    assert taken.value.on(key(cycle("c1", "")))
    seen = taken.value.stored
    assert seen is not None
    assert seen["title"] == "first"


# =========================================================================== versions
def test_a_replace_at_the_read_version_wins_once_and_the_stale_one_gets_the_current(
    table: Table,
) -> None:
    uow = table.unit_of_work()
    uow.create(cycle("c1", "open", title="v1"), what="Cycle")
    uow.commit()

    mine = table.unit_of_work()
    saved = mine.replace(cycle("c1", "open", title="mine"), expected_version=1, what="Cycle")
    mine.commit()
    assert saved["version"] == 2
    assert stored(table, saved)["title"] == "mine"

    theirs = table.unit_of_work()
    theirs.replace(cycle("c1", "open", title="theirs"), expected_version=1, what="Cycle")
    with pytest.raises(StaleVersion) as conflict:
        theirs.commit()
    now = conflict.value.stored
    assert now is not None
    shown = conflict.value.showing({"title": now["title"]})
    assert isinstance(shown, VersionConflict)
    assert shown.extensions == {"current": {"title": "mine"}, "current_version": 2}
    assert stored(table, saved)["title"] == "mine"


def test_a_replace_or_delete_of_a_missing_record_is_not_found(table: Table) -> None:
    uow = table.unit_of_work()
    uow.replace(cycle("ghost", "open"), expected_version=1, what="Cycle")
    with pytest.raises(NotFound, match="Cycle not found"):
        uow.commit()
    gone = table.unit_of_work()
    gone.delete({"pk": "CYCLE#ghost", "sk": "CYCLE"}, expected_version=1, what="Cycle")
    with pytest.raises(NotFound):
        gone.commit()


def test_a_delete_at_a_stale_version_keeps_the_record_at_the_read_one_removes_it(
    table: Table,
) -> None:
    uow = table.unit_of_work()
    item = uow.create(cycle("c1", "open"), what="Cycle")
    uow.commit()
    stale = table.unit_of_work()
    stale.delete(key(item), expected_version=7, what="Cycle")
    with pytest.raises(VersionConflict, match="now at version 1"):
        stale.commit()
    assert table.get(key(item)) is not None
    fresh = table.unit_of_work()
    fresh.delete(key(item), expected_version=1, what="Cycle")
    fresh.commit()
    assert table.get(key(item)) is None


# =========================================================================== state conditions
LOCKED = "The cycle is {state}."


@pytest.mark.parametrize(
    ("state", "allowed"),
    [(state, state in ANSWERABLE) for state in CycleState],
)
def test_a_write_guarded_by_the_cycles_states_commits_only_in_those_states(
    table: Table, state: CycleState, allowed: bool
) -> None:
    uow = table.unit_of_work()
    uow.create(cycle("c1", state.value), what="Cycle")
    uow.commit()
    answer = {"pk": "CYCLE#c1", "sk": "ANSWER#A1", "value": "yes"}

    guarded = table.unit_of_work()
    cycles.guard_state(guarded, "c1", ANSWERABLE)
    guarded.create(answer, what="Answer")
    if allowed:
        cycles.commit(guarded, "c1", reason=LOCKED)
        assert table.get(key(answer)) is not None
    else:
        with pytest.raises(IllegalTransition) as locked:
            cycles.commit(guarded, "c1", reason=LOCKED)
        assert locked.value.extensions == {"current_state": state.value}
        assert table.get(key(answer)) is None  # all or nothing


def test_a_guard_on_a_missing_cycle_gets_none_and_says_not_found(table: Table) -> None:
    uow = table.unit_of_work()
    cycles.guard_state(uow, "ghost", ANSWERABLE)
    uow.append({"pk": "AUDIT#1", "sk": "1"})
    with pytest.raises(NotFound):
        cycles.commit(uow, "ghost", reason=LOCKED)
    assert table.get({"pk": "AUDIT#1", "sk": "1"}) is None


def test_a_replace_with_a_state_condition_needs_both_the_version_and_the_state(
    table: Table,
) -> None:
    uow = table.unit_of_work()
    uow.create(cycle("c1", "submitted"), what="Cycle")
    uow.commit()
    wrong_state = table.unit_of_work()
    wrong_state.replace(
        cycle("c1", "open"),
        expected_version=1,
        what="Cycle",
        condition=state_condition(ANSWERABLE),
    )
    with pytest.raises(StaleVersion) as refused:
        wrong_state.commit()
    assert refused.value.stored is not None
    assert refused.value.stored["state"] == "submitted"  # at the version read, in another state
    right = table.unit_of_work()
    right.replace(
        cycle("c1", "in_review"),
        expected_version=1,
        what="Cycle",
        condition=state_condition({CycleState.SUBMITTED}),
    )
    right.commit()
    assert stored(table, cycle("c1", ""))["state"] == "in_review"


def test_the_goal_set_version_check_fails_once_the_set_moved_on(table: Table) -> None:
    goal_set = {"pk": "PLAN#c1", "sk": "GOALSET", "goal_ids": ["g1", "g2", "g3"]}
    uow = table.unit_of_work()
    uow.create(goal_set, what="Goal set")
    uow.commit()
    moved = table.unit_of_work()
    moved.replace({**goal_set, "goal_ids": ["g1", "g2"]}, expected_version=1, what="Goal set")
    moved.commit()

    finalize = table.unit_of_work()
    finalize.check_version(key(goal_set), 1, what="Goal set")
    finalize.append({"pk": "PLAN#c1", "sk": "HISTORY#1"})
    with pytest.raises(VersionConflict, match="now at version 2"):
        finalize.commit()
    at_current = table.unit_of_work()
    at_current.check_version(key(goal_set), 2, what="Goal set")
    at_current.append({"pk": "PLAN#c1", "sk": "HISTORY#1"})
    at_current.commit()
    assert table.get({"pk": "PLAN#c1", "sk": "HISTORY#1"}) is not None


def test_existence_checks_guard_members_and_affiliates(table: Table) -> None:
    uow = table.unit_of_work()
    uow.create({"pk": "AFF#a1", "sk": "AFF"}, what="Affiliate")
    uow.commit()

    known = table.unit_of_work()
    known.check_exists({"pk": "AFF#a1", "sk": "AFF"}, what="Affiliate")
    known.check_absent({"pk": "MEMBER#u1", "sk": "AFF#a1"}, what="Membership")
    known.create({"pk": "PROG#p1", "sk": "PROG"}, what="Program")
    known.commit()

    unknown_affiliate = table.unit_of_work()
    unknown_affiliate.check_exists({"pk": "AFF#a2", "sk": "AFF"}, what="Affiliate")
    unknown_affiliate.create({"pk": "PROG#p2", "sk": "PROG"}, what="Program")
    with pytest.raises(NotFound, match="Affiliate"):
        unknown_affiliate.commit()
    assert table.get({"pk": "PROG#p2", "sk": "PROG"}) is None


# =========================================================================== derived records
def test_update_fields_creates_merges_and_removes(table: Table) -> None:
    entry = {"pk": "QUEUE#a1", "sk": "CYCLE#c1"}
    uow = table.unit_of_work()
    uow.update_fields(entry, set_values={"state": "submitted", "reviewer_id": "u1"})
    uow.update_fields(entry, set_values={"progress": 3})
    uow.commit()
    assert stored(table, entry) == {
        **entry,
        "state": "submitted",
        "reviewer_id": "u1",
        "progress": 3,
    }

    later = table.unit_of_work()
    later.update_fields(entry, set_values={"state": "in_review", "progress": None})
    later.update_fields(entry, set_values={}, remove=["reviewer_id"])
    later.commit()
    assert stored(table, entry) == {**entry, "state": "in_review"}


def test_set_fields_changes_an_existing_record_and_reports_a_missing_one(table: Table) -> None:
    uow = table.unit_of_work()
    uow.emit(affiliate_created("a1"))
    uow.commit()
    (outbox,) = table.query_all("OUTBOX#" + uow.events[0].event_id)
    assert outbox["outbox_pending"]
    assert table.set_fields(
        key(outbox), set_values={"published_at": "now"}, remove=["outbox_pending"]
    )
    assert "outbox_pending" not in stored(table, outbox)
    assert stored(table, outbox)["published_at"] == "now"
    assert not table.set_fields({"pk": "OUTBOX#none", "sk": "OUTBOX"}, set_values={"a": 1})
    assert table.get({"pk": "OUTBOX#none", "sk": "OUTBOX"}) is None


def test_an_append_never_overwrites(table: Table) -> None:
    table.append({"pk": "AUDIT#d", "sk": "1", "n": 1})
    with pytest.raises(ClientError) as collided:
        table.append({"pk": "AUDIT#d", "sk": "1", "n": 2})
    assert code_of(collided) == "ConditionalCheckFailedException"
    uow = table.unit_of_work()
    uow.append({"pk": "AUDIT#d", "sk": "1", "n": 3})
    with pytest.raises(RuntimeError, match="append-only"):
        uow.commit()
    assert stored(table, {"pk": "AUDIT#d", "sk": "1"})["n"] == 1


def test_a_transaction_is_all_or_nothing_and_names_the_failing_write(table: Table) -> None:
    uow = table.unit_of_work()
    uow.create(cycle("c1", "open"), what="Cycle")
    uow.create(cycle("c2", "open"), what="Cycle")
    uow.commit()
    mixed = table.unit_of_work()
    mixed.update_fields({"pk": "QUEUE#a1", "sk": "CYCLE#c1"}, set_values={"state": "x"})
    mixed.replace(cycle("c1", "submitted"), expected_version=1, what="Cycle")
    mixed.replace(cycle("c2", "submitted"), expected_version=5, what="Second cycle")
    mixed.emit(affiliate_created("a1"))
    with pytest.raises(VersionConflict, match="Second cycle"):
        mixed.commit()
    assert stored(table, cycle("c1", ""))["state"] == "open"
    assert table.get({"pk": "QUEUE#a1", "sk": "CYCLE#c1"}) is None
    assert table.query_all("OUTBOX#" + mixed.events[0].event_id) == []


def test_two_writes_of_one_item_in_a_transaction_are_refused(client: Any) -> None:
    item = {"pk": {"S": "X"}, "sk": {"S": "Y"}}
    with pytest.raises(ClientError) as refused:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": NAME, "Item": item}},
                {"Update": {"TableName": NAME, "Key": item, "UpdateExpression": "REMOVE a"}},
            ]
        )
    assert code_of(refused) == "ValidationException"
    assert "multiple operations on one item" in str(refused.value)
    assert "Item" not in client.get_item(TableName=NAME, Key=item)


# =========================================================================== raw error shapes
def test_a_failed_conditional_put_returns_the_old_item_only_when_asked(client: Any) -> None:
    old = {"pk": {"S": "K"}, "sk": {"S": "S"}, "version": {"N": "3"}}
    client.put_item(TableName=NAME, Item=old)
    request = {
        "TableName": NAME,
        "Item": {**old, "version": {"N": "4"}},
        "ConditionExpression": "attribute_not_exists(pk)",
    }
    with pytest.raises(ClientError) as plain:
        client.put_item(**request)
    assert code_of(plain) == "ConditionalCheckFailedException"
    assert "Item" not in plain.value.response
    with pytest.raises(ClientError) as with_old:
        client.put_item(**request, ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert with_old.value.response["Item"] == old  # type: ignore[typeddict-item]


def test_a_cancelled_transaction_gives_one_reason_per_write_in_order(client: Any) -> None:
    present = {"pk": {"S": "K"}, "sk": {"S": "1"}, "version": {"N": "2"}}
    client.put_item(TableName=NAME, Item=present)
    versioned = {
        "ConditionExpression": "#v = :v",
        "ExpressionAttributeNames": {"#v": "version"},
        "ExpressionAttributeValues": {":v": {"N": "1"}},
    }
    with pytest.raises(ClientError) as cancelled:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": NAME, "Item": {"pk": {"S": "K"}, "sk": {"S": "2"}}}},
                {
                    "Put": {
                        "TableName": NAME,
                        "Item": present,
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                        **versioned,
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": NAME,
                        "Key": {"pk": {"S": "K"}, "sk": {"S": "3"}},
                        "ConditionExpression": "attribute_exists(pk)",
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                },
            ]
        )
    assert code_of(cancelled) == "TransactionCanceledException"
    reasons = cancelled.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == [
        "None",
        "ConditionalCheckFailed",
        "ConditionalCheckFailed",
    ]
    assert reasons[1]["Item"] == present
    assert "Item" not in reasons[2]  # absent: nothing to return
    assert "Item" not in client.get_item(TableName=NAME, Key={"pk": {"S": "K"}, "sk": {"S": "2"}})


@pytest.mark.parametrize(
    "request_fields",
    [
        {"ExpressionAttributeNames": {"#unused": "x"}},
        {"ExpressionAttributeValues": {}},
    ],
    ids=["unused-name", "empty-values"],
)
def test_placeholders_must_be_used_and_maps_not_empty(
    client: Any, request_fields: dict[str, Any]
) -> None:
    request = {"ConditionExpression": "attribute_not_exists(pk)", **request_fields}
    with pytest.raises(ClientError) as refused:
        client.put_item(TableName=NAME, Item={"pk": {"S": "K"}, "sk": {"S": "S"}}, **request)
    assert code_of(refused) == "ValidationException"


def test_the_idempotency_records_condition_as_powertools_writes_it(client: Any) -> None:
    """Powertools' DynamoDB layer: a new key, an expired record or an expired in-progress."""
    expression = (
        "attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND "
        "attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)"
    )
    names = {
        "#id": "pk",
        "#expiry": "expiration",
        "#in_progress_expiry": "in_progress_expiration",
        "#status": "status",
    }
    values = {
        ":now": {"N": "1000"},
        ":now_in_millis": {"N": "1000000"},
        ":inprogress": {"S": "INPROGRESS"},
    }

    def put(sk: str, **fields: dict[str, str]) -> bool:
        try:
            client.put_item(
                TableName=NAME,
                Item={"pk": {"S": "IDEMPOTENCY#u"}, "sk": {"S": sk}, **fields},
                ConditionExpression=expression,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

    live = {"expiration": {"N": "2000"}, "status": {"S": "COMPLETED"}}
    assert put("new", **live)
    assert not put("new", **live)  # there and not expired
    assert put("expired", expiration={"N": "10"})
    assert put("expired", **live)
    running = {
        "expiration": {"N": "2000"},
        "status": {"S": "INPROGRESS"},
        "in_progress_expiration": {"N": "999"},
    }
    assert put("stuck", **running)
    assert put("stuck", **live)
    running["in_progress_expiration"] = {"N": "5000000"}
    assert put("busy", **running)
    assert not put("busy", **live)
    client.update_item(
        TableName=NAME,
        Key={"pk": {"S": "IDEMPOTENCY#u"}, "sk": {"S": "busy"}},
        UpdateExpression=(
            "SET #response_data = :response_data, #expiry = :expiry, #status = :status"
        ),
        ExpressionAttributeNames={
            "#response_data": "data",
            "#expiry": "expiration",
            "#status": "status",
        },
        ExpressionAttributeValues={
            ":response_data": {"S": "{}"},
            ":expiry": {"N": "3000"},
            ":status": {"S": "COMPLETED"},
        },
    )
    got = client.get_item(TableName=NAME, Key={"pk": {"S": "IDEMPOTENCY#u"}, "sk": {"S": "busy"}})
    assert got["Item"]["status"] == {"S": "COMPLETED"}
    assert got["Item"]["data"] == {"S": "{}"}
    assert got["Item"]["in_progress_expiration"] == {"N": "5000000"}
    client.delete_item(TableName=NAME, Key={"pk": {"S": "IDEMPOTENCY#u"}, "sk": {"S": "busy"}})
    assert put("busy", **live)


# =========================================================================== reads
def _fill(table: Table, partition: str, count: int, **fields: Any) -> list[Item]:
    items: list[Item] = []
    for start in range(0, count, 100):
        uow = table.unit_of_work()
        items += [
            uow.create({"pk": partition, "sk": f"ITEM#{n:03d}", "n": n, **fields}, what="Item")
            for n in range(start, min(count, start + 100))
        ]
        uow.commit()
    return items


def test_a_query_reads_one_partition_by_prefix_in_either_order(table: Table) -> None:
    _fill(table, "P#1", 4)
    uow = table.unit_of_work()
    uow.create({"pk": "P#1", "sk": "OTHER#1"}, what="Other")
    uow.create({"pk": "P#10", "sk": "ITEM#999"}, what="Other")
    uow.commit()
    forward = table.query("P#1", sk_prefix="ITEM#")
    assert [i["n"] for i in forward.items] == [0, 1, 2, 3]
    assert forward.last_key is None
    backward = table.query("P#1", sk_prefix="ITEM#", forward=False)
    assert [i["n"] for i in backward.items] == [3, 2, 1, 0]
    assert [i["sk"] for i in table.query("P#1").items] == [
        "ITEM#000", "ITEM#001", "ITEM#002", "ITEM#003", "OTHER#1"
    ]  # fmt: skip
    assert table.query("P#2").items == []


def test_pages_resume_after_their_last_key_in_both_directions(table: Table) -> None:
    _fill(table, "P#1", 5)
    for forward, expected in ((True, [0, 1, 2, 3, 4]), (False, [4, 3, 2, 1, 0])):
        seen: list[int] = []
        pages = 0
        start = None
        while True:
            page = table.query("P#1", limit=2, start_key=start, forward=forward)
            pages += 1
            seen += [i["n"] for i in page.items]
            if page.last_key is None:
                break
            assert page.last_key == {"pk": "P#1", "sk": page.items[-1]["sk"]}
            start = page.last_key
        assert (seen, pages) == (expected, 3)
    exact = table.query("P#1", limit=5)
    assert len(exact.items) == 5
    assert exact.last_key is None


def test_a_filter_applies_to_the_items_the_limit_read(table: Table) -> None:
    items = _fill(table, "Q#a1", 6)
    uow = table.unit_of_work()
    for item in items:
        state = "submitted" if item["n"] % 3 == 0 else "in_review"
        uow.update_fields(
            key(item),
            set_values={
                "state": state,
                "reviewer_id": f"u{item['n'] % 2}",
                "due_date": f"2026-01-0{item['n'] + 1}",
            },
        )
    uow.commit()
    where = queue_filter("in_review", None, None)
    first = table.query("Q#a1", limit=3, where=where)
    assert [i["n"] for i in first.items] == [1, 2]
    assert first.last_key is not None
    rest = table.query("Q#a1", limit=3, where=where, start_key=first.last_key)
    assert [i["n"] for i in rest.items] == [4, 5]
    assert rest.last_key is None
    overdue = queue_filter("in_review", "u1", date(2026, 1, 5))
    assert [i["n"] for i in table.query("Q#a1", where=overdue).items] == [1]
    empty = table.query("Q#a1", limit=1, where=queue_filter("returned", None, None))
    assert empty.items == []
    assert empty.last_key is not None


def test_an_index_query_reads_the_sparse_index_and_pages_with_its_keys(table: Table) -> None:
    uow = table.unit_of_work()
    for n in range(4):
        uow.create(
            {"pk": f"PROG#p{n}", "sk": "PROG", "gsi1pk": "AFF#a1", "gsi1sk": f"PROG#{n}", "n": n},
            what="Program",
        )
    uow.create({"pk": "PROG#x", "sk": "PROG", "n": 9}, what="Program")  # not in the index
    uow.commit()
    first = table.query("AFF#a1", index="gsi1", limit=3)
    assert [i["n"] for i in first.items] == [0, 1, 2]
    assert first.last_key == {"pk": "PROG#p2", "sk": "PROG", "gsi1pk": "AFF#a1", "gsi1sk": "PROG#2"}
    rest = table.query("AFF#a1", index="gsi1", limit=3, start_key=first.last_key)
    assert [i["n"] for i in rest.items] == [3]
    assert rest.last_key is None
    assert [i["n"] for i in table.query("AFF#a1", index="gsi1", sk_prefix="PROG#3").items] == [3]
    assert len(table.query_all("AFF#a1", index="gsi1")) == 4


def test_the_outbox_index_holds_keys_only_until_the_event_is_published(table: Table) -> None:
    event = affiliate_created("a1")
    uow = table.unit_of_work()
    uow.emit(event)
    uow.commit()
    item = outbox_item(event)
    (found,) = table.query_all(item["outbox_pending"], index="outbox-pending")
    assert found == {
        "pk": item["pk"],
        "sk": item["sk"],
        "outbox_pending": item["outbox_pending"],
        "occurred_at": item["occurred_at"],
    }
    table.set_fields(key(item), set_values={"published_at": "now"}, remove=["outbox_pending"])
    assert table.query_all(item["outbox_pending"], index="outbox-pending") == []


def test_batch_get_returns_the_found_items_in_the_order_asked(table: Table) -> None:
    items = _fill(table, "B#1", 130)
    wanted = [key(items[n]) for n in (120, 3, 77)] + [{"pk": "B#1", "sk": "NONE"}]
    assert [i["n"] for i in table.batch_get(wanted)] == [120, 3, 77]
    everything = table.batch_get([key(i) for i in reversed(items)] + [key(items[0])])
    assert [i["n"] for i in everything] == [*list(range(129, -1, -1)), 0]
    assert table.batch_get([]) == []


def test_values_come_back_as_written(table: Table) -> None:
    record = {
        "pk": "V#1",
        "sk": "V",
        "text": "Ünïcode ✓",
        "count": 12,
        "flag": False,
        "tags": ["a", "b"],
        "nested": {"x": [1, {"y": "z"}]},
        "empty": "",
    }
    uow = table.unit_of_work()
    written = uow.create(record, what="Value")
    uow.commit()
    assert stored(table, record) == written
