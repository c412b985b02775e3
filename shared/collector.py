"""The cyclic garbage collector across a Lambda function's cold start.

A cold start imports the function (modules, classes, pydantic models, routes: all of it lives
as long as the process) and an API function then answers its first request (boto3 builds its
client: more of the same). Collecting meanwhile frees next to nothing and walks all of it again
and again: about a fifth of the floor (``make bench``, cold start).

So, in an execution environment only (Lambda and the local stack set
``AWS_LAMBDA_FUNCTION_NAME``), :func:`pause_for_cold_start` stops the collector as the
``functions`` package is imported, and the entry point resumes it, first freezing what exists
by then so that no later collection walks it again:

- :func:`request_entry_point` (an API function's, ``shared.edge.api.handler_for``) once its
  first request is answered: a person waits on that one, and it is small. The first request's
  cyclic garbage is frozen with the rest: about 200 objects, once (measured on the assessment
  and plan functions, against some 65,000 that each full collection would otherwise walk).
- :func:`entry_point` (a job's or a consumer's) as its first invocation begins: nobody waits
  on it, and it may be any size (a whole export, every cycle's reminders).

Tests and tools import the functions with the collector on, and the entry points leave it alone
there.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from typing import Any, TypeVar

Entry = TypeVar("Entry", bound=Callable[..., Any])

_paused = False


def pause_for_cold_start() -> None:
    """Stop the collector until an entry point's first invocation returns (in an execution
    environment; elsewhere nothing)."""
    global _paused
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and gc.isenabled():
        gc.disable()
        _paused = True


def request_entry_point(entry: Entry) -> Entry:
    """An API function's entry point: the collector resumes once its first request is
    answered (see the module)."""

    @functools.wraps(entry)
    def invoke(*args: Any, **kwargs: Any) -> Any:
        if not _paused:
            return entry(*args, **kwargs)
        try:
            return entry(*args, **kwargs)
        finally:
            _resume()

    return _marked(invoke, entry)


def entry_point(entry: Entry) -> Entry:
    """A job's or a consumer's entry point: the collector resumes as its first invocation
    begins (see the module)."""

    @functools.wraps(entry)
    def invoke(*args: Any, **kwargs: Any) -> Any:
        if _paused:
            _resume()
        return entry(*args, **kwargs)

    return _marked(invoke, entry)


def _resume() -> None:
    global _paused
    _paused = False
    gc.freeze()  # the cold start's objects: they live as long as the process
    gc.enable()


def _marked(invoke: Callable[..., Any], entry: Entry) -> Entry:
    """``invoke``, standing for ``entry`` (``functools.wraps`` gave it its name), marked so a
    test can find every template handler wrapped."""
    invoke.is_entry_point = True  # type: ignore[attr-defined]
    return invoke  # type: ignore[return-value]
