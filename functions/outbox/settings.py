"""The outbox relay's and sweeper's settings (the same for both), validated at cold start."""

from __future__ import annotations

from pydantic import Field

from shared.settings import FunctionSettings, Piece, Required


class OutboxSettings(FunctionSettings):
    event_bus_name: Required = Field(validation_alias="EVENT_BUS_NAME")
    #: Published outbox records are kept this long before DynamoDB's TTL removes them.
    outbox_retention_seconds: int = Field(
        default=7 * 24 * 3600, gt=0, validation_alias="OUTBOX_RETENTION_SECONDS"
    )
    #: The sweeper leaves records younger than this to the stream relay.
    outbox_sweep_grace_seconds: int = Field(
        default=120, ge=0, validation_alias="OUTBOX_SWEEP_GRACE_SECONDS"
    )


#: The template's handlers of this package and their models (tests/unit/test_settings.py).
HANDLERS: dict[str, type[Piece]] = {
    "functions.outbox.handler.relay": OutboxSettings,
    "functions.outbox.handler.sweep": OutboxSettings,
}
