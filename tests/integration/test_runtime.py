"""The local runtime runs functions as Lambda does: each invocation in an execution environment
of its own process, with its function's variables, clock and module state, concurrently."""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local import runtime as runtime_module
from infra.local.runtime import (
    FunctionError,
    FunctionRuntime,
    FunctionTimedOut,
    HandlerImportError,
)
from infra.local.specs import FunctionSpec

BASE = {"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_REGION": "us-east-1"}


def _spec(logical_id: str, colour: str, handler: str = "tests.support.handlers.echo") -> Any:
    return FunctionSpec(
        logical_id=logical_id,
        name=f"nqms-test-{logical_id}",
        arn=f"arn:aws:lambda:us-east-1:123456789012:function:nqms-test-{logical_id}",
        handler=handler,
        environment={"COLOUR": colour, "POWERTOOLS_SERVICE_NAME": logical_id.lower()},
        timeout_s=2,
    )


@pytest.fixture
def runtime() -> Any:
    functions = {
        "Red": _spec("Red", "red"),
        "Blue": _spec("Blue", "blue"),
        "Broken": _spec("Broken", "none", "tests.support.handlers.missing"),
        "NotJson": _spec("NotJson", "none", "tests.support.handlers.not_json"),
    }
    runtime = FunctionRuntime(functions, BASE, concurrency=3)
    yield runtime
    runtime.close()


def _concurrently(calls: list[Any]) -> list[Any]:
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_each_function_sees_its_own_variables_even_when_invoked_at_once(runtime) -> None:
    results = _concurrently(
        [lambda i=i: runtime.invoke("Red" if i % 2 else "Blue", {"sleep": 0.2}) for i in range(6)]
    )
    for index, result in enumerate(results):
        colour = "red" if index % 2 else "blue"
        assert result["colour"] == colour
        assert result["service"] == colour
        assert result["endpoint"] == BASE["AWS_ENDPOINT_URL"]
        assert result["function_name"] == f"nqms-test-{colour.title()}"
    red_pids = {r["pid"] for r in results[1::2]}
    blue_pids = {r["pid"] for r in results[0::2]}
    assert not red_pids & blue_pids  # never the same process for two functions


def test_concurrent_invocations_get_separate_environments_up_to_the_limit(runtime) -> None:
    results = _concurrently([lambda: runtime.invoke("Red", {"sleep": 0.5}) for _ in range(3)])
    assert len({r["pid"] for r in results}) == 3
    assert runtime.environments("Red") == 3
    # Past the limit an invocation waits for a free environment instead of starting a fourth.
    results = _concurrently([lambda: runtime.invoke("Red", {"sleep": 0.2}) for _ in range(5)])
    assert len({r["pid"] for r in results}) <= 3
    assert runtime.environments("Red") == 3


def test_a_warm_environment_keeps_its_module_state(runtime) -> None:
    first = runtime.invoke("Red", {})
    second = runtime.invoke("Red", {})
    assert second["pid"] == first["pid"]
    assert second["invocations"] == first["invocations"] + 1


def test_an_invocation_as_of_another_date_moves_only_its_own_clock(runtime) -> None:
    moved = runtime.invoke("Red", {}, now=datetime(2029, 1, 1, 12, tzinfo=UTC))
    assert moved["now"].startswith("2029-01-01T12:00")
    today = runtime.invoke("Red", {})
    assert datetime.fromisoformat(today["now"]).date() == datetime.now(UTC).date()
    assert today["pid"] == moved["pid"]


def test_a_moved_runtime_clock_moves_every_invocation_that_names_no_date(runtime) -> None:
    """`make run AS_OF=`: the gateway and the workers invoke with no date of their own."""
    runtime.clock_offset = timedelta(days=1000)
    later = (datetime.now(UTC) + timedelta(days=1000)).date()
    assert datetime.fromisoformat(runtime.invoke("Red", {})["now"]).date() == later
    assert datetime.fromisoformat(runtime.invoke("Blue", {})["now"]).date() == later
    assert runtime.now().date() == later
    named = runtime.invoke("Red", {}, now=datetime(2029, 1, 1, 12, tzinfo=UTC))
    assert named["now"].startswith("2029-01-01T12:00")  # a job's own AS_OF wins
    runtime.clock_offset = None
    assert datetime.fromisoformat(runtime.invoke("Red", {})["now"]).date() < later


def test_a_handler_error_is_reported_as_lambda_reports_it(runtime) -> None:
    with pytest.raises(FunctionError) as raised:
        runtime.invoke("Red", {"raise": "no such cycle"})
    assert raised.value.error["errorType"] == "ValueError"
    assert raised.value.error["errorMessage"] == "no such cycle"
    assert "handlers.py" in "".join(raised.value.error["stackTrace"])
    assert runtime.invoke("Red", {})["colour"] == "red"  # the environment survives


def test_a_result_that_is_not_json_is_a_marshal_error(runtime) -> None:
    with pytest.raises(FunctionError) as raised:
        runtime.invoke("NotJson", {})
    assert raised.value.error["errorType"] == "Runtime.MarshalError"


def test_a_timed_out_invocation_ends_its_environment(runtime) -> None:
    before = runtime.invoke("Red", {})["pid"]
    with pytest.raises(FunctionTimedOut):
        runtime.invoke("Red", {"sleep": 10})
    after = runtime.invoke("Red", {})
    assert after["pid"] != before
    assert after["invocations"] == 1  # a cold start


def test_a_handler_that_cannot_be_imported_fails_at_init(runtime) -> None:
    with pytest.raises(HandlerImportError, match=r"handler tests\.support\.handlers\.missing"):
        runtime.invoke("Broken", {})


def test_what_a_function_prints_reaches_the_log_under_its_service(runtime, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="function"):
        runtime.invoke("Blue", {"print": "hello from blue"})
        runtime.close()  # the relay has read everything once the process is gone
    assert ("function.blue", logging.INFO, "hello from blue") in caplog.record_tuples


def test_closing_waits_for_the_relay_to_log_what_the_function_printed_last() -> None:
    """On a busy machine the relay thread may not have run yet when the invocation returns
    (here it is held back on purpose): close() waits for it, so stopping the stack does not
    lose a function's last lines."""
    relayed: list[tuple[str, str]] = []

    def held_back(function: FunctionSpec, line: str) -> None:
        time.sleep(0.5)
        relayed.append((function.logical_id, line))

    runtime = FunctionRuntime({"Blue": _spec("Blue", "blue")}, BASE, output=held_back)
    try:
        runtime.invoke("Blue", {"print": "first"})
        runtime.invoke("Blue", {"print": "last"})
    finally:
        runtime.close()
    assert relayed == [("Blue", "first"), ("Blue", "last")]


def test_closing_waits_for_a_stuck_relay_only_so_long(monkeypatch) -> None:
    monkeypatch.setattr(runtime_module, "RELAY_DRAIN_SECONDS", 0.5)
    stuck = threading.Event()

    def never_done(function: FunctionSpec, line: str) -> None:
        stuck.wait(30)

    runtime = FunctionRuntime({"Blue": _spec("Blue", "blue")}, BASE, output=never_done)
    try:
        runtime.invoke("Blue", {"print": "hello"})
        started = time.monotonic()
        runtime.close()
        assert time.monotonic() - started < 5
    finally:
        stuck.set()


def test_closing_the_runtime_ends_every_environment(runtime) -> None:
    pid = runtime.invoke("Red", {})["pid"]
    runtime.close()

    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
