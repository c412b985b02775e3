"""The research export's records on the single table: the export request and its files' keys,
the counted cycles it reads (the aggregates' contribution records, one index partition) and each
cycle's goals."""

from __future__ import annotations

from typing import Any

from shared import keys
from shared.adapters.table import Table


def export_record_key(export_id: str) -> dict[str, str]:
    """The key of an export's request record."""
    return keys.research_export(export_id)


def export_file_key(export_id: str, name: str) -> str:
    """The private bucket's object key of one of an export's files."""
    return keys.research_export_file(export_id, name)


def read_export(table: Table, export_id: str) -> dict[str, Any] | None:
    """The export's request record, or None."""
    return table.get(keys.research_export(export_id))


def counted_contributions(table: Table, instrument_key: str, version: int) -> list[dict[str, Any]]:
    """Every contribution record of the instrument version (one index partition)."""
    return table.query_all(keys.contributions_index_pk(instrument_key, version), index=keys.GSI1)


def goals_of_cycle(table: Table, cycle_id: str) -> list[dict[str, Any]]:
    """The cycle's plan goals still in the plan (retired ones left out)."""
    goals = table.query_all(keys.plan_partition(cycle_id), sk_prefix=keys.GOAL_PREFIX)
    return [goal for goal in goals if not goal.get("retired")]
