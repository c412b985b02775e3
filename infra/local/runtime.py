"""Run the template's functions in-process, each with its own environment, like Lambda.

The process environment is shared by every thread, so invocations are serialised by one
lock: while a function runs, ``os.environ`` holds exactly the variables of its template
entry (``POWERTOOLS_SERVICE_NAME`` differs per function) and the cached settings are
re-read. Handlers are imported on first use, by the dotted path of the template's
``Handler``, with the function's environment in place (module-level loggers see it).
"""

from __future__ import annotations

import importlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from infra.local.specs import FunctionSpec

Handler = Callable[[Any, Any], Any]

#: One process, one environment: the lock every invocation (and the seed) holds.
ENVIRONMENT_LOCK = threading.RLock()


class HandlerImportError(RuntimeError):
    """A function's ``Handler`` does not name an importable callable."""


class LambdaContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    def __init__(self, function: FunctionSpec) -> None:
        self.function_name = function.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = function.arn
        self.memory_limit_in_mb = function.memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function.name}"
        self.log_stream_name = f"local/{self.aws_request_id}"
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + function.timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@contextmanager
def patched_environ(values: Mapping[str, str]) -> Iterator[None]:
    """Set ``values`` in ``os.environ`` and put back exactly what was there before."""
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def forget_cached_settings() -> None:
    """Settings are read once per process; a different function must read them again."""
    from shared.settings import get_settings

    get_settings.cache_clear()


def lambda_variables(function: FunctionSpec) -> dict[str, str]:
    """Variables the Lambda runtime itself defines for a function."""
    return {
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
    }


def load_handler(dotted_path: str) -> Handler:
    module_name, _, attribute = dotted_path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
        handler: Handler = getattr(module, attribute)
    except (ImportError, AttributeError) as exc:
        raise HandlerImportError(f"cannot import handler {dotted_path}: {exc}") from exc
    return handler


class FunctionRuntime:
    """Invokes the recorded functions by logical id."""

    def __init__(self, functions: Mapping[str, FunctionSpec]) -> None:
        self.functions = dict(functions)

    def spec(self, logical_id: str) -> FunctionSpec:
        return self.functions[logical_id]

    def spec_by_arn(self, arn: str) -> FunctionSpec:
        for function in self.functions.values():
            if function.arn == arn:
                return function
        raise KeyError(f"no function with ARN {arn}")

    @contextmanager
    def environment_of(self, logical_id: str) -> Iterator[FunctionSpec]:
        """Hold the environment lock with the function's variables in ``os.environ``."""
        function = self.spec(logical_id)
        with ENVIRONMENT_LOCK, patched_environ(lambda_variables(function) | function.environment):
            forget_cached_settings()
            try:
                yield function
            finally:
                forget_cached_settings()

    def invoke(self, logical_id: str, event: Any) -> Any:
        """Call the function's handler with ``event`` and a context; exceptions propagate."""
        with self.environment_of(logical_id) as function:
            handler = load_handler(function.handler)
            return handler(event, LambdaContext(function))
