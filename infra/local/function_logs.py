"""What functions print, as the local stack's terminal shows it.

Powertools' Logger writes one JSON object per line; the terminal gets its level, the
function's service name and the message (and the exception, when there is one). Metrics are
EMF lines (JSON with an ``_aws`` key) meant for CloudWatch: they are not shown. Anything else
a function prints is shown as it is, under the function's name.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from infra.local.specs import FunctionSpec

#: Fields every Powertools log line carries; the rest are the call's own extra keys.
_STANDARD = {
    "level",
    "location",
    "message",
    "timestamp",
    "service",
    "cold_start",
    "function_name",
    "function_memory_size",
    "function_arn",
    "function_request_id",
    "sampling_rate",
    "xray_trace_id",
    "correlation_id",
    "exception",
    "exception_name",
    "stack_trace",
}


def render(line: str) -> tuple[int, str | None, str] | None:
    """(level, service, text) for one printed line; None for a line not worth showing."""
    if not line.strip():
        return None
    try:
        record: Any = json.loads(line)
    except ValueError:
        return logging.INFO, None, line
    if not isinstance(record, dict):
        return logging.INFO, None, line
    if "_aws" in record:
        return None  # an EMF metric
    if "message" not in record or "level" not in record:
        return logging.INFO, None, line
    level = logging.getLevelName(str(record["level"]).upper())
    text = str(record["message"])
    extras = {k: v for k, v in record.items() if k not in _STANDARD}
    if extras:
        text += " " + " ".join(f"{k}={_short(v)}" for k, v in extras.items())
    if record.get("exception"):
        text += "\n" + str(record["exception"])
    service = record.get("service")
    return (
        level if isinstance(level, int) else logging.INFO,
        str(service) if service else None,
        text,
    )


def relay_line(function: FunctionSpec, line: str) -> None:
    """Log one line a function printed, under ``function.<service>``."""
    rendered = render(line)
    if rendered is None:
        return
    level, service, text = rendered
    service = service or function.environment.get("POWERTOOLS_SERVICE_NAME") or function.name
    logging.getLogger(f"function.{service}").log(level, "%s", text)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 120 else text[:117] + "..."
