"""The injectable clock in tests: code inside the block runs as of another day."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from shared import clock


@contextmanager
def as_of(day: date) -> Iterator[None]:
    """The clock moved so that today is ``day`` (the time of day unchanged)."""
    with clock.use_clock(clock.OffsetClock(day - date.today())):
        yield
