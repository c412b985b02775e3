"""Run the template's functions the way Lambda does: each in execution environments of its own.

An :class:`ExecutionEnvironment` is a separate Python process (see
:mod:`infra.local.execution_environment`) with exactly the variables of the function's
template entry in its environment. It imports the handler once (the cold start) and then
serves one invocation at a time. :class:`FunctionRuntime` keeps a pool of them per function:
an invocation takes an idle environment or starts a new one, up to the function's concurrency
limit, so two clients saving the same answer really race (in different processes, against the
one moto server), and one invocation's environment variables, module state and clock never
leak into another's. Environments left idle for a while are stopped, as Lambda does.

What functions print is relayed line by line to :mod:`infra.local.function_logs`.

Given ``artifacts`` (a folder per function, as ``sam build`` builds it: scripts/package.py), an
environment runs the function as deployed instead of from the source tree: ``python -I -S`` with
only that folder on its path (no site-packages, no PYTHONPATH, nothing of the development
environment), so a dependency missing from the lock fails here as it would in Lambda.

:meth:`FunctionRuntime.environment_of` is the exception: it puts a function's variables into
this process's own ``os.environ`` (under a lock) for code the stack runs in-process, such as
the seeder's bootstrap of the first national admin.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from infra.local import table_guard
from infra.local.function_logs import relay_line
from infra.local.specs import FunctionSpec

ROOT = Path(__file__).resolve().parents[2]
#: The child side, run by file path when the code comes from an artifact (the artifact does
#: not hold infra/; the script imports only the standard library and the handler).
CHILD_SCRIPT = Path(__file__).with_name("execution_environment.py")

#: The in-process environment (:meth:`FunctionRuntime.environment_of`) is process-wide.
ENVIRONMENT_LOCK = threading.RLock()
#: Concurrent executions per function (Lambda's reserved concurrency, kept small locally).
DEFAULT_CONCURRENCY = 10
#: An environment idle this long is stopped (Lambda reclaims idle ones after minutes).
IDLE_SECONDS = 300.0
#: Lambda gives a function's init phase 10 seconds.
INIT_TIMEOUT_SECONDS = 10.0
#: How long closing the runtime waits, in all, for the log relays to read to the end of what
#: the ended processes printed (a grandchild that inherited the pipe may hold it open).
RELAY_DRAIN_SECONDS = 5.0
#: Variables of this process that a child needs to start Python at all.
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "SYSTEMROOT")

Output = Callable[[FunctionSpec, str], None]


class HandlerImportError(RuntimeError):
    """A function's ``Handler`` could not be imported (Lambda's Runtime.ImportModuleError)."""


class FunctionError(RuntimeError):
    """The handler raised, or its environment died; ``error`` is what Lambda would report."""

    def __init__(self, function: str, error: Mapping[str, Any]) -> None:
        self.function = function
        self.error = dict(error)
        trace = "".join(self.error.get("stackTrace", []))
        kind, message = self.error.get("errorType"), self.error.get("errorMessage")
        super().__init__(f"{function}: {kind}: {message}" + (f"\n{trace}" if trace else ""))


class FunctionTimedOut(FunctionError):
    """The invocation outlasted the function's ``Timeout``; its environment was stopped."""


class RuntimeStopped(RuntimeError):
    """The runtime was closed (the stack is stopping)."""


def lambda_variables(function: FunctionSpec) -> dict[str, str]:
    """Variables the Lambda runtime itself defines for a function."""
    return {
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
    }


