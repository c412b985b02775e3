"""Every function as deployed: its artifact built as `sam build` builds it, run alone.

Each function's artifact is built with scripts/package.py (its package, shared/ and the lock's
wheels, hashes checked; wheels for this machine rather than arm64, so it runs here). The local
stack then runs every function from its artifact with ``python -I -S`` and that folder as the
whole import path: nothing of the development environment (moto, cryptography from the dev
requirements, the source tree) can stand in for a missing dependency. One cycle goes through
the API, the relay, the bus, the badge issuer, notify and the jobs, reaching each function's heavy
paths: the JWKS, a verify link with a real token, the Open Badges credential, the badge image,
emails with their calendar invite, a bounce, the scheduled jobs, the report's PDFs (made with
the dependencies only its artifact has).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from infra.local.stack import LocalStack, StackOptions
from infra.local.table_guard import RECORD_VARIABLE
from infra.local.template import load_template
from infra.local.workers import run_schedule_once
from scripts import package
from tests.e2e.conftest import Session
from tests.e2e.journeys import (
    VA_STAFF,
    bounce,
    finalized_plan,
    program_with_staff,
    review_completed_cycle,
    submitted_cycle,
)


def _artifacts(root: Path) -> dict[str, Path]:
    """Logical id -> its artifact, one build per package (functions sharing a package share a
    build, as their `make build-*` targets are the same recipe)."""
    template = load_template(region="us-east-1", account_id="123456789012", stack_name="build")
    handlers = {
        name: resource["Properties"]["Handler"]
        for name, resource in template.source["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    dependencies = root / "_dependencies"
    package.install_dependencies(dependencies, host=True)
    built: dict[str, Path] = {}
    for own in sorted({".".join(h.split(".")[:2]) for h in handlers.values()}):
        built[own] = root / own
        package.build(own, built[own], host=True, dependencies=dependencies)
    return {name: built[".".join(h.split(".")[:2])] for name, h in handlers.items()}


@pytest.fixture(scope="module")
def deployed() -> Iterator[Session]:
    with (
        tempfile.TemporaryDirectory(prefix="nqms-artifacts-") as folder,
        pytest.MonkeyPatch.context() as env,
    ):
        root = Path(folder)
        # Each function's table policy is enforced in its environment; record what it checks.
        env.setenv(RECORD_VARIABLE, str(root / "table-calls.jsonl"))
        options = StackOptions(
            port=0,
            moto_port=0,
            state_dir=root / "state",
            schedules=False,
            artifacts=_artifacts(root / "build"),
        )
        with LocalStack(options) as stack:
            yield Session(stack)


def test_every_function_starts_from_its_artifact_alone(deployed: Session) -> None:
    runtime = deployed.stack.runtime
    assert runtime is not None
    artifacts = deployed.stack.options.artifacts or {}

    assert set(artifacts) == set(runtime.functions)
    for logical_id, folder in artifacts.items():
        names = {p.name for p in folder.iterdir()}
        assert {"functions", "shared", "boto3", "pydantic"} <= names, logical_id
        assert not {"moto", "tests", "infra", "scripts", "chalice"} & names, logical_id
        # A package's own dependencies (functions/<name>/requirements.lock) are its functions'
        # alone (the report package's: the report API and the aggregates' consumer).
        report = logical_id.startswith(("Report", "ResearchExport"))
        assert ("fpdf" in names) == report, logical_id
        assert runtime.environments(logical_id) >= 1, logical_id  # imported at start


def _wait(condition: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.3)
    return condition()


def test_a_whole_cycle_runs_on_the_deployed_code(deployed: Session) -> None:
    local = deployed
    program_id, (ana,) = program_with_staff(local, "Artifact Mentors", "ana")
    cycle_id = review_completed_cycle(local, program_id, ana)
    va, plan = local.as_user(VA_STAFF), f"/cycles/{cycle_id}/plan"
    for goal_id in finalized_plan(local, cycle_id, ana, "Grow"):
        assert ana.post(f"{plan}/goals/{goal_id}/complete", {"note": "Done."}).status == 200
        assert va.post(f"{plan}/goals/{goal_id}/verify", {"achieved_rating": 4}).status == 200

    # The issuer (a queue consumer) signs both badges with the link key (KMS, cryptography).
    def badges() -> list[dict[str, Any]]:
        listed = ana.get(f"/programs/{program_id}/badges")
        assert listed.status == 200, listed.body
        items: list[dict[str, Any]] = listed.json["items"]
        return items if len(items) == 2 else []

    issued = _wait(badges)
    assert sorted(b["level"] for b in issued) == ["step1", "step2"], issued
    public = local.anonymous

    jwks = public.get("/.well-known/jwks.json")
    assert jwks.status == 200, jwks.body
    assert sorted(key["alg"] for key in jwks.json["keys"]) == ["ES256", "RS256"]

    for badge in issued:
        verified = public.get(_path(badge["verify_url"]))
        assert verified.status == 200, verified.body
        assert verified.json["status"] == "active"
        credential = public.get(f"/badges/{badge['badge_id']}/credential")
        assert credential.status == 200, credential.body
        assert credential.body.count(b".") == 2  # a compact VC-JWT, signed (RS256)
        image = public.get(f"/badges/{badge['badge_id']}/image.svg")
        assert image.status == 200, image.body
        assert image.body.lstrip().startswith(b"<svg"), image.body[:80]

    # The review meeting as a calendar file (icalendar), from the review service.
    ics = va.get(f"/cycles/{cycle_id}/review/meeting.ics")
    assert ics.status == 200, ics.body
    assert ics.body.startswith(b"BEGIN:VCALENDAR")

    # Notify (a queue consumer) emails a meeting scheduled ahead with its invite (.ics).
    other, (ben,) = program_with_staff(local, "Artifact Friends", "ben")
    next_cycle = submitted_cycle(local, other, ben)
    day = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    meeting = {
        "time_zone": "America/New_York",
        "start": f"{day}T10:00:00",
        "end": f"{day}T11:00:00",
        "mode": "in_person",
        "address": "1 Artifact Way, Richmond, VA",
    }
    assert va.post(f"/cycles/{next_cycle}/review/meeting", meeting).status == 200
    mail = Path(local.stack.info.mail_dir)
    assert _wait(
        lambda: [
            p
            for p in mail.glob("*-notify.*.eml")
            if "text/calendar" in p.read_text(errors="replace")
        ]
    )

    # The notify API and the mail events consumer (SES reports a bounce to the default bus).
    prefs = ana.get("/me/notification-preferences")
    assert prefs.status == 200, prefs.body
    members = va.get(f"/programs/{program_id}/members")
    assert members.status == 200, members.body
    email = next(m["email"] for m in members.json["items"] if m["email"].startswith("ana."))
    bounce(local, email)
    suppressions = f"/affiliates/{local.demo_id('affiliates', 'va')}/mail-suppressions"
    assert _wait(lambda: email.encode() in va.get(suppressions).body)

    # The report function's PDF library and font (its own requirements) make both documents.
    for name in ("assessment.pdf?goals=true", "plan.pdf"):
        link = ana.get(f"/cycles/{cycle_id}/documents/{name}")
        assert link.status == 200, link.body
        fetched = requests.get(link.json["url"], timeout=10)
        assert fetched.status_code == 200, fetched.text[:200]
        assert fetched.content.startswith(b"%PDF-"), fetched.content[:20]

    # The scheduled jobs: the badge expiry, the reminders and the outbox sweeper.
    runtime, clients = local.stack.runtime, local.stack.clients
    assert runtime is not None
    assert clients is not None
    for schedule in local.stack.info.schedules:
        run_schedule_once(schedule, runtime, clients, datetime.now(UTC))


def _path(url: str) -> str:
    """The path (and query) of an absolute URL the API gave, to call through the local client."""
    rest = url.split("://", 1)[1]
    return "/" + rest.split("/", 1)[1]


def test_every_table_call_of_the_cycle_was_within_its_functions_policy(deployed: Session) -> None:
    """Runs after the cycle: each function's environment checked each DynamoDB call against its
    template policy (the artifact processes too), and the policies let the whole cycle through."""
    record = Path(deployed.stack.options.state_dir).parent / "table-calls.jsonl"
    calls = [json.loads(line) for line in record.read_text().splitlines()]
    stack = deployed.stack.options.stack_name

    refused = [call for call in calls if not call[-1]]
    seen = {str(call[0]).removeprefix(f"{stack}-") for call in calls}
    assert not refused, refused[:5]
    assert {
        "DirectoryFunction",
        "AssessmentFunction",
        "ReviewFunction",
        "PlanFunction",
        "ReportFunction",
        "BadgeFunction",
        "BadgeIssuerFunction",
        "NotifyFunction",
        "NotifyApiFunction",
        "MailEventsFunction",
        "OutboxRelayFunction",
    } <= seen, seen
