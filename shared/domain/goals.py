"""Rules about plan goals that more than one service applies: the plan service's overdue
flags and counts, and the reminders job's weekly digest of overdue work."""

from __future__ import annotations

from datetime import date

#: A goal the affiliate verified is done (the program's "completed" still waits for that).
VERIFIED = "verified"


def is_overdue(status: str, retired: bool, target_date: date, today: date) -> bool:
    """Past its target date, still in the plan (not retired) and not verified."""
    return not retired and status != VERIFIED and target_date < today
