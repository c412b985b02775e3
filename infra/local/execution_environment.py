"""One Lambda execution environment: its own Python process, one handler, one event at a time.

    python -m infra.local.execution_environment functions.directory.handler.handler 5 8
    python -I -S -u infra/local/execution_environment.py --path ARTIFACT functions.directory... 5 8

This is the child side of :class:`infra.local.runtime.ExecutionEnvironment`. Like Lambda's
runtime, it imports the handler once (the cold start, with the function's own environment
variables already in ``os.environ``), then answers invocations one after another until the
request pipe closes. Requests and answers are JSON lines on two pipes whose file descriptors
are given on the command line, so the handler's stdout and stderr stay free for its logs.

It imports only the standard library and the handler (and ``shared.clock`` when an invocation
runs "as of" another date, and boto3 to check the function's table policy, before the clock
starts), so what it measures as the init duration is the handler's own.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import IO, Any

Handler = Callable[[Any, Any], Any]


class LambdaContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    def __init__(self, request_id: str, timeout_s: float) -> None:
        env = os.environ
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME", "local")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = env.get("NQMS_LOCAL_FUNCTION_ARN", "")
        self.memory_limit_in_mb = int(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.aws_request_id = request_id
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = f"local/{os.getpid()}"
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def error_payload(exc: BaseException, error_type: str | None = None) -> dict[str, Any]:
    """An error as Lambda reports it to the invoker."""
    return {
        "errorType": error_type or type(exc).__name__,
        "errorMessage": str(exc),
        "stackTrace": traceback.format_exception(exc),
    }


def load_handler(dotted_path: str) -> Handler:
    module_name, _, attribute = dotted_path.rpartition(".")
    handler: Handler = getattr(importlib.import_module(module_name), attribute)
    if not callable(handler):
        raise TypeError(f"{dotted_path} is not callable")
    return handler


@contextmanager
def _as_of(offset_s: float | None) -> Iterator[None]:
    """Run one invocation with the clock moved by ``offset_s`` seconds (``make job AS_OF=``)."""
    if offset_s is None:
        yield
        return
    from shared.clock import OffsetClock, use_clock

    with use_clock(OffsetClock(timedelta(seconds=offset_s))):
        yield


def answer(handler: Handler, request: dict[str, Any]) -> dict[str, Any]:
    """Invoke the handler with one request; the result or the error, never an exception."""
    context = LambdaContext(str(request["request_id"]), float(request["timeout_s"]))
    try:
        with _as_of(request.get("clock_offset_s")):
            result = handler(request["event"], context)
    except Exception as exc:
        return {"error": error_payload(exc)}
    try:
        json.dumps(result)
    except (TypeError, ValueError) as exc:
        return {"error": error_payload(exc, "Runtime.MarshalError")}
    return {"result": result}


def guard_the_table() -> None:
    """The function's table policy, checked on each DynamoDB call (infra/local/table_guard.py,
    loaded by its path: in artifact mode the source tree is not importable)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "table_guard.py")
    spec = importlib.util.spec_from_file_location("nqms_local_table_guard", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.install(os.environ)


def serve(handler_path: str, requests: IO[str], answers: IO[str]) -> int:
    if os.environ.get("NQMS_LOCAL_TABLE_POLICY"):
        guard_the_table()  # before the clock starts: the handler's init is what is measured
    started = time.perf_counter()
    try:
        handler = load_handler(handler_path)
    except Exception as exc:
        _send(answers, {"init_error": error_payload(exc, "Runtime.ImportModuleError")})
        return 1
    init_ms = round((time.perf_counter() - started) * 1000, 1)
    _send(answers, {"ready": True, "init_ms": init_ms})
    for line in requests:
        _send(answers, answer(handler, json.loads(line)))
        sys.stdout.flush()
    return 0


def _send(answers: IO[str], message: dict[str, Any]) -> None:
    answers.write(json.dumps(message) + "\n")
    answers.flush()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--path"]:  # a built artifact: its folder is the whole import path
        sys.path.insert(0, argv[1])
        argv = argv[2:]
    handler_path, request_fd, answer_fd = argv[0], int(argv[1]), int(argv[2])
    with (
        os.fdopen(request_fd, "r", encoding="utf-8") as requests,
        os.fdopen(answer_fd, "w", encoding="utf-8") as answers,
    ):
        return serve(handler_path, requests, answers)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
