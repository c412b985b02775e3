"""The local stack run as of another date (`make run AS_OF=...`): the API, the workers and
`make job` share one moved clock. A program's Step 1 badge, then the clock moved to the day
after its "valid until": `make job NAME=badge-expiry` with no date of its own expires it as of
the stack's today, and the expiry email, the verify link, the image, the program's list and
the partner directory all agree; a meeting recorded after the fact (in the past of the moved
clock, in the future of the real one) sends no invite, as the notifier shares the clock."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from infra.local.stackfile import read_stack_info
from shared import keys
from tests.e2e.conftest import Session
from tests.e2e.journeys import (
    VA_STAFF,
    directory_rows,
    finalized_plan,
    program_with_staff,
    review_completed_cycle,
    run_job,
    submitted_cycle,
)


def _mail(local: Session, to: str, message: str, timeout: float = 0) -> list[EmailMessage]:
    """The emails of kind ``message`` sent to ``to`` (waiting up to ``timeout`` for one)."""
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for path in sorted(Path(local.stack.info.mail_dir).glob("*.eml")):
            parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            if (
                isinstance(parsed, EmailMessage)
                and parsed["X-NQMS-Message"] == message
                and parsed["To"].addresses[0].addr_spec == to
            ):
                found.append(parsed)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _about(event: dict[str, Any], kind: str, object_id: str) -> bool:
    return event["detail-type"] == kind and object_id in json.dumps(event["detail"])


@contextmanager
def _expiry_job_starting_afresh(local: Session) -> Iterator[None]:
    """The expiry job's record of its last day removed for the block and put back after, so
    the job does the moved day whichever other test ran it as of another day, and they
    still do theirs."""
    clients = local.stack.clients
    assert clients is not None
    dynamodb, table = clients.dynamodb(), local.stack.info.table_name
    key = {name: {"S": value} for name, value in keys.badge_expiry_job().items()}
    saved = dynamodb.get_item(TableName=table, Key=key).get("Item")
    dynamodb.delete_item(TableName=table, Key=key)
    try:
        yield
    finally:
        if saved is None:
            dynamodb.delete_item(TableName=table, Key=key)
        else:
            dynamodb.put_item(TableName=table, Item=saved)


def test_a_stack_run_as_of_a_date_expires_a_badge_everywhere_at_once(local: Session) -> None:
    program_id, (ana,) = program_with_staff(local, "Blue Ridge Mentors", "ana")
    ana_email = ana.get("/me").json["email"]
    cycle_id = review_completed_cycle(local, program_id, ana)
    finalized_plan(local, cycle_id, ana, "Raise")
    assert local.wait_for_events(lambda e: _about(e, "BadgeIssued", cycle_id), timeout=60)
    (badge,) = ana.get(f"/programs/{program_id}/badges").json["items"]
    until = date.fromisoformat(badge["valid_until"])
    token = badge["verify_url"].rsplit("/", 1)[1]

    local.stack.clock_offset = (until + timedelta(days=1)) - date.today()
    try:
        with _expiry_job_starting_afresh(local):
            # `make job` finds the stack's clock in stack.json: no AS_OF of its own.
            assert read_stack_info(local.stack.options.state_dir).now().date() == until + timedelta(
                1
            )
            job = run_job(local, "badge-expiry")
            assert job.returncode == 0, job.stderr
            assert f"ran as of {(until + timedelta(days=1)).isoformat()}" in job.stdout
            assert local.wait_for_events(lambda e: _about(e, "BadgeExpired", program_id))
            (mail,) = _mail(local, ana_email, "badge-expired", timeout=20)
            assert "expired" in str(mail["Subject"])

            verified = local.anonymous.get(f"/verify/{token}").json
            assert (verified["status"], verified["valid"]) == ("expired", False)
            image = local.anonymous.get(f"/badges/{badge['badge_id']}/image.svg")
            assert "Expired" in image.body.decode()
            (listed,) = ana.get(f"/programs/{program_id}/badges").json["items"]
            assert listed["status"] == "expired"
            assert directory_rows(local, program_id) == []
    finally:
        local.stack.clock_offset = None
    assert read_stack_info(local.stack.options.state_dir).clock_offset_s is None


def test_the_notifier_shares_the_moved_clock(local: Session) -> None:
    """A meeting in the real future but the moved clock's past is recorded as held: the
    API accepts it as held and the notifier, on the same clock, sends no invite for it."""
    program_id, (ana,) = program_with_staff(local, "Rappahannock Mentors", "ana")
    ana_email = ana.get("/me").json["email"]
    cycle_id = submitted_cycle(local, program_id, ana)
    va = local.as_user(VA_STAFF)
    day = date.today() + timedelta(days=10)
    local.stack.clock_offset = timedelta(days=30)
    try:
        held = va.post(
            f"/cycles/{cycle_id}/review/meeting",
            {
                "time_zone": "America/New_York",
                "start": f"{day.isoformat()}T10:00:00",
                "end": f"{day.isoformat()}T12:00:00",
                "mode": "in_person",
                "address": "100 E Main St, Richmond, VA",
            },
        )
        assert held.status == 200, held.body
        assert local.wait_for_events(lambda e: _about(e, "ReviewMeetingScheduled", cycle_id))
        completed = va.post(f"/cycles/{cycle_id}/review/complete", None)
        assert completed.status == 200, completed.body
        assert completed.json["review_date"] == day.isoformat()
        # The meeting's event was published first: once the completion's email is there,
        # the notifier has decided about the meeting's.
        assert _mail(local, ana_email, "review-completed", timeout=20)
        assert _mail(local, ana_email, "meeting-scheduled") == []
    finally:
        local.stack.clock_offset = None
