"""Use cases of the aggregates: an affiliate's, and the country's with the grid over
affiliates. Each reads the grid and one cell (two requests, whatever the number of programs),
audits the read, and shows the cell or withholds it by the grid's one decision."""

from __future__ import annotations

import re

from functions.report import aggregates
from functions.report.aggregates_models import (
    Aggregate,
    GridCell,
    NationalAggregate,
)
from functions.report.aggregates_store import read_cell
from shared.access import relations_in_general, relations_to_affiliate
from shared.adapters.table import Table
from shared.context import Context
from shared.domain.instrument import DEFAULT_INSTRUMENT
from shared.errors import NotFound, RuleViolation
from shared.store.affiliates import affiliate_exists
from shared.store.audit import audit_entry
from shared.store.instrument_versions import get_version

#: A period is a calendar year or every year: never a range a caller chooses.
PERIOD = re.compile(r"^(all|[12][0-9]{3})$")


def affiliate_aggregate(
    ctx: Context, table: Table, affiliate_id: str, instrument_version: int, period: str
) -> Aggregate:
    ctx.authorize(relations_to_affiliate(ctx.caller, affiliate_id), what="Affiliate")
    if not affiliate_exists(table, affiliate_id):
        raise NotFound("Affiliate not found.")
    shown, _, _ = _cell(table, affiliate_id, instrument_version, period)
    table.append(
        audit_entry(ctx, "read", scope="affiliate", scope_id=affiliate_id, target="aggregates")
    )
    return _view(shown)


def national_aggregate(
    ctx: Context, table: Table, instrument_version: int, period: str
) -> NationalAggregate:
    ctx.authorize(relations_in_general(ctx.caller))
    shown, grid, hidden = _cell(table, aggregates.COUNTRY, instrument_version, period)
    cells = sorted(
        {*grid, *((scope, p) for scope, _ in grid for p in (period, aggregates.ALL_YEARS))}
    )
    table.append(
        audit_entry(ctx, "read", scope="national", scope_id="aggregates", target="aggregates")
    )
    return NationalAggregate(
        aggregate=_view(shown),
        grid=[
            GridCell(
                scope=scope,
                period=cell_period,
                withheld=(scope, cell_period) in hidden,
                programs=None
                if (scope, cell_period) in hidden
                else grid.get((scope, cell_period), 0),
            )
            for scope, cell_period in cells
        ],
    )


def _cell(
    table: Table, scope: str, instrument_version: int, period: str
) -> tuple[aggregates.Aggregate, dict[aggregates.GridCell, int], frozenset[aggregates.GridCell]]:
    if not PERIOD.match(period):
        raise RuleViolation(
            f"period must be a calendar year (e.g. 2026) or 'all', not {period!r}: "
            "aggregates are over fixed periods only."
        )
    instrument = get_version(table, instrument_version, DEFAULT_INSTRUMENT)
    cell = read_cell(table, instrument.key, instrument.version, scope, period)
    hidden = aggregates.withheld_cells(cell.grid)
    shown = aggregates.aggregate(instrument, scope, period, cell.grid, cell.counters, hidden)
    return shown, cell.grid, hidden


def _view(shown: aggregates.Aggregate) -> Aggregate:
    """The aggregate as the API answers it: the same fields, read from the pure figures."""
    return Aggregate.model_validate(shown, from_attributes=True)
