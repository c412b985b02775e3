"""`make job NAME=reminders`: the reminders job run by its CLI against the running stack
publishes "due in 7 days" for a cycle once, however often it runs that day."""

from __future__ import annotations

from datetime import date, timedelta

from tests.e2e.conftest import Session
from tests.e2e.journeys import VA_STAFF, run_job


def test_the_reminders_job_announces_a_due_date_a_week_ahead_once(local: Session) -> None:
    program_id = local.enroll_program("Reminder Mentors")
    due = date.today() + timedelta(days=30)
    opened = local.as_user(VA_STAFF).post(
        f"/programs/{program_id}/cycles", {"due_date": due.isoformat()}
    )
    assert opened.status == 201, opened.body
    cycle_id = opened.json["cycle_id"]
    as_of = (due - timedelta(days=7)).isoformat()

    job = run_job(local, "reminders", "--as-of", as_of)
    assert job.returncode == 0, job.stderr
    assert f"ReminderFunction ran as of {as_of}:" in job.stdout
    again = run_job(local, "reminders", "--as-of", as_of)
    assert again.returncode == 0, again.stderr
    assert "'days': 0, 'due_soon': 0" in again.stdout  # the day is done: nothing again

    def ours(event: dict[str, object]) -> bool:
        detail = event["detail"]
        return event["detail-type"] == "AssessmentDueSoon" and (
            isinstance(detail, dict) and detail.get("cycle_id") == cycle_id
        )

    # Wait long enough for a duplicate to arrive too: exactly one.
    (event,) = local.wait_for_events(ours, count=2, timeout=5)
    assert event["source"] == "nqms.reminders"
    assert event["detail"]["data"]["due_date"] == due.isoformat()
    assert event["detail"]["affiliate_ids"] == [local.demo_id("affiliates", "va")]