def child_environment(function: FunctionSpec, base: Mapping[str, str]) -> dict[str, str]:
    """Exactly what the function's process sees: its template variables over the stack's."""
    inherited = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    return (
        inherited
        | {"PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "0"}
        | dict(base)
        | lambda_variables(function)
        | {"NQMS_LOCAL_FUNCTION_ARN": function.arn}
        | table_guard_variables(function)
        | function.environment
    )


def table_guard_variables(function: FunctionSpec) -> dict[str, str]:
    """The function's table policy for its environment to enforce (infra/local/table_guard.py);
    ``NQMS_LOCAL_TABLE_CALLS`` in the stack's environment records every call it checks."""
    if not function.table_arn:
        return {}
    variables = {
        table_guard.POLICY_VARIABLE: json.dumps(function.table_policy),
        table_guard.TABLE_ARN_VARIABLE: function.table_arn,
    }
    if os.environ.get(table_guard.RECORD_VARIABLE):
        variables[table_guard.RECORD_VARIABLE] = os.environ[table_guard.RECORD_VARIABLE]
    return variables


def child_command(artifact: Path | None) -> list[str]:
    """How an environment's process starts: from the source tree, or isolated in ``artifact``
    (``-I``: no PYTHON* variables, no user site, no script folder on the path; ``-S``: no
    site-packages; ``-u``: logs unbuffered, since ``-I`` ignores PYTHONUNBUFFERED)."""
    if artifact is None:
        return [sys.executable, "-m", "infra.local.execution_environment"]
    return [sys.executable, "-I", "-S", "-u", str(CHILD_SCRIPT), "--path", str(artifact)]


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


class ExecutionEnvironment:
    """One process serving one function, one invocation at a time (not thread-safe)."""

    def __init__(
        self,
        function: FunctionSpec,
        environment: Mapping[str, str],
        output: Output,
        artifact: Path | None = None,
    ) -> None:
        self.function = function
        self.init_ms: float | None = None
        self.last_used = time.monotonic()
        request_read, self._request_fd = os.pipe()
        self._answer_fd, answer_write = os.pipe()
        try:
            self._process = subprocess.Popen(  # noqa: S603 - our own module, our interpreter
                [
                    *child_command(artifact),
                    function.handler,
                    str(request_read),
                    str(answer_write),
                ],
                cwd=artifact or ROOT,
                env=dict(environment),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(request_read, answer_write),
                start_new_session=True,  # Ctrl-C in the terminal is for the stack to handle
            )
        finally:
            os.close(request_read)
            os.close(answer_write)
        self._buffer = b""
        self._relay = threading.Thread(
            target=self._relay_output,
            args=(self._process.stdout, output),
            name=f"logs:{function.logical_id}:{self._process.pid}",
            daemon=True,
        )
        self._relay.start()
        self._await_ready()

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def invoke(self, event: Any, clock_offset_s: float | None = None) -> Any:
        """The handler's result; :class:`FunctionError` when it raised or the process died."""
        request = {
            "event": event,
            "request_id": str(uuid.uuid4()),
            "timeout_s": self.function.timeout_s,
            "clock_offset_s": clock_offset_s,
        }
        try:
            os.write(self._request_fd, (json.dumps(request) + "\n").encode())
        except OSError as exc:
            self.stop()
            raise FunctionError(self.function.logical_id, _died(self._process)) from exc
        # A little more than the function's timeout: the child's own clock starts later.
        answer = self._read_answer(self.function.timeout_s + 1.0)
        self.last_used = time.monotonic()
        if "error" in answer:
            raise FunctionError(self.function.logical_id, answer["error"])
        return answer.get("result")

    def kill(self) -> None:
        """End the process now; a thread waiting for its answer sees it die."""
        if self.alive:
            self._process.kill()

    def stop(self) -> None:
        """End the process (Lambda gives an environment no say in that) and free its pipes."""
        self.kill()
        for fd in (self._request_fd, self._answer_fd):
            with suppress(OSError):
                os.close(fd)
        self._request_fd = self._answer_fd = -1
        self._process.wait()

    def drain(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) until every line the ended process printed has
        been relayed: the relay runs in a thread of its own, which a busy machine may not
        have run yet when the process is gone. True when the relay read the pipe to its end."""
        self._relay.join(timeout)
        return not self._relay.is_alive()

    # ---------------------------------------------------------------- internals
    def _await_ready(self) -> None:
        what = f"cannot start {self.function.logical_id} (handler {self.function.handler})"
        try:
            message = self._read_answer(INIT_TIMEOUT_SECONDS)
        except FunctionError as exc:
            raise HandlerImportError(f"{what}: {exc}") from exc
        if "init_error" in message:
            self.stop()
            error = message["init_error"]
            trace = "".join(error.get("stackTrace", []))
            raise HandlerImportError(f"{what}: {error.get('errorMessage')}\n{trace}")
        self.init_ms = float(message.get("init_ms", 0.0))

    def _read_answer(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                raise FunctionTimedOut(
                    self.function.logical_id,
                    {
                        "errorType": "Sandbox.Timedout",
                        "errorMessage": f"Task timed out after {timeout:.2f} seconds",
                    },
                )
            try:
                ready, _, _ = select.select([self._answer_fd], [], [], remaining)
                chunk = os.read(self._answer_fd, 65536) if ready else None
            except (OSError, ValueError):
                chunk = b""
            if chunk == b"":
                self.stop()
                raise FunctionError(self.function.logical_id, _died(self._process))
            if chunk:
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _relay_output(self, stream: IO[bytes] | None, output: Output) -> None:
        if stream is None:
            return
        with stream:
            for raw in stream:
                output(self.function, raw.decode("utf-8", "replace").rstrip("\n"))


def _died(process: subprocess.Popen[bytes]) -> dict[str, Any]:
    code = process.poll()
    return {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"the execution environment exited (status {code})",
    }


class _Pool:
    """The execution environments of one function: idle ones first, new ones up to a limit."""

    def __init__(self, start: Callable[[], ExecutionEnvironment], limit: int) -> None:
        self._start = start
        self._limit = limit
        self._idle: list[ExecutionEnvironment] = []
        self._all: set[ExecutionEnvironment] = set()
        self._starting = 0
        self._closed = False
        self._changed = threading.Condition()

    @property
    def size(self) -> int:
        with self._changed:
            return len(self._all)

    def acquire(self) -> ExecutionEnvironment:
        with self._changed:
            while True:
                if self._closed:
                    raise RuntimeStopped("the local stack is stopping")
                if self._idle:
                    return self._idle.pop()  # the most recently used: the warmest
                if len(self._all) + self._starting < self._limit:
                    self._starting += 1
                    break
                self._changed.wait()
        try:
            environment = self._start()
        finally:
            with self._changed:
                self._starting -= 1
                self._changed.notify_all()
        with self._changed:
            self._all.add(environment)
        return environment

    def release(self, environment: ExecutionEnvironment) -> None:
        with self._changed:
            if environment.alive and not self._closed:
                self._idle.append(environment)
                finished = self._stale_locked()
            else:
                self._all.discard(environment)
                finished = [environment]
            self._changed.notify_all()
        for old in finished:
            old.stop()

    def close(self) -> list[ExecutionEnvironment]:
        """End every environment now (a running invocation fails, as on a shutdown); the
        environments ended, whose output may still be on its way to the log."""
        with self._changed:
            self._closed = True
            idle = list(self._idle)
            busy = [e for e in self._all if e not in idle]  # released (and stopped) later
            self._all.clear()
            self._idle.clear()
            self._changed.notify_all()
        for environment in busy + idle:
            environment.kill()
        for environment in idle:
            environment.stop()
        return busy + idle

    def _stale_locked(self) -> list[ExecutionEnvironment]:
        """Idle environments unused for IDLE_SECONDS, except the warmest one."""
        cutoff = time.monotonic() - IDLE_SECONDS
        stale = [e for e in self._idle[:-1] if e.last_used < cutoff]
        for environment in stale:
            self._idle.remove(environment)
            self._all.discard(environment)
        return stale


class FunctionRuntime:
    """Invokes the recorded functions by logical id, each in execution environments of its own.

    ``environment`` is what every function sees besides its template variables: the stack's
    endpoint, credentials and region (``stack_environment`` of :mod:`infra.local.stack`).

    ``clock_offset`` moves the clock of every invocation that names no ``now`` of its own
    (``make run AS_OF=``): the API, the workers and the jobs then share one "today".
    """

    def __init__(
        self,
        functions: Mapping[str, FunctionSpec],
        environment: Mapping[str, str],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        output: Output = relay_line,
        artifacts: Mapping[str, Path] | None = None,
    ) -> None:
        self.functions = dict(functions)
        #: Logical id -> the function's built artifact (None: the source tree, as in `make run`).
        self.artifacts = dict(artifacts) if artifacts is not None else None
        self._environment = dict(environment)
        self._concurrency = concurrency
        self._output = output
        self._pools: dict[str, _Pool] = {}
        self._lock = threading.Lock()
        #: Every invocation runs as of the real time + this (None: the real clock).
        self.clock_offset: timedelta | None = None

    def spec(self, logical_id: str) -> FunctionSpec:
        return self.functions[logical_id]

    def spec_by_arn(self, arn: str) -> FunctionSpec:
        for function in self.functions.values():
            if function.arn == arn:
                return function
        raise KeyError(f"no function with ARN {arn}")

    def now(self) -> datetime:
        """The functions' current instant: the real one, moved by ``clock_offset``."""
        return datetime.now(UTC) + (self.clock_offset or timedelta())

    def invoke(self, logical_id: str, event: Any, *, now: datetime | None = None) -> Any:
        """Call the function's handler with ``event``, as of ``now`` if given, else as of
        :meth:`now` (the runtime's clock, moved or not).

        Raises :class:`FunctionError` when the handler raises, as Lambda reports it."""
        offset: float | None = None
        if now is not None:
            offset = (now - datetime.now(UTC)).total_seconds()
        elif self.clock_offset is not None:
            offset = self.clock_offset.total_seconds()
        pool = self._pool(logical_id)
        environment = pool.acquire()
        try:
            return environment.invoke(event, offset)
        finally:
            pool.release(environment)

    def warm(self, logical_ids: list[str] | None = None) -> dict[str, float]:
        """Start one environment per function, all at once; their init times in ms."""
        wanted = logical_ids if logical_ids is not None else list(self.functions)
        results: dict[str, float] = {}
        errors: list[BaseException] = []

        def start(logical_id: str) -> None:
            pool = self._pool(logical_id)
            try:
                environment = pool.acquire()
            except BaseException as exc:
                errors.append(exc)
                return
            results[logical_id] = environment.init_ms or 0.0
            pool.release(environment)

        threads = [threading.Thread(target=start, args=(i,)) for i in wanted]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return results

    def environments(self, logical_id: str) -> int:
        """How many execution environments the function has now."""
        return self._pool(logical_id).size

    def close(self) -> None:
        """Stop every execution environment (a running invocation fails) and relay the last
        lines they printed (waiting at most ``RELAY_DRAIN_SECONDS`` in all); safe to repeat."""
        with self._lock:
            pools = list(self._pools.values())
            self._pools.clear()
        ended = [environment for pool in pools for environment in pool.close()]
        deadline = time.monotonic() + RELAY_DRAIN_SECONDS
        for environment in ended:
            environment.drain(max(0.0, deadline - time.monotonic()))

    @contextmanager
    def environment_of(self, logical_id: str) -> Iterator[FunctionSpec]:
        """In this process: hold the lock with the function's variables in ``os.environ``."""
        function = self.spec(logical_id)
        with ENVIRONMENT_LOCK, patched_environ(lambda_variables(function) | function.environment):
            forget_cached_settings()
            try:
                yield function
            finally:
                forget_cached_settings()

    def _pool(self, logical_id: str) -> _Pool:
        function = self.spec(logical_id)
        with self._lock:
            pool = self._pools.get(logical_id)
            if pool is None:
                pool = _Pool(lambda: self._start(function), self._concurrency)
                self._pools[logical_id] = pool
            return pool

    def _start(self, function: FunctionSpec) -> ExecutionEnvironment:
        environment = child_environment(function, self._environment)
        artifact = None if self.artifacts is None else self.artifacts[function.logical_id]
        return ExecutionEnvironment(function, environment, self._output, artifact)
