"""`make job NAME=reminders`: the reminders job run by its CLI against the running stack
publishes "due in 7 days" for a cycle once, however often it runs that day, and the program's
staff get one email for it."""

from __future__ import annotations

from datetime import date, timedelta

from tests.e2e.conftest import Session
from tests.e2e.journeys import VA_STAFF, program_with_staff, run_job
from tests.e2e.test_notify_flow import _mail, _settle


def test_the_reminders_job_announces_a_due_date_a_week_ahead_once(local: Session) -> None:
    program_id, (ana,) = program_with_staff(local, "Reminder Mentors", "ana")
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

    # On the bus (however slow the machine); once the notifier has consumed everything the
    # bus gave it, a duplicate would be on the bus too: exactly one.
    assert local.wait_for_events(ours, timeout=60)
    _settle(local)
    (event,) = [e for e in local.events() if ours(e)]
    assert event["source"] == "nqms.reminders"
    assert event["detail"]["data"]["due_date"] == due.isoformat()
    assert event["detail"]["affiliate_ids"] == [local.demo_id("affiliates", "va")]

    # The notifier turns it into one email to the program's staff.
    me = ana.get("/me").json["email"]
    reminded = [
        m
        for m in _mail(local)
        if m["X-NQMS-Message"] == "assessment-due-soon" and m["To"].addresses[0].addr_spec == me
    ]
    assert len(reminded) == 1
    text = str(reminded[0].get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
    assert "Reminder Mentors" in text
