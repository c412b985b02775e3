"""The badge service's scheduled job: expiry and the "expires soon" notices, daily.

``make job NAME=badge-expiry AS_OF=2029-11-24`` runs it locally as of that date.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from functions.badge import expiry
from shared.adapters.table import default_table
from shared.collector import entry_point
from shared.settings import FunctionSettings, cold_start

cold_start(FunctionSettings)


@entry_point
def expire(event: dict[str, Any], context: Any) -> dict[str, int]:
    """One run: every day since the last one, through today."""
    report = expiry.run(default_table(), correlation_id=str(event.get("id") or "schedule"))
    return asdict(report)
