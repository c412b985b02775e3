"""Keys of the event consumers' inbox: one record per (consumer, event id[, part]).

An event's records share a partition per consumer (``INBOX#<consumer>#<event id>``), so a
consumer that acts once per recipient of an event (notify) finds them in one query; the sort
key is ``EVENT`` for a consumer that acts once per event, ``PART#<part>`` per part. A part is
an id (a user id, a badge id), never confidential text: keys show up in logs and metrics.
"""

from __future__ import annotations

from shared.keys.base import Key

INBOX_PREFIX = "INBOX#"


def inbox_partition(consumer: str, event_id: str) -> str:
    return f"{INBOX_PREFIX}{consumer}#{event_id}"


def inbox(consumer: str, event_id: str, part: str | None = None) -> Key:
    """The record that says ``consumer`` has applied the event (or one part of it)."""
    return {
        "pk": inbox_partition(consumer, event_id),
        "sk": "EVENT" if part is None else f"PART#{part}",
    }
