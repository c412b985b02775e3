"""A plan's goals as the other services read them: where each stands, typed.

The plan service owns its goals (``functions/plan``); the badge issuer counts the verified
ones and the reminders job finds the overdue ones. Both read a cycle's goals here, with one
query of the plan partition (goals only), and decide from :class:`GoalStanding`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared import keys
from shared.adapters.table import Table
from shared.domain.goals import VERIFIED, is_overdue


@dataclass(frozen=True)
class GoalStanding:
    """Where a goal stands: its status, whether it was retired, and its target date."""

    goal_id: str
    status: str
    retired: bool
    target_date: date

    @property
    def verified(self) -> bool:
        """Verified and still counting (a retired goal does not)."""
        return self.status == VERIFIED and not self.retired

    def overdue(self, today: date) -> bool:
        """Past its target date, still in the plan and not verified (``is_overdue``)."""
        return is_overdue(self.status, self.retired, self.target_date, today)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> GoalStanding:
        return cls(
            goal_id=str(item["goal_id"]),
            status=str(item.get("status")),
            retired=bool(item.get("retired")),
            target_date=date.fromisoformat(str(item["target_date"])),
        )


def goals_of_cycle(table: Table, cycle_id: str) -> list[GoalStanding]:
    """Every goal of the cycle's plan, retired ones included (one query)."""
    found = table.query_all(keys.plan_partition(cycle_id), sk_prefix=keys.GOAL_PREFIX)
    return [GoalStanding.from_item(g) for g in found]
