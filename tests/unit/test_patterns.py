"""Event filters of the workers (moto's matcher): the template's own filter and the operators."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.local.patterns import PatternError, matches_any
from infra.local.template import decode_template


def outbox_stream_filter() -> dict[str, Any]:
    """The FilterCriteria pattern of the outbox relay's stream, as the template writes it."""
    source = decode_template()
    events = source["Resources"]["OutboxRelayFunction"]["Properties"]["Events"]
    (stream_filter,) = events["OutboxStream"]["Properties"]["FilterCriteria"]["Filters"]
    pattern: dict[str, Any] = json.loads(stream_filter["Pattern"])
    return pattern


def stream_record(event_name: str, pk: str) -> dict[str, Any]:
    return {
        "eventName": event_name,
        "eventSource": "aws:dynamodb",
        "dynamodb": {
            "Keys": {"pk": {"S": pk}, "sk": {"S": "A"}},
            "NewImage": {"pk": {"S": pk}, "sk": {"S": "A"}},
            "SequenceNumber": "100",
        },
    }


def test_the_outbox_relay_gets_inserted_outbox_records() -> None:
    pattern = outbox_stream_filter()

    assert matches_any([pattern], stream_record("INSERT", "OUTBOX#01J0ABC"))


@pytest.mark.parametrize(
    ("event_name", "pk"),
    [
        ("MODIFY", "OUTBOX#01J0ABC"),  # marking a record published must not relay it again
        ("REMOVE", "OUTBOX#01J0ABC"),
        ("INSERT", "PROGRAM#prg_1"),  # ordinary items never reach the relay
        ("INSERT", "outbox#01J0ABC"),  # prefix is case-sensitive
    ],
)
def test_the_outbox_relay_is_spared_everything_else(event_name: str, pk: str) -> None:
    assert not matches_any([outbox_stream_filter()], stream_record(event_name, pk))


def test_no_filter_lets_everything_through() -> None:
    assert matches_any([], {"anything": "at all"})


def test_any_one_of_several_filters_is_enough() -> None:
    patterns = [{"kind": ["a"]}, {"kind": ["b"]}]

    assert matches_any(patterns, {"kind": "b"})
    assert not matches_any(patterns, {"kind": "c"})


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        ({"prefix": "OUT"}, "OUTBOX#1", True),
        ({"prefix": "OUT"}, "INBOX#1", False),
        ({"anything-but": ["draft", "archived"]}, "open", True),
        ({"anything-but": ["draft", "archived"]}, "draft", False),
        ({"anything-but": {"prefix": "test-"}}, "prod-1", True),
        ({"anything-but": {"prefix": "test-"}}, "test-1", False),
        ({"numeric": [">", 0, "<=", 5]}, 5, True),
        ({"numeric": [">", 0, "<=", 5]}, 6, False),
        ({"numeric": [">", 0]}, "3", False),  # a number in a string is not a number
        ({"equals-ignore-case": "Submitted"}, "SUBMITTED", True),
        ({"suffix": ".pdf"}, "report.PDF", False),
    ],
)
def test_content_filters(rule: dict[str, Any], value: Any, expected: bool) -> None:
    assert matches_any([{"detail": {"status": [rule]}}], {"detail": {"status": value}}) is expected


def test_exists_tells_present_from_absent_fields() -> None:
    present = {"detail": {"cycle_id": "cyc_1"}}
    absent: dict[str, Any] = {"detail": {}}

    assert matches_any([{"detail": {"cycle_id": [{"exists": True}]}}], present)
    assert not matches_any([{"detail": {"cycle_id": [{"exists": True}]}}], absent)
    assert matches_any([{"detail": {"cycle_id": [{"exists": False}]}}], absent)
    assert not matches_any([{"detail": {"cycle_id": [{"exists": False}]}}], present)


def test_a_value_in_a_list_field_matches_any_element() -> None:
    event = {"detail": {"affiliate_ids": ["aff_1", "aff_2"]}}

    assert matches_any([{"detail": {"affiliate_ids": ["aff_2"]}}], event)
    assert not matches_any([{"detail": {"affiliate_ids": ["aff_3"]}}], event)


def test_a_json_body_of_a_queue_message_is_filtered_on_its_fields() -> None:
    pattern = {"body": {"event_type": ["ProgramEnrolled"]}}

    assert matches_any([pattern], {"body": {"event_type": "ProgramEnrolled"}})
    assert not matches_any([pattern], {"body": "ProgramEnrolled"})


def test_a_field_that_is_neither_object_nor_list_is_rejected_with_its_name() -> None:
    with pytest.raises(PatternError, match="'eventName' must be an object or an array"):
        matches_any([{"eventName": "INSERT"}], {"eventName": "INSERT"})


def test_an_operator_moto_does_not_know_is_rejected_not_matched() -> None:
    with pytest.raises(PatternError, match="unsupported pattern operator 'begins-with'"):
        matches_any([{"pk": [{"begins-with": "OUTBOX#"}]}], {"pk": "PROGRAM#1"})
