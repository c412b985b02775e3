"""`make run`, Ctrl-C, `make run` again: the data and the logins are still there; with
`--fresh` (make run FRESH=1) none of it is.

Each stack runs as `python -m infra.local run` in its own process, as a developer runs it:
moto's backends are global to a process, so a second stack inside the pytest process would
share them with the session's stack (and a restart would prove nothing).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests

from infra.local.aws import AwsClients, Endpoint
from infra.local.persistence import STATE_FILE
from tests.e2e.journeys import outbox_pending
from tests.e2e.running import RunningStack

VA_STAFF = "staff@mentor-va.example"
RICHMOND_STAFF = "coordinator@richmond-mentoring.example"
ANSWER_NOTES = "Board reviews the plan yearly."


def create_data(stack: RunningStack) -> dict[str, Any]:
    """What a client does in a session: a program, a cycle, an answer, a document."""
    va, richmond = stack.token(VA_STAFF), stack.token(RICHMOND_STAFF)
    affiliate_id = stack.info.demo_data["affiliates"]["va"]
    program = stack.api.as_user(va).post(
        "/programs",
        {
            "name": "Shenandoah Valley Mentors",
            "contact": {"name": "Sam Vale", "email": "sam@shenandoah.example"},
            "matching_since": "2019-03-01",
            "primary_affiliate_id": affiliate_id,
        },
    )
    assert program.status == 201, program.body
    richmond_id = stack.info.demo_data["programs"]["richmond"]
    cycle = stack.api.as_user(va).post(f"/programs/{richmond_id}/cycles", {})
    assert cycle.status == 201, cycle.body
    cycle_id = cycle.json["cycle_id"]
    answer = {"in_practice": "yes", "rating": 4, "notes": ANSWER_NOTES}
    saved = stack.api.as_user(richmond).request("PUT", f"/cycles/{cycle_id}/answers/A1", answer)
    assert saved.status == 200, saved.body

    content = b"Mentor screening policy, version 3.\n"
    base = f"/programs/{richmond_id}/evidence"
    document = stack.api.as_user(richmond).post(
        base, {"filename": "screening.txt", "content_type": "text/plain", "size_bytes": 36}
    )
    assert document.status == 201, document.body
    upload = document.json["upload"]
    uploaded = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("screening.txt", content, "text/plain")},
        timeout=10,
    )
    assert uploaded.status_code in (200, 201, 204), uploaded.text
    document_id = document.json["document_id"]
    confirmed = stack.api.as_user(richmond).post(f"{base}/{document_id}/confirm", None)
    assert confirmed.status == 200, confirmed.body
    stack.wait_for_event("CycleOpened", cycle_id)
    return {
        "va": va,
        "richmond": richmond,
        "program_id": program.json["program_id"],
        "cycle_id": cycle_id,
        "evidence": f"{base}/{document_id}",
        "content": content,
    }


def event_ids(stack: RunningStack) -> Counter[str]:
    return Counter(e["detail"]["event_id"] for e in stack.events())


def wait_for_a_save_while_running(stack: RunningStack) -> None:
    """Once every event written is published (however slow the relay) and the event log is
    quiet, one more change (a login) and the save that follows."""
    info = stack.info
    clients = AwsClients(Endpoint(info.moto_url, info.region, info.account_id))
    events_log = Path(info.events_log)
    deadline = time.monotonic() + 60
    while outbox_pending(clients, info.table_name) or events_log.stat().st_mtime > time.time() - 1:
        assert time.monotonic() < deadline, "events still on their way after 60 s"
        time.sleep(0.2)
    moment = time.time()
    stack.token(VA_STAFF)
    state_file = stack.state_dir / STATE_FILE
    deadline = time.monotonic() + 20
    while not (state_file.exists() and state_file.stat().st_mtime > moment):
        assert time.monotonic() < deadline, "no save while running"
        time.sleep(0.1)


def test_a_restart_keeps_data_and_logins_and_a_fresh_start_forgets_them(tmp_path: Path) -> None:
    state_dir = tmp_path / "local"
    first = RunningStack(state_dir, save_every=0.5)
    try:
        created = create_data(first)
        published_before = event_ids(first)
        # Saved while running, after the last event went out: even kill -9 keeps it all.
        wait_for_a_save_while_running(first)
    finally:
        first.kill()

    second = RunningStack(state_dir)
    try:
        assert "resumed" in second.log()
        assert second.info.user_pool_id == first.info.user_pool_id
        assert second.info.demo_users == first.info.demo_users  # the banner lists the logins
        va = second.api.as_user(created["va"])  # the token issued before the restart
        richmond = second.api.as_user(created["richmond"])
        programs = va.get("/programs")
        assert programs.status == 200, programs.body
        assert created["program_id"] in [p["program_id"] for p in programs.json["items"]]
        answers = richmond.get(f"/cycles/{created['cycle_id']}/answers")
        assert answers.status == 200, answers.body
        assert answers.json["progress"]["answered"] == 1
        a1 = answers.json["items"][0]["answer"]
        assert (a1["rating"], a1["notes"], a1["version"]) == (4, ANSWER_NOTES, 1)
        download = richmond.get(f"{created['evidence']}/download")
        assert download.status == 200, download.body
        assert requests.get(download.json["url"], timeout=10).content == created["content"]

        # The outbox relay goes on after the last record it delivered: a new event arrives,
        # none of the old ones is published a second time, and the log kept them.
        again = va.post(
            "/programs",
            {
                "name": "Blue Ridge Mentors",
                "contact": {"name": "Bea Ridge", "email": "bea@blueridge.example"},
                "matching_since": "2020-05-01",
                "primary_affiliate_id": second.info.demo_data["affiliates"]["va"],
            },
        )
        assert again.status == 201, again.body
        second.wait_for_event("ProgramEnrolled", again.json["program_id"])
        published = event_ids(second)
        assert published_before.keys() < published.keys()
        assert max(published.values()) == 1
    finally:
        second.stop()  # Ctrl-C saves on the way out

    third = RunningStack(state_dir)
    try:
        va = third.api.as_user(created["va"])
        names = [p["name"] for p in va.get("/programs").json["items"]]
        assert "Blue Ridge Mentors" in names  # created after the last save while running
    finally:
        third.stop()

    fresh = RunningStack(state_dir, fresh=True)
    try:
        assert fresh.info.user_pool_id != first.info.user_pool_id
        assert fresh.api.as_user(created["va"]).get("/programs").status == 401
        programs = fresh.api.as_user(fresh.token(VA_STAFF)).get("/programs")
        assert programs.status == 200, programs.body
        names = [p["name"] for p in programs.json["items"]]
        assert "Shenandoah Valley Mentors" not in names
        assert "Richmond Youth Mentoring" in names  # demo data again
        assert not published_before.keys() & event_ids(fresh).keys()
    finally:
        fresh.stop()
