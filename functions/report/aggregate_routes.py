"""Aggregate routes of the report API: an affiliate's aggregate, and the country's with the
grid over affiliates. Thin routes over ``aggregates_logic``."""

from __future__ import annotations

from typing import Annotated

from functions.report import aggregates_logic
from functions.report.aggregates_models import Aggregate, NationalAggregate
from shared.adapters.table import default_table
from shared.edge.api import context, problem_responses
from shared.edge.params import AffiliateId, Query
from shared.edge.router import Router

router = Router()
TAGS = ["reports"]
SUPPRESSION = (
    "Over submitted, non-archived cycles of one instrument version. A group of fewer than 5 "
    "programs is withheld (no figure, `withheld` true and a reason), and so are the groups "
    "withheld with it so that none can be worked out from totals or from another request: "
    "the decision is made once over every affiliate and period, so every reader gets part of "
    "the same one. Never a row per program. Every read is audited."
)

InstrumentVersion = Annotated[
    int, Query(alias="instrumentVersion", ge=1, description="The instrument version.")
]
Period = Annotated[
    str,
    Query(
        pattern=aggregates_logic.PERIOD.pattern,
        description="A calendar year of submission (e.g. `2026`) or `all`; fixed periods only.",
    ),
]


@router.get(
    "/affiliates/<affiliateId>/aggregates",
    operation_id="getAffiliateAggregate",
    tags=TAGS,
    summary="An affiliate's aggregate: per item the answers and ratings, per section averages",
    description="The programs the affiliate serves. " + SUPPRESSION,
    responses=problem_responses(403, 404, 422),
)
def get_affiliate_aggregate(
    affiliate_id: AffiliateId, instrument_version: InstrumentVersion, period: Period = "all"
) -> Aggregate:
    return aggregates_logic.affiliate_aggregate(
        context(router), default_table(), affiliate_id, instrument_version, period
    )


@router.get(
    "/aggregates",
    operation_id="getNationalAggregate",
    tags=TAGS,
    summary="The country's aggregate, and the programs counted per affiliate and period",
    description="National staff with the results grant. " + SUPPRESSION,
    responses=problem_responses(403, 404, 422),
)
def get_national_aggregate(
    instrument_version: InstrumentVersion, period: Period = "all"
) -> NationalAggregate:
    return aggregates_logic.national_aggregate(
        context(router), default_table(), instrument_version, period
    )
