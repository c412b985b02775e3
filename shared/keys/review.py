"""Keys of the review service: the per-item review of a cycle, its meeting, its queue entries.

A cycle's review lives in its own partition (``REVIEW#<cycle id>``), apart from the
answers (``CYCLE#<cycle id>``): one query reads the whole review without the answers, and a
review write never touches an answer. The reviewer is a field of the cycle record, which the
first review action transitions anyway.
"""

from __future__ import annotations

from shared.keys.base import Key

REVIEW_ITEM_PREFIX = "ITEM#"


def review_partition(cycle_id: str) -> str:
    return f"REVIEW#{cycle_id}"


def review_item(cycle_id: str, item_key: str) -> Key:
    """The reviewer's status and notes for one item (by its stable key, not its code)."""
    return {"pk": review_partition(cycle_id), "sk": REVIEW_ITEM_PREFIX + item_key}


def review_meeting(cycle_id: str) -> Key:
    """The cycle's one review meeting (its UID and SEQUENCE kept across every change)."""
    return {"pk": review_partition(cycle_id), "sk": "MEETING"}


def review_meeting_version(cycle_id: str, sequence: int) -> Key:
    """One version of the meeting (its SEQUENCE), as it was written: never changed, so the
    email and invite of an event describe exactly the version the event names. In its own
    partition, so reading the review does not read every past version."""
    return {"pk": f"MEETING#{cycle_id}", "sk": f"SEQUENCE#{sequence:06d}"}


#: The review queue's national scope: every affiliate's queue, for the results grant.
NATIONAL_QUEUE = "NATIONAL"


def review_queue_entry(cycle_id: str, scope: str) -> Key:
    """The cycle's entry in one queue (a serving affiliate's id, or :data:`NATIONAL_QUEUE`).
    In the review partition: it keeps the item statuses the queue counts across a return."""
    return {"pk": review_partition(cycle_id), "sk": f"QUEUE#{scope}"}


def review_queue_index_pk(scope: str) -> str:
    """A queue in the sparse ``gsi1`` (sorted by submission): only waiting entries carry it."""
    return f"REVIEWS#{scope}"
