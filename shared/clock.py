"""One injectable clock. Expiry, reminders and due dates are computed from it.

Production code calls :func:`now` (an aware UTC datetime). Tests and the local stack replace
the clock with :func:`use_clock` so a three-year scenario runs in seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that stands still until told to move."""

    at: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at = self.at + delta


@dataclass
class OffsetClock:
    """The system clock moved by a fixed offset ("as of" another date, still ticking)."""

    offset: timedelta

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


_current: Clock = SystemClock()


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return _current.now()


def now_iso() -> str:
    """The current instant as an ISO 8601 string with millisecond precision and a Z."""
    return now().astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_in(delta: timedelta) -> str:
    """The instant ``delta`` from now, to the second with a Z: when a link stops working."""
    return (now() + delta).astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def set_clock(clock: Clock) -> Clock:
    """Replace the process-wide clock; returns the previous one."""
    global _current
    previous, _current = _current, clock
    return previous


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    previous = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)
