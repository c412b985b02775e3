"""Review records in the single table, and their API views. Pure.

Per-item reviews live in the review partition (``shared/keys/review.py``); the reviewer and the
completion are kept on the cycle record (fields ``reviewer_*``, ``review_*``), which every
review action guards anyway. Queue entries are ``shared/store/review_queue.py``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from functions.review.models import (
    Completion,
    ItemReview,
    ItemReviewIn,
    MeetingView,
    QueueRow,
    Reviewer,
    ReviewProgress,
)
from functions.review.rules import (
    Meeting,
    MeetingMode,
    MeetingStatus,
    ReviewStatus,
    review_progress,
)
from shared import keys
from shared.adapters.table import Condition
from shared.domain.instrument import Instrument, Item
from shared.store.cycles import Record
from shared.store.review_queue import item_statuses


def item_review_record(
    *,
    cycle_id: str,
    item: Item,
    status: ReviewStatus,
    body: ItemReviewIn,
    reviewed_by: str,
    reviewed_at: str,
) -> Record:
    return {
        **keys.review_item(cycle_id, item.key),
        "type": "item_review",
        "cycle_id": cycle_id,
        "item_key": item.key,
        "item_code": item.code,
        "status": status.value,
        "note_to_program": body.note_to_program,
        "internal_note": body.internal_note,
        "reviewed_by": reviewed_by,
        "reviewed_at": reviewed_at,
    }


@dataclass(frozen=True)
class StoredItemReview:
    """An item's review as stored, typed. ``item`` is the record as read (the views show it)."""

    cycle_id: str
    item_key: str
    item_code: str
    status: ReviewStatus
    reviewed_at: str
    version: int
    item: Record = field(repr=False, compare=False)

    @property
    def key(self) -> dict[str, str]:
        return keys.review_item(self.cycle_id, self.item_key)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> StoredItemReview:
        return cls(
            cycle_id=str(item["cycle_id"]),
            item_key=str(item["item_key"]),
            item_code=str(item["item_code"]),
            status=ReviewStatus(item["status"]),
            reviewed_at=str(item["reviewed_at"]),
            version=int(item.get("version", 0)),
            item=dict(item),
        )


def item_review_view(
    review: StoredItemReview, instrument: Instrument, *, internal: bool
) -> ItemReview:
    """The item's review under its code in this instrument; the internal note only for
    ``internal`` readers (the affiliates' and national staff, never the program)."""
    item = instrument.item_by_key(review.item_key)
    code = item.code if item is not None else review.item_code
    shown = {**review.item, "item_code": code}
    if not internal:
        shown["internal_note"] = None
    return ItemReview.model_validate(shown)


def reviewer_view(cycle: Record) -> Reviewer | None:
    if not cycle.get("reviewer_id"):
        return None
    return Reviewer(
        user_id=cycle["reviewer_id"],
        assigned_by=cycle["reviewer_assigned_by"],
        assigned_at=cycle["reviewer_assigned_at"],
    )


# --------------------------------------------------------------------------- meeting
def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def meeting_record(cycle_id: str, meeting: Meeting, changed_by: str, changed_at: str) -> Record:
    return {
        **keys.review_meeting(cycle_id),
        "type": "review_meeting",
        "cycle_id": cycle_id,
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "status": meeting.status.value,
        "time_zone": meeting.time_zone,
        "start": _utc(meeting.start),
        "end": _utc(meeting.end),
        "mode": meeting.mode.value,
        "address": meeting.address,
        "link": meeting.link,
        "staff": list(meeting.staff),
        "guests": list(meeting.guests),
        "agenda": meeting.agenda,
        "changed_by": changed_by,
        "changed_at": changed_at,
    }


@dataclass(frozen=True)
class StoredMeeting:
    """A review meeting as stored, typed: the meeting, its version and when it was first
    written. ``item`` is the record as read."""

    cycle_id: str
    meeting: Meeting
    version: int
    created_at: str | None
    item: Record = field(repr=False, compare=False)

    @property
    def key(self) -> dict[str, str]:
        return keys.review_meeting(self.cycle_id)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> StoredMeeting:
        return cls(
            cycle_id=str(item["cycle_id"]),
            meeting=meeting_of(item),
            version=int(item.get("version", 0)),
            created_at=item.get("created_at"),
            item=dict(item),
        )


