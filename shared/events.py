"""Domain events: the envelope every event carries in EventBridge ``detail``, and the catalogue.

Events are thin: ids, states and dates. Never answers, notes, comments or summaries: the bus,
its archive and DLQs are not places for confidential text. Consumers read the table.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared import clock

SCHEMA_VERSION = 1


class Actor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["user", "system"]
    user_id: str | None = None


SYSTEM = Actor(kind="system")


class EventData(BaseModel):
    """Base of every event's ``data``: only ids, states and dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AffiliateCreated(EventData):
    affiliate_id: str


class ProgramEnrolled(EventData):
    program_id: str
    primary_affiliate_id: str
    secondary_affiliate_ids: list[str]
    matching_since: date


class MemberInvited(EventData):
    user_id: str
    role: Literal["program-staff", "affiliate-staff", "national-staff"]
    scope: Literal["program", "affiliate", "national"]
    scope_id: str | None
    new_user: bool


class InvitationCreated(EventData):
    """An existing account was invited to a tenant: nothing is effective until it accepts."""

    invitation_id: str
    user_id: str
    role: Literal["program-staff", "affiliate-staff"]
    scope: Literal["program", "affiliate"]
    scope_id: str


class InvitationAccepted(InvitationCreated):
    """The holder accepted: the membership is effective from now on."""


class InvitationDeclined(InvitationCreated):
    """The holder declined: no membership."""


class CycleOpened(EventData):
    cycle_id: str
    program_id: str
    instrument_key: str
    instrument_version: int
    due_date: date
    previous_cycle_id: str | None
    readiness_overridden: bool


class AssessmentSubmitted(EventData):
    cycle_id: str
    program_id: str
    submitted_by: str


class AssessmentReturned(EventData):
    """The comment itself stays in the table: events carry no confidential text."""

    cycle_id: str
    program_id: str
    returned_by: str


class CycleArchived(EventData):
    cycle_id: str
    program_id: str
    previous_state: str


class InstrumentPublished(EventData):
    instrument_key: str
    version: int
    item_count: int


#: event name -> (source service, data model). The detail-type is the event name.
CATALOGUE: dict[str, tuple[str, type[EventData]]] = {
    "AffiliateCreated": ("nqms.directory", AffiliateCreated),
    "ProgramEnrolled": ("nqms.directory", ProgramEnrolled),
    "MemberInvited": ("nqms.directory", MemberInvited),
    "InvitationCreated": ("nqms.directory", InvitationCreated),
    "InvitationAccepted": ("nqms.directory", InvitationAccepted),
    "InvitationDeclined": ("nqms.directory", InvitationDeclined),
    "CycleOpened": ("nqms.assessment", CycleOpened),
    "AssessmentSubmitted": ("nqms.assessment", AssessmentSubmitted),
    "AssessmentReturned": ("nqms.assessment", AssessmentReturned),
    "CycleArchived": ("nqms.assessment", CycleArchived),
    "InstrumentPublished": ("nqms.assessment", InstrumentPublished),
}


class Envelope(BaseModel):
    """What an event carries in EventBridge ``detail``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: str
    event_type: str
    schema_version: int = SCHEMA_VERSION
    occurred_at: str
    correlation_id: str
    actor: Actor
    affiliate_ids: list[str] = Field(default_factory=list)
    program_id: str | None = None
    cycle_id: str | None = None
    data: dict[str, object]

    @property
    def source(self) -> str:
        return CATALOGUE[self.event_type][0]

    def typed_data(self) -> EventData:
        return CATALOGUE[self.event_type][1].model_validate(self.data)


def new_event(
    data: EventData,
    *,
    actor: Actor,
    correlation_id: str,
    affiliate_ids: list[str] | None = None,
    program_id: str | None = None,
    cycle_id: str | None = None,
) -> Envelope:
    event_type = type(data).__name__
    if event_type not in CATALOGUE or CATALOGUE[event_type][1] is not type(data):
        raise ValueError(f"{event_type} is not in the event catalogue")
    return Envelope(
        event_id=str(uuid.uuid4()),
        event_type=event_type,
        occurred_at=clock.now_iso(),
        correlation_id=correlation_id,
        actor=actor,
        affiliate_ids=sorted(set(affiliate_ids or [])),
        program_id=program_id,
        cycle_id=cycle_id,
        data=data.model_dump(mode="json"),
    )
