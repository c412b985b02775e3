"""Schedule expressions of EventBridge rules. Pure.

``rate(N minute|minutes|hour|hours|day|days)`` becomes an interval; ``cron(...)`` is not run
locally (the stack warns, and ``python -m infra.local job`` runs any scheduled function).
"""

from __future__ import annotations

import re
from datetime import timedelta

_RATE = re.compile(r"^rate\(\s*(?P<value>\d+)\s+(?P<unit>minutes?|hours?|days?)\s*\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


class ScheduleExpressionError(ValueError):
    """Not a valid rate(...) or cron(...) expression."""


def is_cron(expression: str) -> bool:
    return expression.strip().startswith("cron(") and expression.strip().endswith(")")


def rate_interval(expression: str) -> timedelta:
    """The interval of a ``rate(...)`` expression; AWS wants "1 minute" but "5 minutes"."""
    match = _RATE.match(expression.strip())
    if not match:
        raise ScheduleExpressionError(f"not a rate expression: {expression!r}")
    value = int(match.group("value"))
    unit = match.group("unit")
    if value < 1:
        raise ScheduleExpressionError(f"a rate must be positive: {expression!r}")
    if (value == 1) != (not unit.endswith("s")):
        raise ScheduleExpressionError(f"use the singular unit for 1 only: {expression!r}")
    return timedelta(seconds=value * _UNIT_SECONDS[unit.rstrip("s")])
