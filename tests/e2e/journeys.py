"""Steps several end-to-end flows take through the gateway, as a client would take them."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from infra.local.aws import AwsClients
from infra.local.http import ApiClient
from shared import keys
from tests.e2e.conftest import Session

VA_STAFF = "staff@mentor-va.example"
ROOT = Path(__file__).resolve().parents[2]


def program_with_staff(local: Session, name: str, *who: str) -> tuple[str, list[ApiClient]]:
    """Virginia's demo staff enroll a program (``name`` and a fresh suffix) and invite ``who``;
    each signs in for the first time. The program's id and its staff's clients."""
    va = local.as_user(VA_STAFF)
    suffix = uuid.uuid4().hex[:6]
    domain = f"{name.split()[0].lower()}.example"
    created = va.post(
        "/programs",
        {
            "name": f"{name} {suffix}",
            "contact": {"name": "Bea Ridge", "email": f"contact@{domain}"},
            "matching_since": "2018-05-01",
            "primary_affiliate_id": local.demo_id("affiliates", "va"),
        },
    )
    assert created.status == 201, created.body
    program_id = str(created.json["program_id"])
    staff = []
    for person in who:
        email = f"{person}.{suffix}@{domain}"
        invited = va.post(f"/programs/{program_id}/members", {"email": email, "name": person})
        assert invited.status == 201, invited.body
        staff.append(local.activate(email))
    return program_id, staff


def answer_and_submit(staff: ApiClient, cycle_id: str, answer: dict[str, Any] | None) -> None:
    """``staff`` gives every item ``answer`` (None: answers nothing more) and submits."""
    if answer is not None:
        for item in staff.get("/instruments/1").json["items"]:
            path = f"/cycles/{cycle_id}/answers/{item['code']}"
            saved = staff.request("PUT", path, answer)
            assert saved.status == 200, (item["code"], saved.body)
    submitted = staff.post(f"/cycles/{cycle_id}/submit", None)
    assert submitted.status == 200, submitted.body


def submitted_cycle(local: Session, program_id: str, staff: ApiClient) -> str:
    """Virginia opens a cycle; ``staff`` answers every item ("not in practice") and submits."""
    opened = local.as_user(VA_STAFF).post(f"/programs/{program_id}/cycles", {})
    assert opened.status == 201, opened.body
    cycle_id = str(opened.json["cycle_id"])
    answer_and_submit(staff, cycle_id, {"in_practice": "no"})
    return cycle_id


def review_completed_cycle(local: Session, program_id: str, ana: ApiClient) -> str:
    """A cycle of the program through the API: every item answered yes, rated 2, submitted;
    a review meeting held two days ago recorded, and the review completed."""
    va = local.as_user(VA_STAFF)
    opened = va.post(f"/programs/{program_id}/cycles", {})
    assert opened.status == 201, opened.body
    cycle_id = str(opened.json["cycle_id"])
    answer_and_submit(ana, cycle_id, {"in_practice": "yes", "rating": 2})
    held = datetime.now(UTC).date() - timedelta(days=2)
    meeting = {
        "time_zone": "America/New_York",
        "start": f"{held.isoformat()}T10:00:00",
        "end": f"{held.isoformat()}T12:00:00",
        "mode": "in_person",
        "address": "100 Main St, Richmond, VA",
    }
    recorded = va.post(f"/cycles/{cycle_id}/review/meeting", meeting)
    assert recorded.status == 200, recorded.body
    completed = va.post(f"/cycles/{cycle_id}/review/complete", None)
    assert (completed.status, completed.json["state"]) == (200, "review_completed"), completed.body
    return cycle_id


def finalized_plan(local: Session, cycle_id: str, ana: ApiClient, title: str) -> list[str]:
    """``ana`` adds three goals (A1 to A3, each titled ``title`` and its item) to the cycle's
    plan; Virginia finalizes it. The goals' ids."""
    plan, today = f"/cycles/{cycle_id}/plan", datetime.now(UTC).date()
    me = ana.get("/me").json["user_id"]
    goals = []
    for code in ("A1", "A2", "A3"):
        goal = {
            "item_code": code,
            "title": f"{title} {code}",
            "action_steps": ["Write it down"],
            "owner_id": me,
            "target_rating": 4,
            "start_date": today.isoformat(),
            "target_date": (today + timedelta(days=270)).isoformat(),
        }
        added = ana.post(f"{plan}/goals", goal)
        assert added.status == 201, added.body
        goals.append(str(added.json["goal_id"]))
    assert local.as_user(VA_STAFF).post(f"{plan}/finalize", None).status == 200
    return goals


def run_job(local: Session, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m infra.local job ARGS`` against the e2e stack, as `make job` runs it."""
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [
            sys.executable,
            "-m",
            "infra.local",
            "job",
            *args,
            "--state-dir",
            str(local.stack.options.state_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def directory_rows(local: Session, program_id: str) -> list[dict[str, Any]]:
    """The partner directory's rows (filtered by state, every page) for one program."""
    name = local.as_user(VA_STAFF).get(f"/programs/{program_id}").json["name"]
    rows, cursor = [], ""
    while True:
        page = local.anonymous.get(f"/directory/quality-programs?state=VA&limit=100{cursor}")
        assert page.status == 200, page.body
        rows += [r for r in page.json["items"] if r["program_name"] == name]
        if not page.json["next"]:
            return rows
        cursor = f"&next={page.json['next']}"


def bounce(local: Session, email: str) -> None:
    """What SES's configuration set reports to the default bus for a permanent bounce."""
    clients = local.stack.clients
    assert clients is not None
    detail = {
        "eventType": "Bounce",
        "mail": {"messageId": "0100018c-e2e"},
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": email}]},
    }
    put = clients.events().put_events(
        Entries=[{"Source": "aws.ses", "DetailType": "Email Bounced", "Detail": json.dumps(detail)}]
    )
    assert put["FailedEntryCount"] == 0


def outbox_pending(clients: AwsClients, table_name: str) -> bool:
    """Some event is written but not yet published (the relay has not put it on the bus)."""
    dynamodb = clients.dynamodb()
    return any(
        dynamodb.query(
            TableName=table_name,
            IndexName=keys.OUTBOX_PENDING_INDEX,
            KeyConditionExpression="outbox_pending = :p",
            ExpressionAttributeValues={":p": {"S": partition}},
            Limit=1,
        )["Items"]
        for partition in keys.outbox_pending_partitions()
    )
