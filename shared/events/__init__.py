"""Domain events: the envelope every event carries in EventBridge ``detail``, and the catalogue.

The catalogue is assembled here from one part per service (``shared/events/<service>.py``:
its event models and its ``CATALOGUE``, built with ``shared.events.base.catalogue``), each part
imported only when one of its events is built or read; an event name two parts define fails the
catalogue's first read (``shared.registry.merge``) and a test.

Events are thin: ids, states and dates. Never answers, notes, comments or summaries: the bus,
its archive and DLQs are not places for confidential text. Consumers read the table.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from shared import clock
from shared.events.base import SCHEMA_VERSION, Catalogue
from shared.events.base import SYSTEM as SYSTEM  # re-exported: callers import them from here
from shared.events.base import Actor as Actor
from shared.events.base import EventData as EventData
from shared.registry import merge

if TYPE_CHECKING:
    # The events of the first services, importable from here as before (loaded on first use,
    # below); a new service's events are imported from its own module.
    from shared.events.assessment import AssessmentReturned as AssessmentReturned
    from shared.events.assessment import AssessmentSubmitted as AssessmentSubmitted
    from shared.events.assessment import CycleArchived as CycleArchived
    from shared.events.assessment import CycleOpened as CycleOpened
    from shared.events.assessment import InstrumentPublished as InstrumentPublished
    from shared.events.directory import AffiliateCreated as AffiliateCreated
    from shared.events.directory import InvitationAccepted as InvitationAccepted
    from shared.events.directory import InvitationCreated as InvitationCreated
    from shared.events.directory import InvitationDeclined as InvitationDeclined
    from shared.events.directory import MemberInvited as MemberInvited
    from shared.events.directory import MemberRemoved as MemberRemoved
    from shared.events.directory import ProgramEnrolled as ProgramEnrolled
    from shared.events.directory import ProgramUpdated as ProgramUpdated

D = TypeVar("D")

#: Each service's part (shared/events/<service>.py, exporting ``CATALOGUE``); a new service
#: adds its module here. A part is imported when one of its events is built or read, not
#: before: a cold start pays only for the events it touches.
PARTS: Mapping[str, str] = {
    name: f"shared.events.{name}"
    for name in ("directory", "assessment", "review", "plan", "badge", "reminders", "report")
}

_REEXPORTED = {
    **dict.fromkeys(
        (
            "AssessmentReturned",
            "AssessmentSubmitted",
            "CycleArchived",
            "CycleOpened",
            "InstrumentPublished",
        ),
        "assessment",
    ),
    **dict.fromkeys(
        (
            "AffiliateCreated",
            "InvitationAccepted",
            "InvitationCreated",
            "InvitationDeclined",
            "MemberInvited",
            "MemberRemoved",
            "ProgramEnrolled",
            "ProgramUpdated",
        ),
        "directory",
    ),
}


def __getattr__(name: str) -> Any:
    """An event of the first services, from its part (imported on first use)."""
    if name in _REEXPORTED:
        return getattr(import_module(PARTS[_REEXPORTED[name]]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _merged() -> dict[str, tuple[str, type[EventData]]]:
    # Two parts defining one event name fail here (and in tests/unit/test_registries.py).
    parts = {name: import_module(module).CATALOGUE for name, module in PARTS.items()}
    return merge("event", parts)


class _Catalogue(Mapping[str, tuple[str, type[EventData]]]):
    """Every part's events, merged when first read (which imports every part)."""

    def __getitem__(self, event_type: str) -> tuple[str, type[EventData]]:
        return _merged()[event_type]

    def __iter__(self) -> Iterator[str]:
        return iter(_merged())

    def __len__(self) -> int:
        return len(_merged())


#: event name -> (source service, data model). The detail-type is the event name.
CATALOGUE: Catalogue = _Catalogue()


def _part_entry(data: EventData) -> tuple[str, type[EventData]] | None:
    """The catalogue entry of ``data``'s event, read from its own part only."""
    module = type(data).__module__
    if module not in PARTS.values():
        return None
    part: Catalogue = import_module(module).CATALOGUE
    return part.get(type(data).__name__)


class Envelope(BaseModel):
    """What an event carries in EventBridge ``detail``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

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
        """``data`` as its event's model (validated: a malformed event fails here)."""
        return CATALOGUE[self.event_type][1].model_validate(self.data)

    def data_as(self, model: type[D]) -> D:
        """``data`` as ``model``, which this event's model must be (or derive from): a
        consumer states what it handles, and an event of another type fails loudly."""
        data = self.typed_data()
        if not isinstance(data, model):
            raise TypeError(f"{self.event_type} carries no {model.__name__}")
        return data


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
    entry = _part_entry(data)
    if entry is None or entry[1] is not type(data):
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
