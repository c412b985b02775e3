"""The one retry policy: how many times a transient failure is tried again, and how long to wait.

Every retry loop of the services runs on :class:`Retry`: :meth:`Retry.run` calls a function
again while it raises one of the given errors (the data store busy, by default), and
:meth:`Retry.tries` paces a loop that re-sends only what is left (a batch's unprocessed keys,
a bus call's failed entries). Waits grow exponentially from ``first_pause``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from shared.errors import ServiceBusy

T = TypeVar("T")


@dataclass(frozen=True)
class Retry:
    attempts: int = 3
    first_pause: float = 0.05

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("a retry policy makes at least one attempt")

    def tries(self) -> Iterator[int]:
        """The attempt numbers (1, 2, ...), pausing before each one after the first. A loop
        breaks out when it is done; running through means every attempt was used."""
        for attempt in range(1, self.attempts + 1):
            if attempt > 1:
                time.sleep(self.first_pause * 2 ** (attempt - 2))
            yield attempt

    def run(
        self,
        call: Callable[[], T],
        *,
        on: tuple[type[BaseException], ...] = (ServiceBusy,),
    ) -> T:
        """``call()``, called again while it raises one of ``on``; the last attempt's error
        propagates."""
        for attempt in self.tries():
            try:
                return call()
            except on:
                if attempt == self.attempts:
                    raise
        raise AssertionError("unreachable: the last attempt returns or raises")


#: The services' policy for a busy data store or bus: three attempts, 50 then 100 ms apart.
TRANSIENT = Retry()
