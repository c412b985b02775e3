"""Keys of the reminders job (``functions/notify/reminder_job.py``).

A cycle's reminders live in their own partition (``REMINDER#<cycle id>``), written in the
transaction that opens the cycle (``shared/domain/reminders.py``):

- one small record per day the job must look at the cycle (``DUE#<day>#<kind>``: seven days
  before the due date, the day after it), in the sparse ``gsi1`` partition
  ``REMINDERS-DUE#<day>``: the daily job reads a day with one query, however many cycles
  exist, and deletes each record in the transaction that publishes its reminder;
- one watch record (``WATCH``) in the sparse ``gsi1`` partition ``REMINDERS-WATCH`` while
  the cycle is live: the weekly digest's list of cycles that may hold overdue work.

A digest sent is remembered per affiliate and week (``DIGEST#<affiliate>``, ``WEEK#<day>``).
"""

from __future__ import annotations

from shared.keys.base import Key

REMINDER_DUE_PREFIX = "DUE#"


def reminder_partition(cycle_id: str) -> str:
    return f"REMINDER#{cycle_id}"


def reminder_due(cycle_id: str, day: str, kind: str) -> Key:
    """What the reminders job looks at for a cycle on ``day`` (``due-soon``, ``overdue``)."""
    return {"pk": reminder_partition(cycle_id), "sk": f"{REMINDER_DUE_PREFIX}{day}#{kind}"}


def reminders_due_index_pk(day: str) -> str:
    return f"REMINDERS-DUE#{day}"


def reminder_watch(cycle_id: str) -> Key:
    """The cycle in the digest's watch list, until it is superseded or archived."""
    return {"pk": reminder_partition(cycle_id), "sk": "WATCH"}


#: The sparse ``gsi1`` partition of the watch records (sorted by cycle id).
REMINDERS_WATCH_INDEX_PK = "REMINDERS-WATCH"


def overdue_digest_sent(affiliate_id: str, week_of: str) -> Key:
    """The affiliate's overdue digest of the week starting ``week_of`` was published."""
    return {"pk": f"DIGEST#{affiliate_id}", "sk": f"WEEK#{week_of}"}


def reminder_job() -> Key:
    """The last day the reminders job has done, so a missed day is caught up on the next run."""
    return {"pk": "JOB#reminders", "sk": "LAST-DAY"}
