"""What every event shares: the actor, and the base of every event's ``data``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 1


class Actor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    kind: Literal["user", "system"]
    user_id: str | None = None


#: Made without validation: validating would build Actor's schema at every cold start.
SYSTEM = Actor.model_construct(kind="system")


class EventData(BaseModel):
    """Base of every event's ``data``: only ids, states and dates."""

    # Built on first use: a function imports every event's model, and publishes one or two.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


#: event name -> (source service, data model). The detail-type is the event name.
Catalogue = Mapping[str, tuple[str, type[EventData]]]


def catalogue(source: str, *models: type[EventData]) -> Catalogue:
    """A service's part of the catalogue: each event is named after its data model."""
    return {model.__name__: (source, model) for model in models}
