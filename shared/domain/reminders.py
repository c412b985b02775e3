"""When the reminders job looks at a cycle. Pure.

Here in ``shared/`` because two functions need it: the assessment service writes the records
that tell the job so (``shared/store/reminders.py``) in the transaction that opens a cycle,
and the reminders job (``functions/notify/reminder_job.py``) reads them by day. Whether a
reminder still applies when its day comes is the job's rule (``functions/notify/reminders.py``).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

#: The "due soon" reminder comes this many days before the due date.
DUE_SOON_DAYS = 7


class ReminderKind(StrEnum):
    DUE_SOON = "due-soon"  # the due date is a week away
    OVERDUE = "overdue"  # the due date has passed


def reminder_days(due_date: date) -> dict[ReminderKind, date]:
    """The day each reminder of a cycle due on ``due_date`` is looked at."""
    return {
        ReminderKind.DUE_SOON: due_date - timedelta(days=DUE_SOON_DAYS),
        ReminderKind.OVERDUE: due_date + timedelta(days=1),
    }
