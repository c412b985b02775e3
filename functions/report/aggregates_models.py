"""Response models of the aggregates (``aggregate_routes``)."""

from __future__ import annotations

from pydantic import Field

from shared.edge.types import Output


class ItemDistribution(Output):
    key: str = Field(description="The item's stable key.")
    code: str
    in_practice: dict[str, int] = Field(
        description="Answers per value: `yes`, `no`, `na` (not applicable)."
    )
    ratings: dict[str, int] = Field(description="Ratings given (`1` to `5`), with `yes` only.")


class SectionAggregate(Output):
    letter: str
    title: str
    share_in_place: float | None = Field(
        description="`yes` over `yes` and `no`, across the section's items (null: none)."
    )
    average_rating: float | None = Field(description="Over every rating given (null: none).")
    items: list[ItemDistribution]


class Aggregate(Output):
    """One cell: a scope (the country or an affiliate) over a period (a year or `all`)."""

    instrument_key: str
    instrument_version: int
    scope: str = Field(description="`country` or the affiliate's id.")
    period: str = Field(description="A calendar year of submission (`2026`) or `all`.")
    withheld: bool = Field(
        description="True when the group is too small to show (fewer than 5 programs), or "
        "would let such a group be worked out: then no figure is shown."
    )
    reason: str | None = None
    programs: int | None = Field(description="Programs counted (null when withheld).")
    cycles: int | None = Field(description="Submitted, non-archived cycles counted.")
    sections: list[SectionAggregate]


class GridCell(Output):
    scope: str
    period: str
    programs: int | None = Field(description="Null when withheld.")
    withheld: bool


class NationalAggregate(Output):
    """The country's aggregate for a period, and the programs per affiliate and period."""

    aggregate: Aggregate
    grid: list[GridCell] = Field(
        description="Every affiliate and the country, per year and `all`: programs counted, or "
        "withheld by the same decision every reader of the aggregates gets."
    )
