"""The research export through the local stack: two programs submit (one with a note that must
never leave), one cycle is archived; national staff request the export and receive the email
with its link; the file it downloads has one row per non-archived submitted cycle in the
table, and no note text."""

from __future__ import annotations

import csv
import io
import time
import urllib.request
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from functions.report.aggregates import COUNTED
from tests.e2e.conftest import Session
from tests.e2e.journeys import VA_STAFF, answer_and_submit, program_with_staff, submitted_cycle
from tests.e2e.test_notify_flow import _settle

ADMIN = "admin@mentor-national.example"  # the demo admin holds the results grant
NOTE = "Confidential: our board chair resigned in March"


def _counted_cycles(local: Session) -> int:
    """Every cycle the table holds that is submitted and not archived (read from the cycles
    themselves, not from what the aggregates' consumer wrote)."""
    clients = local.stack.clients
    assert clients is not None
    client = clients.dynamodb()
    pages = client.get_paginator("scan").paginate(TableName=local.stack.info.table_name)
    return sum(
        1
        for page in pages
        for item in page["Items"]
        if item.get("type", {}).get("S") == "cycle"
        and "submitted_at" in item
        and item["state"]["S"] in COUNTED
    )


def _export_mail(local: Session, export_id: str, timeout: float = 60) -> EmailMessage:
    parser = BytesParser(policy=policy.default)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(Path(local.stack.info.mail_dir).glob("*.eml")):
            message = parser.parsebytes(path.read_bytes())
            if (
                isinstance(message, EmailMessage)
                and message["X-NQMS-Message"] == "research-export-ready"
                and export_id in path.read_text(errors="replace")
            ):
                return message
        time.sleep(0.3)
    raise AssertionError(f"no email for export {export_id}")


def test_national_staff_get_the_research_export_by_email(local: Session) -> None:
    program_id, (ana,) = program_with_staff(local, "Lighthouse Mentors", "ana")
    opened = local.as_user(VA_STAFF).post(f"/programs/{program_id}/cycles", {})
    assert opened.status == 201, opened.body
    answer_and_submit(ana, str(opened.json["cycle_id"]), {"in_practice": "yes", "rating": 3})
    noted = {"in_practice": "no", "notes": NOTE}
    other_id, (ben,) = program_with_staff(local, "Tideway Youth", "ben")
    archived = submitted_cycle(local, other_id, ben)
    # A second program's submitted cycle, then archived: no row.
    assert local.as_user(VA_STAFF).post(f"/cycles/{archived}/archive", None).status == 200
    # A third program's, every item answered with the note.
    third_id, (cy,) = program_with_staff(local, "Harbor Lights", "cy")
    third = local.as_user(VA_STAFF).post(f"/programs/{third_id}/cycles", {})
    assert third.status == 201, third.body
    answer_and_submit(cy, str(third.json["cycle_id"]), noted)
    _settle(local, "ReportAggregatesQueue")

    admin = local.as_user(ADMIN)
    requested = admin.post("/research-exports", {"instrument_version": 1})
    assert requested.status == 202, requested.body
    export_id = str(requested.json["export_id"])

    mail = _export_mail(local, export_id)
    assert str(mail["To"].addresses[0].addr_spec) == ADMIN
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    link = next(w for w in str(body.get_content()).split() if w.startswith("http"))
    with urllib.request.urlopen(link, timeout=30) as response:  # noqa: S310 - the stack's own
        text = response.read().decode("utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == _counted_cycles(local)
    assert len(rows) >= 2  # Lighthouse's and Harbor's at least; Tideway's is archived
    assert NOTE not in text
    assert "board chair" not in text
    assert program_id not in text
    assert third_id not in text
    status = admin.get(f"/research-exports/{export_id}")
    assert (status.json["state"], status.json["rows"]) == ("ready", len(rows))
