"""Tiny Lambda handlers for the local runtime's own tests (run in execution environments)."""

from __future__ import annotations

import os
import time
from typing import Any

#: Module state, as a handler's globals would hold: one count per execution environment.
_invocations = 0


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """What this environment sees: its variables, process, clock, count, and the context."""
    global _invocations
    _invocations += 1
    time.sleep(float(event.get("sleep", 0)))
    from shared.clock import now

    if event.get("print"):
        print(event["print"], flush=True)
    if event.get("raise"):
        raise ValueError(str(event["raise"]))
    return {
        "colour": os.environ.get("COLOUR"),
        "service": os.environ.get("POWERTOOLS_SERVICE_NAME"),
        "endpoint": os.environ.get("AWS_ENDPOINT_URL"),
        "pid": os.getpid(),
        "now": now().isoformat(),
        "invocations": _invocations,
        "function_name": context.function_name,
        "remaining_ms": context.get_remaining_time_in_millis(),
    }


def not_json(event: dict[str, Any], context: Any) -> Any:
    return {"when": object()}
