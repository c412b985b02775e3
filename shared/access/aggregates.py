"""Access rules of the report service's aggregates (functions/report/aggregate_routes.py).

An affiliate's aggregate covers the programs it serves: its own staff and national staff with
the results grant read it; anyone else gets 404 as for an affiliate they may not see (403 for
national staff who may see the affiliate but hold no results grant). The country's aggregate
is for national staff with the results grant only. Both are audited reads.

The research export (functions/report/export_routes.py), de-identified but row by row, is for
national staff with the results grant only: requesting it and reading its state are audited.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.access.rules import R, Rule, rule

ACCESS: Mapping[str, Rule] = {
    "getAffiliateAggregate": rule(
        affiliate_staff=[R.AFFILIATE_STAFF], national_staff=[R.NATIONAL_RESULTS]
    ),
    "getNationalAggregate": rule(national_staff=[R.NATIONAL_RESULTS]),
    "requestResearchExport": rule(national_staff=[R.NATIONAL_RESULTS]),
    "getResearchExport": rule(national_staff=[R.NATIONAL_RESULTS]),
}

ACTIONS: Mapping[str, str] = {
    "getAffiliateAggregate": "read the affiliate's aggregate findings",
    "getNationalAggregate": "read the country's aggregate findings",
    "requestResearchExport": "request the research export",
    "getResearchExport": "read a research export",
}
