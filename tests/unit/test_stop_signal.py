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

from infra.local import __main__ as cli
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


def test_the_first_stop_signal_stops_and_starts_the_watchdog_a_second_one_is_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second Ctrl-C while the stack stops must not cut the stop (and its save) short with
    a KeyboardInterrupt in the middle of it; the watchdog started by the first bounds it."""
    watchdogs: list[bool] = []
    monkeypatch.setattr(cli, "start_stop_watchdog", lambda: watchdogs.append(True))
    saved = {signum: signal.getsignal(signum) for signum in cli.STOP_SIGNALS}
    try:
        cli.catch_stop_signals()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)
        assert watchdogs == [True]
        signal.raise_signal(signal.SIGINT)  # ignored: nothing raised
        signal.raise_signal(signal.SIGHUP)
        assert watchdogs == [True]
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
