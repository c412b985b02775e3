"""An affiliate's record, as the services other than the directory read it: typed.

The directory writes affiliates (``functions/directory``); assessment reads its own number of
weeks to a due date, the badges its public name, state and renewal grace period, and every
service asks whether an affiliate exists before it answers 403 rather than 404. Reads that
only look (not a change's) are eventually consistent: an affiliate's settings change rarely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shared import keys
from shared.adapters.table import Table
from shared.errors import NotFound

Record = dict[str, Any]


@dataclass(frozen=True)
class AffiliateRecord:
    """A stored affiliate, typed for what other services read. ``item`` is the record as read
    (what a badge copies of its issuer)."""

    affiliate_id: str
    name: str
    state: str | None
    #: The affiliate's own number of weeks to complete an assessment, if it set one.
    default_due_weeks: int | None
    #: Months a badge stays valid past its date while its renewal runs, if it set them.
    renewal_grace_months: int | None
    item: Record = field(repr=False, compare=False)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> AffiliateRecord:
        weeks, grace = item.get("default_due_weeks"), item.get("renewal_grace_months")
        return cls(
            affiliate_id=str(item["affiliate_id"]),
            name=str(item["name"]),
            state=item.get("state") or None,
            default_due_weeks=int(weeks) if weeks else None,
            renewal_grace_months=int(grace) if grace is not None else None,
            item=dict(item),
        )


def read_affiliate(
    table: Table, affiliate_id: str, *, consistent: bool = False
) -> AffiliateRecord | None:
    """The affiliate, or None if there is none."""
    item = table.get(keys.affiliate(affiliate_id), consistent=consistent)
    return AffiliateRecord.from_item(item) if item is not None else None


def require_affiliate(table: Table, affiliate_id: str) -> AffiliateRecord:
    """The affiliate (a consistent read), or 404 "Affiliate not found."."""
    affiliate = read_affiliate(table, affiliate_id, consistent=True)
    if affiliate is None:
        raise NotFound("Affiliate not found.")
    return affiliate


def affiliate_exists(table: Table, affiliate_id: str) -> bool:
    """Whether the affiliate exists (asked only to tell a 403 from a 404)."""
    return table.get(keys.affiliate(affiliate_id), consistent=False) is not None
