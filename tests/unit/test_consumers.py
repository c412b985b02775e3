"""The consumer kit without AWS: parsing what EventBridge and SQS deliver, and batches with
partial failures (the inbox needs the table: tests/integration/test_consumers.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser import ValidationError

from shared.consumers import (
    UnhandledEventType,
    by_type,
    parse_bus_event,
    parse_queue_batch,
    process_queue_batch,
)
from shared.events import Envelope
from tests.support.consumers import affiliate_created, as_body, bus_event, sqs_event, sqs_record


# --------------------------------------------------------------------------- parsing
def test_a_direct_bus_event_gives_back_the_envelope_that_was_published() -> None:
    published = affiliate_created("aff_7")

    received = parse_bus_event(bus_event(published))

    assert received == published
    assert received.typed_data().model_dump() == {"affiliate_id": "aff_7"}


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"detail-type": "ProgramEnrolled"}, "is not the envelope's event_type"),
        ({"source": "nqms.assessment"}, "comes from nqms.directory"),
        ({"detail": {"event_id": "e1"}}, "Field required"),
    ],
)
def test_a_bus_event_whose_outside_and_inside_disagree_is_refused(
    overrides: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        parse_bus_event(bus_event(affiliate_created(), **overrides))


def test_an_event_type_outside_the_catalogue_is_refused() -> None:
    detail = affiliate_created().model_dump(mode="json") | {"event_type": "SomethingElse"}
    event = bus_event(affiliate_created(), detail=detail, **{"detail-type": "SomethingElse"})

    with pytest.raises(ValidationError, match="not in the event catalogue"):
        parse_bus_event(event)


def test_confidential_text_smuggled_into_an_envelope_is_refused() -> None:
    detail = affiliate_created().model_dump(mode="json") | {"notes": "private remarks"}

    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        parse_bus_event(bus_event(affiliate_created(), detail=detail))


def test_a_queue_batch_parses_each_body_as_a_bus_event_in_order() -> None:
    first, second = affiliate_created("aff_1"), affiliate_created("aff_2")
    event = sqs_event(as_body(bus_event(first)), as_body(bus_event(second)))

    assert parse_queue_batch(event) == [first, second]


# --------------------------------------------------------------------------- batches
def test_a_batch_that_succeeds_reports_no_failures_and_handles_every_event_once() -> None:
    events = [affiliate_created(f"aff_{n}") for n in range(3)]
    seen: list[Envelope] = []

    response = process_queue_batch(sqs_event(*(as_body(bus_event(e)) for e in events)), seen.append)

    assert response == {"batchItemFailures": []}
    assert seen == events


def test_only_the_record_whose_handler_raised_is_reported_for_redelivery() -> None:
    good, bad = affiliate_created("aff_good"), affiliate_created("aff_bad")
    records = [sqs_record(as_body(bus_event(good))), sqs_record(as_body(bus_event(bad)))]
    handled: list[str] = []

    def handle(event: Envelope) -> None:
        if event.affiliate_ids == ["aff_bad"]:
            raise RuntimeError("the table is busy")
        handled.append(event.event_id)

    response = process_queue_batch({"Records": records}, handle)

    assert response == {"batchItemFailures": [{"itemIdentifier": records[1]["messageId"]}]}
    assert handled == [good.event_id]


@pytest.mark.parametrize(
    "body",
    [
        "not json at all",
        json.dumps({"hello": "world"}),
        as_body(bus_event(affiliate_created(), **{"detail-type": "ProgramEnrolled"})),
    ],
    ids=["not-json", "not-a-bus-event", "detail-type-mismatch"],
)
def test_a_record_that_cannot_be_parsed_is_a_reported_failure_not_a_crash(body: str) -> None:
    good = affiliate_created()
    records = [sqs_record(body), sqs_record(as_body(bus_event(good)))]
    seen: list[Envelope] = []

    response = process_queue_batch({"Records": records}, seen.append)

    assert response == {"batchItemFailures": [{"itemIdentifier": records[0]["messageId"]}]}
    assert seen == [good]


def test_a_batch_in_which_every_record_fails_is_answered_not_raised() -> None:
    records = [sqs_record("{"), sqs_record("[]")]

    response = process_queue_batch({"Records": records}, lambda _event: None)

    assert response == {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records]}


def test_by_type_routes_each_event_and_fails_a_type_it_does_not_handle() -> None:
    routed: list[str] = []
    handle = by_type({"AffiliateCreated": lambda event: routed.append(event.event_id)})
    event = affiliate_created()

    handle(event)
    with pytest.raises(UnhandledEventType, match="AffiliateCreated"):
        by_type({"ProgramEnrolled": lambda event: routed.append(event.event_id)})(event)

    assert routed == [event.event_id]
