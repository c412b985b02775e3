from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from shared import clock
from shared.edge.problems import from_domain_error, validation_problem
from shared.errors import VersionConflict
from shared.events import SYSTEM, Envelope, ProgramEnrolled, new_event
from shared.keys import outbox_pending_shard
from shared.store.outbox import outbox_item, put_events_entry


def test_an_event_carries_the_whole_envelope_and_only_thin_data() -> None:
    with clock.use_clock(clock.FixedClock()):
        event = new_event(
            ProgramEnrolled(
                program_id="prg_1",
                primary_affiliate_id="aff_1",
                secondary_affiliate_ids=[],
                matching_since="2020-01-01",
            ),
            actor=SYSTEM,
            correlation_id="corr",
            affiliate_ids=["aff_1"],
            program_id="prg_1",
        )
    assert set(event.model_dump()) == {
        "event_id",
        "event_type",
        "schema_version",
        "occurred_at",
        "correlation_id",
        "actor",
        "affiliate_ids",
        "program_id",
        "cycle_id",
        "data",
    }
    assert event.occurred_at == "2026-01-01T00:00:00.000Z"
    assert event.source == "nqms.directory"
    with pytest.raises(ValidationError):
        ProgramEnrolled(  # type: ignore[call-arg]
            program_id="p",
            primary_affiliate_id="a",
            secondary_affiliate_ids=[],
            matching_since="2020-01-01",
            notes="confidential",
        )


def test_the_outbox_item_is_pending_and_becomes_a_put_events_entry() -> None:
    event = new_event(
        ProgramEnrolled(
            program_id="p",
            primary_affiliate_id="a",
            secondary_affiliate_ids=[],
            matching_since="2020-01-01",
        ),
        actor=SYSTEM,
        correlation_id="c",
    )
    item = outbox_item(event)
    assert item["pk"] == f"OUTBOX#{event.event_id}"
    assert item["outbox_pending"] == outbox_pending_shard(event.event_id)
    entry = put_events_entry(item, "bus")
    assert entry["DetailType"] == "ProgramEnrolled"
    assert Envelope.model_validate(json.loads(entry["Detail"])) == event


def test_a_version_conflict_problem_carries_the_current_state() -> None:
    body = from_domain_error(VersionConflict("changed", current={"rating": 4}, current_version=3))
    assert body["status"] == 409
    assert body["type"] == "urn:nqms:problem:version-conflict"
    assert body["current"] == {"rating": 4}


def test_a_validation_problem_names_each_field() -> None:
    body = validation_problem(
        [{"loc": ("body", "name"), "msg": "Field required", "type": "missing"}]
    )
    assert body["status"] == 422
    assert body["errors"] == [
        {"field": "body.name", "message": "Field required", "code": "missing"}
    ]
    assert "body.name" in body["detail"]
    assert body["field"] == "body.name"  # the first field, as a rule's 422 names it
