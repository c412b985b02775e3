"""The cyclic garbage collector across a Lambda function's cold start.

A cold start imports the function (modules, classes, pydantic models, routes: all of it lives
as long as the process) and answers its first invocation (boto3 builds its client: more of the
same). Collecting meanwhile frees next to nothing and walks all of it again and again: about a
fifth of the floor (``make bench``, cold start).

So, in an execution environment only (Lambda and the local stack set
``AWS_LAMBDA_FUNCTION_NAME``), :func:`pause_for_cold_start` stops the collector as the
``functions`` package is imported, and every entry point, wrapped by :func:`entry_point`,
resumes it once its first invocation has returned. It first freezes what exists by then, so no
later collection walks it again: the import's objects and the first invocation's (boto3's
client, its models and caches), which live as long as the process. The first invocation's
cyclic garbage is frozen with them: about 200 objects, once (measured on the assessment and
plan functions, against some 65,000 that the collector would otherwise walk on every full
collection). Tests and tools import the functions with the collector on,
and :func:`entry_point` leaves it alone there.
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


def entry_point(entry: Entry) -> Entry:
    """A Lambda entry point: after its first invocation, freeze what the cold start made and
    resume the collector that :func:`pause_for_cold_start` stopped."""

    @functools.wraps(entry)
    def invoke(*args: Any, **kwargs: Any) -> Any:
        global _paused
        if not _paused:
            return entry(*args, **kwargs)
        try:
            return entry(*args, **kwargs)
        finally:
            _paused = False
            gc.freeze()
            gc.enable()

    invoke.is_entry_point = True  # type: ignore[attr-defined]
    return invoke  # type: ignore[return-value]
