"""Keys of the report service's aggregates (functions/report/aggregates*.py).

- ``AGGREGATE#<instrument>#<version>`` / ``GRID``: the programs counted per (scope, period).
- ``AGGREGATE#<instrument>#<version>#<scope>#<period>`` / ``PART#<part>``: a cell's counters, a
  record per instrument part, so one query reads a cell whatever the number of programs.
- ``CONTRIBUTION#<cycle>`` / ``CONTRIBUTION``: what a cycle holds in the counters now.
- ``RESEARCH_EXPORT#<export>`` / ``EXPORT``: a research export's request and state.

A counted contribution is also in index ``gsi1`` under ``CONTRIBUTIONS#<instrument>#<version>``
(sparse: a cycle that counts nowhere leaves it), which the research export reads.

- ``PROGRAM_CELLS#<program>`` / ``<instrument>#<version>#<scope>#<period>``: how many of the
  program's cycles a cell counts (the grid counts the program once).
"""

from __future__ import annotations

from shared.keys.base import Key

AGGREGATE_PREFIX = "AGGREGATE#"


def aggregate_grid(instrument_key: str, version: int) -> Key:
    return {"pk": f"{AGGREGATE_PREFIX}{instrument_key}#{version}", "sk": "GRID"}


def aggregate_cell_partition(instrument_key: str, version: int, scope: str, period: str) -> str:
    return f"{AGGREGATE_PREFIX}{instrument_key}#{version}#{scope}#{period}"


def aggregate_part(instrument_key: str, version: int, scope: str, period: str, part: str) -> Key:
    return {
        "pk": aggregate_cell_partition(instrument_key, version, scope, period),
        "sk": f"PART#{part}",
    }


def contribution(cycle_id: str) -> Key:
    return {"pk": f"CONTRIBUTION#{cycle_id}", "sk": "CONTRIBUTION"}


def program_cell(
    program_id: str, instrument_key: str, version: int, scope: str, period: str
) -> Key:
    return {
        "pk": f"PROGRAM_CELLS#{program_id}",
        "sk": f"{instrument_key}#{version}#{scope}#{period}",
    }


def contributions_index_pk(instrument_key: str, version: int) -> str:
    return f"CONTRIBUTIONS#{instrument_key}#{version}"


def research_export(export_id: str) -> Key:
    return {"pk": f"RESEARCH_EXPORT#{export_id}", "sk": "EXPORT"}


def research_export_file(export_id: str, name: str) -> str:
    """Not a table key: the research export's file in the reports bucket (the job writes it,
    the API and the email link it)."""
    return f"research-exports/{export_id}/{name}"