def meeting_version(record: Record) -> Record:
    """The meeting record's copy kept for its SEQUENCE (``keys.review_meeting_version``)."""
    return {
        **record,
        **keys.review_meeting_version(str(record["cycle_id"]), int(record["sequence"])),
        "type": "review_meeting_version",
    }


def meeting_of(record: Mapping[str, Any]) -> Meeting:
    return Meeting(
        uid=record["uid"],
        sequence=int(record["sequence"]),
        status=MeetingStatus(record["status"]),
        time_zone=record["time_zone"],
        start=datetime.fromisoformat(record["start"]),
        end=datetime.fromisoformat(record["end"]),
        mode=MeetingMode(record["mode"]),
        address=record.get("address"),
        link=record.get("link"),
        staff=tuple(record.get("staff") or ()),
        guests=tuple(record.get("guests") or ()),
        agenda=record.get("agenda"),
    )


def meeting_view(stored: StoredMeeting) -> MeetingView:
    meeting = stored.meeting
    return MeetingView(
        uid=meeting.uid,
        sequence=meeting.sequence,
        status=meeting.status.value,
        time_zone=meeting.time_zone,
        start=meeting.local_start.isoformat(),
        end=meeting.local_end.isoformat(),
        mode=meeting.mode.value,
        address=meeting.address,
        link=meeting.link,
        staff=list(meeting.staff),
        guests=list(meeting.guests),
        agenda=meeting.agenda,
        version=stored.version,
    )


# --------------------------------------------------------------------------- progress, completion
def progress_view(instrument: Instrument, statuses: dict[str, str]) -> ReviewProgress:
    """Items reviewed and flagged, of the instrument's count (statuses by item key)."""
    progress = review_progress((item.key for item in instrument.items), statuses)
    return ReviewProgress(
        reviewed=progress.reviewed,
        flagged=progress.flagged,
        needs_review=progress.needs_review,
        total=progress.total,
    )


def completion_view(cycle: Record) -> Completion | None:
    if not cycle.get("review_date"):
        return None
    return Completion(
        cycle_id=cycle["cycle_id"],
        state=cycle["state"],
        review_date=date.fromisoformat(cycle["review_date"]),
        completed_by=cycle["review_completed_by"],
        completed_at=cycle["review_completed_at"],
    )


# --------------------------------------------------------------------------- queue
def queue_filter(
    state: str | None, reviewer_id: str | None, overdue_on: date | None
) -> Condition | None:
    """The queue's filters as one condition on its entries (``None``: no filter)."""
    clauses: list[str] = []
    names: dict[str, str] = {}
    values: dict[str, str] = {}
    if state is not None:
        clauses.append("#q_state = :q_state")
        names["#q_state"], values[":q_state"] = "state", state
    if reviewer_id is not None:
        clauses.append("#q_reviewer = :q_reviewer")
        names["#q_reviewer"], values[":q_reviewer"] = "reviewer_id", reviewer_id
    if overdue_on is not None:
        clauses.append("#q_due < :q_today")
        names["#q_due"], values[":q_today"] = "due_date", overdue_on.isoformat()
    if not clauses:
        return None
    return Condition(" AND ".join(clauses), names, values)


def queue_row(entry: Record, instrument: Instrument, today: date) -> QueueRow:
    due = date.fromisoformat(entry["due_date"])
    return QueueRow(
        cycle_id=entry["cycle_id"],
        program_id=entry["program_id"],
        program_name=entry["program_name"],
        affiliate_ids=list(entry["affiliate_ids"]),
        state=entry["state"],
        submitted_at=entry["submitted_at"],
        due_date=due,
        overdue=due < today,
        reviewer_id=entry.get("reviewer_id"),
        progress=progress_view(instrument, item_statuses(entry)),
    )
