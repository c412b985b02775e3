"""Parsing what a consumer receives: our envelope inside an EventBridge event, directly (a
rule targets the function) or as the body of an SQS message (a rule targets a queue).

Powertools parser models, extended with our :class:`~shared.events.Envelope` as the
``detail``; a batch parses record by record (:mod:`shared.consumers.batch`), so one
malformed message fails alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.envelopes import SqsEnvelope
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel, SqsRecordModel
from pydantic import Json, model_validator

from shared.events import CATALOGUE, Envelope


class BusEvent(EventBridgeModel):
    """An EventBridge event whose ``detail`` is our envelope.

    The detail-type and source must be the envelope's own, from the catalogue: an event whose
    outside (what the rule matched) and inside (what the consumer acts on) disagree, or that
    is not ours, is refused, not guessed.
    """

    detail: Envelope

    @model_validator(mode="after")
    def _outside_matches_inside(self) -> Self:
        if self.detail_type != self.detail.event_type:
            raise ValueError(
                f"detail-type {self.detail_type!r} is not the envelope's event_type "
                f"{self.detail.event_type!r}"
            )
        known = CATALOGUE.get(self.detail.event_type)
        if known is None:
            raise ValueError(f"{self.detail_type!r} is not in the event catalogue")
        if self.source != known[0]:
            raise ValueError(f"{self.detail_type} comes from {known[0]}, not {self.source!r}")
        return self


class EventRecord(SqsRecordModel):
    """An SQS record whose body is an EventBridge event carrying our envelope."""

    body: Json[BusEvent]


def parse_bus_event(event: Mapping[str, Any]) -> Envelope:
    """The envelope of an EventBridge event (a function that is a rule's target).

    Raises Powertools' ``ValidationError`` when the event is not one of ours."""
    bus_event: BusEvent = parse(event=dict(event), model=BusEvent)
    return bus_event.detail


def parse_queue_batch(event: Mapping[str, Any]) -> list[Envelope]:
    """Every envelope of an SQS batch, all or nothing (a batch with partial failures is
    :func:`shared.consumers.batch.process_queue_batch`)."""
    parsed = parse(event=dict(event), model=BusEvent, envelope=SqsEnvelope)
    if not isinstance(parsed, list):  # pragma: no cover - SqsEnvelope always returns a list
        raise TypeError("SqsEnvelope returned no list")
    return [_required(bus_event).detail for bus_event in parsed]


def _required(bus_event: object) -> BusEvent:
    if not isinstance(bus_event, BusEvent):
        raise ValueError("an SQS record has no body")
    return bus_event
