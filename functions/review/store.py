"""The review's item reviews and meeting in the table: read, written at the version read.

Both live in the review partition (``shared/keys/review.py``), so :func:`read_review` reads a
whole review with one query. An item's review is a :class:`StoredItemReview` written at the
version the reviewer read (:func:`save_item_review`; a save cancelled on it is found with
:func:`item_review_clash`). The meeting is a :class:`StoredMeeting`: created or replaced at the
version read (:func:`save_meeting`, which also keeps the version's copy for its SEQUENCE),
checked unchanged by a transaction that does not write it (:func:`require_meeting_unchanged`),
and found changed meanwhile with :func:`meeting_clash`.
"""

from __future__ import annotations

from functions.review.records import StoredItemReview, StoredMeeting, meeting_version
from shared import keys
from shared.adapters.table import ConditionFailed, Table, UnitOfWork
from shared.store.clashes import Clash, clash_on
from shared.store.cycles import Record

ITEM_REVIEW = "Item review"
MEETING = "Review meeting"


# =========================================================================== reads
def read_review(
    table: Table, cycle_id: str
) -> tuple[dict[str, StoredItemReview], StoredMeeting | None]:
    """The item reviews by item key, and the meeting if there is one, with one query."""
    reviews: dict[str, StoredItemReview] = {}
    meeting: StoredMeeting | None = None
    meeting_sk = keys.review_meeting(cycle_id)["sk"]
    for item in table.query_all(keys.review_partition(cycle_id)):
        if str(item["sk"]).startswith(keys.REVIEW_ITEM_PREFIX):
            review = StoredItemReview.from_item(item)
            reviews[review.item_key] = review
        elif item["sk"] == meeting_sk:
            meeting = StoredMeeting.from_item(item)
    return reviews, meeting


def get_meeting(table: Table, cycle_id: str) -> StoredMeeting | None:
    """The review's meeting, if one was ever scheduled."""
    item = table.get(keys.review_meeting(cycle_id))
    return StoredMeeting.from_item(item) if item is not None else None


# =========================================================================== item reviews
def save_item_review(uow: UnitOfWork, record: Record, *, expected_version: int) -> StoredItemReview:
    """``record`` written if the item's review is at ``expected_version`` (0: none yet)."""
    return StoredItemReview.from_item(
        uow.save_at_version(record, expected_version=expected_version, what=ITEM_REVIEW)
    )


def item_review_clash(
    failed: ConditionFailed, cycle_id: str, item_key: str
) -> Clash[StoredItemReview] | None:
    """The clash, if ``failed`` is the item review's own condition; else None."""
    return clash_on(failed, keys.review_item(cycle_id, item_key), StoredItemReview.from_item)


# =========================================================================== the meeting
def save_meeting(uow: UnitOfWork, record: Record, read: StoredMeeting | None) -> StoredMeeting:
    """``record`` created (no meeting read) or written over ``read`` at its version, keeping
    when it was first written; and this version's copy, for the notifications of its event."""
    if read is None:
        saved = uow.create(record, what=MEETING)
    else:
        saved = uow.replace(
            {**record, "created_at": read.created_at},
            expected_version=read.version,
            what=MEETING,
        )
    uow.create(meeting_version(record), what=f"{MEETING} version")
    return StoredMeeting.from_item(saved)


def require_meeting_unchanged(uow: UnitOfWork, read: StoredMeeting) -> None:
    """``uow`` commits only if the meeting is still at the version read (it is not written)."""
    uow.check_version(read.key, read.version, what=MEETING)


def meeting_clash(failed: ConditionFailed, cycle_id: str) -> Clash[StoredMeeting] | None:
    """The clash, if ``failed`` is the meeting's own condition; else None."""
    return clash_on(failed, keys.review_meeting(cycle_id), StoredMeeting.from_item)
