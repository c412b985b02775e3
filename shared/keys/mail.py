"""Keys of the notification service: who asked for fewer emails, which addresses bounce.

An email address is kept case-folded in keys (``Ana@X.org`` and ``ana@x.org`` are one
mailbox for suppression), and it is the only personal datum a key holds.
"""

from __future__ import annotations

from shared.keys.base import Key
from shared.keys.directory import user_partition


def notification_preferences(user_id: str) -> Key:
    """A user's own choices (optional messages, time zone), beside their memberships."""
    return {"pk": user_partition(user_id), "sk": "NOTIFY_PREFERENCES"}


def mail_suppression(email: str) -> Key:
    """An address that bounced or complained: nothing more is sent to it."""
    return {"pk": f"MAIL_SUPPRESSION#{email.strip().casefold()}", "sk": "SUPPRESSION"}
