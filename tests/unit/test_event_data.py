"""A consumer reads an event's data as the model it handles (``Envelope.data_as``)."""

from __future__ import annotations

import pytest

from shared.events import SYSTEM, new_event
from shared.events.review import (
    ReviewMeetingCancelled,
    ReviewMeetingChange,
    ReviewMeetingScheduled,
    ReviewStarted,
)

MEETING = {
    "cycle_id": "cyc_1",
    "program_id": "prg_1",
    "uid": "review-cyc_1@nqms.example",
    "sequence": 2,
    "start": "2026-12-08T14:00:00Z",
    "end": "2026-12-08T15:00:00Z",
    "time_zone": "America/Chicago",
}


def test_a_meeting_event_reads_as_the_fields_every_meeting_event_carries() -> None:
    event = new_event(ReviewMeetingCancelled(**MEETING), actor=SYSTEM, correlation_id="c")
    change = event.data_as(ReviewMeetingChange)
    assert isinstance(change, ReviewMeetingCancelled)
    assert (change.uid, change.sequence, change.time_zone) == (
        "review-cyc_1@nqms.example",
        2,
        "America/Chicago",
    )


def test_an_event_read_as_a_model_it_does_not_carry_fails_loudly() -> None:
    event = new_event(
        ReviewStarted(cycle_id="cyc_1", program_id="prg_1", started_by="u1"),
        actor=SYSTEM,
        correlation_id="c",
    )
    with pytest.raises(TypeError, match="ReviewStarted carries no ReviewMeetingScheduled"):
        event.data_as(ReviewMeetingScheduled)
