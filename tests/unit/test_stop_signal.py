"""Ctrl-C stops the local stack even when the kernel hands the signal to another thread.

A process-directed signal may land on any thread; Python runs the handler in the main thread,
but a main thread asleep in one long ``time.sleep`` did not wake for it (the stack ignored
Ctrl-C for up to an hour under load). Here the signal is sent to a helper thread on purpose.
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType

import pytest

from infra.local.__main__ import wait_for_a_stop_signal


class Stop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise Stop


def test_a_signal_taken_by_another_thread_ends_the_wait_at_once() -> None:
    previous = signal.signal(signal.SIGUSR1, _raise_stop)
    main = threading.main_thread().ident
    assert main is not None
    to_itself = threading.Timer(
        0.2, lambda: signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
    )
    # If the wait never notices, wake the main thread itself after 10 s so the test fails.
    rescue = threading.Timer(10, lambda: signal.pthread_kill(main, signal.SIGUSR1))
    started = time.monotonic()
    try:
        to_itself.start()
        rescue.start()
        with pytest.raises(Stop):
            wait_for_a_stop_signal()
    finally:
        rescue.cancel()
        to_itself.cancel()
        signal.signal(signal.SIGUSR1, previous)

    assert time.monotonic() - started < 2
