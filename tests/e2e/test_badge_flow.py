"""Badges through the local stack: from plan finalization to Step 1 and, after three verified
goals, Step 2, through the real event flow (outbox, bus, rule, queue, issuer); events delivered
twice more issue nothing new; a partner verifies the link without an account (JSON, a page, a
link with one character changed refused); the expiry job run as of the review date + 3 years +
1 day expires the badges, except those of a program that opened its next cycle in time; the
partner directory follows."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

from infra.local.http import ApiClient
from tests.e2e.conftest import Session
from tests.e2e.journeys import (
    VA_STAFF,
    directory_rows,
    finalized_plan,
    program_with_staff,
    review_completed_cycle,
    run_job,
)


def _badged(local: Session, name: str) -> tuple[str, ApiClient, str]:
    """A program whose cycle's plan is finalized with 3 goals, all verified."""
    program_id, (ana,) = program_with_staff(local, name, "ana")
    cycle_id = review_completed_cycle(local, program_id, ana)
    va, plan = local.as_user(VA_STAFF), f"/cycles/{cycle_id}/plan"
    goals = finalized_plan(local, cycle_id, ana, "Raise")
    for goal_id in goals:
        assert ana.post(f"{plan}/goals/{goal_id}/complete", {"note": "Done."}).status == 200
        verified = va.post(f"{plan}/goals/{goal_id}/verify", {"achieved_rating": 4})
        assert verified.status == 200, verified.body
    return program_id, ana, cycle_id


def _is_issued(event: dict[str, Any], cycle_id: str) -> bool:
    return event["detail-type"] == "BadgeIssued" and event["detail"]["cycle_id"] == cycle_id


def _issued(local: Session, cycle_id: str, count: int = 2) -> list[dict[str, Any]]:
    return local.wait_for_events(lambda e: _is_issued(e, cycle_id), count=count, timeout=60)


def _wait_until_consumed(local: Session, timeout: float = 60) -> None:
    """Until the issuer's queue holds nothing, visible or in flight (after the bus put the
    redelivered events on it)."""
    clients, stack = local.stack.clients, local.stack.provisioned
    assert clients is not None
    assert stack is not None
    url = stack.ref("BadgeIssuerQueue")
    names: list[Any] = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    deadline = time.monotonic() + timeout
    # (no wait for the bus first: put_events puts the events on a rule's queue before it returns)
    while time.monotonic() < deadline:
        found: dict[str, Any] = dict(
            clients.sqs().get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        )
        if all(int(found[name]) == 0 for name in names):
            return
        time.sleep(0.3)
    raise AssertionError("the issuer's queue was not drained")


def _redeliver(local: Session, cycle_id: str) -> int:
    """Put the cycle's plan events on the bus again, as EventBridge may deliver them twice."""
    events = [
        e
        for e in local.events()
        if e["detail-type"] in ("PlanFinalized", "GoalVerified")
        and e["detail"]["cycle_id"] == cycle_id
    ]
    clients = local.stack.clients
    assert clients is not None
    entries = [
        {
            "Source": e["source"],
            "DetailType": e["detail-type"],
            "Detail": json.dumps(e["detail"]),
            "EventBusName": local.stack.info.event_bus_name,
        }
        for e in events
    ]
    for _ in range(2):
        clients.events().put_events(Entries=entries)
    return len(entries)


def test_badges_are_issued_once_verified_publicly_and_expire_on_their_day(
    local: Session,
) -> None:
    program_id, ana, cycle_id = _badged(local, "Piedmont Mentors")
    issued = _issued(local, cycle_id)
    assert sorted(e["detail"]["data"]["level"] for e in issued) == ["step1", "step2"]

    # The same events twice more: the issuer consumes them all and issues nothing new.
    assert _redeliver(local, cycle_id) == 4  # PlanFinalized and three GoalVerified
    redelivered = local.wait_for_events(
        lambda e: e["detail-type"] == "PlanFinalized" and e["detail"]["cycle_id"] == cycle_id,
        count=3,
    )
    assert len(redelivered) == 3  # the first delivery and two more crossed the bus
    _wait_until_consumed(local)
    # Consumed: a badge issued again would be in the table now (its BadgeIssued is written in
    # the same transaction), whatever the time the relay takes to put that event on the bus.
    held = ana.get(f"/programs/{program_id}/badges")
    assert held.status == 200, held.body
    assert sorted(b["level"] for b in held.json["items"]) == ["step1", "step2"]
    assert len([e for e in local.events() if _is_issued(e, cycle_id)]) == 2

    # The program's badges: links, images, snippets. A partner follows a link, no login.
    step1 = next(b for b in held.json["items"] if b["level"] == "step1")
    token = step1["verify_url"].rsplit("/", 1)[1]
    partner = local.anonymous
    shown = partner.get(f"/verify/{token}")
    assert shown.status == 200, shown.body
    assert (shown.json["status"], shown.json["level_name"]) == ("active", "Initiated in NQMS")
    assert shown.json["program_name"].startswith("Piedmont Mentors")
    page = partner.get(f"/verify/{token}", {"Accept": "text/html"})
    assert page.status == 200
    assert page.content_type.startswith("text/html")
    assert "Initiated in NQMS" in page.body.decode()
    head, payload, signature = token.split(".")
    changed = signature[:-3] + ("A" if signature[-3] != "A" else "B") + signature[-2:]
    altered = partner.get(f"/verify/{head}.{payload}.{changed}")
    assert altered.status == 400, altered.body  # a link whose signature does not match
    assert altered.content_type == "application/problem+json"
    keys = partner.get("/.well-known/jwks.json")
    assert keys.status == 200
    assert sorted(k["alg"] for k in keys.json["keys"]) == ["ES256", "RS256"]  # link, credential

    # The partner directory lists the program once, with its highest level, no login.
    listed = directory_rows(local, program_id)
    assert [(r["level"], r["state"]) for r in listed] == [("step2", "VA")]
    assert listed[0]["verify_url"].startswith("http")

    # Another program opens its next cycle in time: its badges will read "renewal in progress".
    other_id, _, other_cycle = _badged(local, "Tidewater Mentors")
    _issued(local, other_cycle)
    assert local.as_user(VA_STAFF).post(f"/programs/{other_id}/cycles", {}).status == 201
    other = local.as_user(VA_STAFF).get(f"/programs/{other_id}/badges").json["items"]
    other_token = other[0]["verify_url"].rsplit("/", 1)[1]

    # The operator runs the expiry job as of the review date + 3 years + 1 day.
    until = date.fromisoformat(step1["valid_until"])
    job = run_job(local, "badge-expiry", "--as-of", (until + timedelta(days=1)).isoformat())
    assert job.returncode == 0, job.stderr
    assert "BadgeExpiryFunction ran as of" in job.stdout
    expired = local.wait_for_events(
        lambda e: e["detail-type"] == "BadgeExpired" and e["detail"]["program_id"] == program_id,
        count=2,
    )
    assert len(expired) == 2
    local.stack.clock_offset = until + timedelta(days=1) - date.today()
    try:
        assert partner.get(f"/verify/{token}").json["status"] == "expired"
        image = partner.get(f"/badges/{step1['badge_id']}/image.svg")
        assert image.status == 200
        assert "Expired" in image.body.decode()
        renewing = partner.get(f"/verify/{other_token}").json
        assert (renewing["status"], renewing["valid"]) == ("renewal_in_progress", True)
        assert directory_rows(local, program_id) == []  # expired: out of the directory
        assert len(directory_rows(local, other_id)) == 1  # renewing: still in
    finally:
        local.stack.clock_offset = None
