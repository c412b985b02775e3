"""Benchmarks that a reader can rerun: ``make bench``.

1. Cold import time of every handler module in a fresh interpreter, next to the floor measured
   in the same run (``import boto3`` plus one client), as a ratio. Median of several runs.
2. DynamoDB requests each API operation makes (counted at the botocore layer, so requests made
   by libraries, such as Powertools idempotency, count too), against moto in-process.
3. Through the local stack (``LocalStack``, in a process of its own, over HTTP): the median
   latency of an answer save with a small and with a large table and their ratio; the memory
   (RSS) of the stack's process and its children after a long session of saves; and cold start
   as Lambda pays it, for every API function (a fresh interpreter importing the handler and
   answering its first request against the stack's moto), paired run by run with the floor
   (``import boto3``, one client, one GetItem): scripts/bench_cold.py, also runnable alone.
4. The reminders job's DynamoDB requests for one day, with few and many cycles in the table and
   few and many due that day: they follow the cycles due, not the cycles there are.
5. An aggregate read (an affiliate's, and the country's with the grid) with 50 and with 5,000
   programs, side by side: requests and time (scripts/bench_reports.py).

Sizes: BENCH_RUNS, BENCH_SMALL_TABLE, BENCH_LARGE_TABLE, BENCH_SAVES, BENCH_SESSION_SAVES,
BENCH_COLD_PAIRS (defaults: the figures of issue #6).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
SMALL_TABLE = int(os.environ.get("BENCH_SMALL_TABLE", "1000"))
LARGE_TABLE = int(os.environ.get("BENCH_LARGE_TABLE", "50000"))
SAVES = int(os.environ.get("BENCH_SAVES", "50"))
SESSION_SAVES = int(os.environ.get("BENCH_SESSION_SAVES", "2000"))

FLOOR = "import boto3; boto3.client('dynamodb', region_name='us-east-1')"


def _time_fresh(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0", "AWS_REGION": "us-east-1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def _median(statement: str) -> float:
    _time_fresh(statement)  # warm the bytecode cache: Lambda ships compiled .pyc too
    return statistics.median(_time_fresh(statement) for _ in range(RUNS))


def import_times() -> list[tuple[str, float]]:
    from cfnlint.decode import decode

    from scripts.openapi import TEMPLATE

    template, _ = decode(str(TEMPLATE))
    modules = sorted(
        {
            r["Properties"]["Handler"].rsplit(".", 1)[0]
            for r in template["Resources"].values()
            if r["Type"] == "AWS::Serverless::Function"
        }
    )
    return [(m, _median(f"import {m}")) for m in modules]


# --------------------------------------------------------------------------- DynamoDB calls
@contextmanager
def _mocked_world() -> Iterator[None]:
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    from moto import mock_aws

    from shared import adapters
    from tests.support.aws import create_resources

    with mock_aws():
        adapters.reset()
        resources = create_resources()
        # the template's variables, but quiet logs: the bench prints its own table
        os.environ.update(resources.environment() | {"POWERTOOLS_LOG_LEVEL": "ERROR"})
        adapters.reset()
        yield


class _Counter:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __call__(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1


def dynamodb_requests() -> list[tuple[str, int, str]]:
    from functions.directory.bootstrap import create_national_admin
    from functions.directory.handler import lambda_handler as directory
    from shared.adapters import aws
    from tests.support.apigw import api_event, claims_for
    from tests.support.lambdas import header

    rows: list[tuple[str, int, str]] = []
    with _mocked_world():
        counter = _Counter()
        aws.dynamodb().meta.events.register("before-call.dynamodb", counter)

        class Ctx:
            function_name = "bench"
            memory_limit_in_mb = 512
            invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
            aws_request_id = "bench"

            @staticmethod
            def get_remaining_time_in_millis() -> int:
                return 10_000

        def measure(
            label: str,
            method: str,
            resource: str,
            claims: dict[str, str],
            handler: Any = directory,
            record: bool = True,
            **kw: Any,
        ) -> dict[str, Any]:
            counter.calls.clear()
            response = handler(api_event(method, resource, claims=claims, **kw), Ctx())
            text = response.get("body") or ""
            json_body = str(header(response, "Content-Type")).startswith("application/")
            body = json.loads(text) if text and json_body else {}
            if response["statusCode"] >= 400:
                raise RuntimeError(f"{label}: {response['statusCode']} {body}")
            detail = ", ".join(f"{k} {v}" for k, v in sorted(counter.calls.items()))
            if record:
                rows.append((label, sum(counter.calls.values()), detail))
            return dict(body)

        admin_id = create_national_admin("bench-admin@mentor.example", "Bench Admin")
        admin = claims_for(admin_id, "bench-admin@mentor.example", ["national-staff"])
        affiliate = measure(
            "createAffiliate",
            "POST",
            "/affiliates",
            admin,
            body={
                "name": "MENTOR Bench",
                "state": "VA",
                "time_zone": "America/New_York",
                "contact_email": "a@bench.example",
            },
        )
        aid = {"affiliateId": affiliate["affiliate_id"]}
        measure("listAffiliates", "GET", "/affiliates", admin)
        measure("getAffiliate", "GET", "/affiliates/{affiliateId}", admin, path_params=aid)
        staff = measure(
            "inviteAffiliateStaff",
            "POST",
            "/affiliates/{affiliateId}/members",
            admin,
            path_params=aid,
            body={"email": "s@bench.example", "name": "Staff"},
        )
        measure(
            "listAffiliateStaff", "GET", "/affiliates/{affiliateId}/members", admin, path_params=aid
        )
        staff_claims = claims_for(staff["user_id"], "s@bench.example", ["affiliate-staff"])
        program_body = {
            "name": "Bench Program",
            "contact": {"name": "P", "email": "p@bench.example"},
            "matching_since": "2020-01-01",
            "primary_affiliate_id": affiliate["affiliate_id"],
        }
        program = measure("enrollProgram", "POST", "/programs", staff_claims, body=program_body)
        key = {"Idempotency-Key": "bench-key-0001"}
        measure(
            "enrollProgram (with Idempotency-Key, first)",
            "POST",
            "/programs",
            staff_claims,
            body=program_body,
            headers=key,
        )
        measure(
            "enrollProgram (with Idempotency-Key, replay)",
            "POST",
            "/programs",
            staff_claims,
            body=program_body,
            headers=key,
        )
        pid = {"programId": program["program_id"]}
        measure("listPrograms", "GET", "/programs", staff_claims)
        measure("getProgram", "GET", "/programs/{programId}", staff_claims, path_params=pid)
        member = measure(
            "inviteProgramMember",
            "POST",
            "/programs/{programId}/members",
            staff_claims,
            path_params=pid,
            body={"email": "m@bench.example", "name": "Member"},
        )
        measure(
            "listProgramMembers",
            "GET",
            "/programs/{programId}/members",
            staff_claims,
            path_params=pid,
        )
        measure("getMe", "GET", "/me", staff_claims)
        member_claims = claims_for(member["user_id"], "m@bench.example", ["program-staff"])
        _assessment_requests(measure, staff_claims, member_claims, pid)
    return rows


def _review_requests(
    measure: Any,
    affiliate: dict[str, str],
    member: dict[str, str],
    cid: dict[str, str],
    codes: list[str],
) -> None:
    """The review of a submitted cycle: the reviewer, every item, the whole review."""
    from functions.review.handler import lambda_handler as handler

    item = "/cycles/{cycleId}/review/items/{itemCode}"

    def run(label: str, method: str, resource: str, claims: dict[str, str], **kw: Any) -> Any:
        return measure(label, method, resource, claims, handler, **kw)

    run("listReviews (the affiliate's queue)", "GET", "/reviews", affiliate)
    run(
        "assignReviewer (starts the review)",
        "PUT",
        "/cycles/{cycleId}/review/reviewer",
        affiliate,
        path_params=cid,
        body={"user_id": affiliate["sub"]},
    )
    reviewed = {"status": "reviewed"}
    run(
        "reviewItem (new)",
        "PUT",
        item,
        affiliate,
        path_params={**cid, "itemCode": codes[0]},
        body=reviewed,
    )
    run(
        "reviewItem (with If-Match)",
        "PUT",
        item,
        affiliate,
        path_params={**cid, "itemCode": codes[0]},
        body={"status": "flagged", "note_to_program": "Add the policy."},
        headers={"If-Match": '"1"'},
    )
    for code in codes[1:]:
        run(
            "",
            "PUT",
            item,
            affiliate,
            path_params={**cid, "itemCode": code},
            body=reviewed,
            record=False,
        )
    run("getReview (92 item statuses)", "GET", "/cycles/{cycleId}/review", member, path_params=cid)
    from datetime import date, timedelta

    day = (date.today() + timedelta(days=30)).isoformat()
    meeting = {
        "time_zone": "America/New_York",
        "start": f"{day}T10:00:00",
        "end": f"{day}T12:00:00",
        "mode": "online",
        "link": "https://meet.example/review",
        "attendees": {"staff": [member["sub"]]},
    }
    where = "/cycles/{cycleId}/review/meeting"
    run(
        "scheduleReviewMeeting (1 staff attendee)",
        "POST",
        where,
        affiliate,
        path_params=cid,
        body=meeting,
    )
    moved = {**meeting, "start": f"{day}T14:00:00", "end": f"{day}T15:00:00"}
    run("rescheduleReviewMeeting", "PUT", where, affiliate, path_params=cid, body=moved)
    run("getReviewMeetingInvite (.ics)", "GET", where + ".ics", member, path_params=cid)
    run("cancelReviewMeeting", "POST", where + "/cancel", affiliate, path_params=cid)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    held = {**meeting, "start": f"{yesterday}T10:00:00", "end": f"{yesterday}T11:00:00"}
    run("", "POST", where, affiliate, path_params=cid, body=held, record=False)
    run("completeReview", "POST", "/cycles/{cycleId}/review/complete", affiliate, path_params=cid)


def _plan_requests(
    measure: Any,
    affiliate: dict[str, str],
    member: dict[str, str],
    cid: dict[str, str],
    codes: list[str],
) -> None:
    """The plan of a reviewed cycle: text, goals, finalizing, progress, verification, and the
    read of the whole plan with its goals, progress and history."""
    from datetime import date, timedelta

    from functions.plan.handler import lambda_handler as handler

    def run(label: str, method: str, resource: str, claims: dict[str, str], **kw: Any) -> Any:
        return measure(label, method, resource, claims, handler, **kw)

    plan, goals = "/cycles/{cycleId}/plan", "/cycles/{cycleId}/plan/goals"
    text = {"management": {"strengths": "A steady board.", "areas_for_improvement": "Funding."}}
    run("savePlanText (new)", "PUT", plan, member, path_params=cid, body=text)
    run(
        "savePlanText (with If-Match)",
        "PUT",
        plan,
        affiliate,
        path_params=cid,
        body={**text, "evaluation": {"strengths": "Surveys."}},
        headers={"If-Match": '"1"'},
    )
    start = date.today()

    def goal(code: str) -> dict[str, Any]:
        return {
            "item_code": code,
            "title": f"Improve {code}",
            "action_steps": ["Write it", "Train staff"],
            "owner_id": member["sub"],
            "target_rating": 4,
            "start_date": start.isoformat(),
            "target_date": (start + timedelta(days=270)).isoformat(),
        }

    first = run("addGoal", "POST", goals, member, path_params=cid, body=goal(codes[0]))
    ids = [first["goal_id"]] + [
        run("", "POST", goals, member, path_params=cid, body=goal(c), record=False)["goal_id"]
        for c in codes[1:4]
    ]
    where = [{**cid, "goalId": goal_id} for goal_id in ids]
    one = "/cycles/{cycleId}/plan/goals/{goalId}"
    run(
        "updateGoal (If-Match)",
        "PUT",
        one,
        affiliate,
        path_params=where[0],
        body={**goal(codes[0]), "target_rating": 5},
        headers={"If-Match": '"1"'},
    )
    run(
        "retireGoal",
        "POST",
        one + "/retire",
        affiliate,
        path_params=where[3],
        body={"reason": "Next year."},
    )
    run(
        "finalizePlan (3 goals)",
        "POST",
        "/cycles/{cycleId}/plan/finalize",
        affiliate,
        path_params=cid,
    )
    progress = {"note": "Drafted."}
    run("postGoalProgress", "POST", one + "/progress", member, path_params=where[0], body=progress)
    done = {"note": "Done."}
    run("completeGoal", "POST", one + "/complete", member, path_params=where[0], body=done)
    run("", "POST", one + "/complete", member, path_params=where[1], body=done, record=False)
    run(
        "verifyGoal",
        "POST",
        one + "/verify",
        affiliate,
        path_params=where[0],
        body={"achieved_rating": 4},
    )
    run(
        "sendBackGoal",
        "POST",
        one + "/send-back",
        affiliate,
        path_params=where[1],
        body={"comment": "Add the roster."},
    )
    run("getPlan (4 goals, progress, 14 history entries)", "GET", plan, member, path_params=cid)


def _report_requests(
    measure: Any, member: dict[str, str], cid: dict[str, str], pid: dict[str, str]
) -> None:
    """The documents of the reviewed cycle with its finalized plan (92 answers, 3 goals), each
    with the time it took here (made, stored in moto's S3, linked) and its size."""
    import time

    from functions.report.handler import lambda_handler as handler

    documents = "/cycles/{cycleId}/documents/"
    for name, query, what in (
        ("assessment.pdf", {"goals": "true"}, "getAssessmentPdf (92 items, goals, chart)"),
        ("assessment.csv", None, "getAssessmentCsv (92 rows)"),
        ("plan.pdf", None, "getPlanPdf"),
        ("goals.csv", None, "getGoalsCsv"),
    ):
        where = documents + name
        # the first call imports fpdf2 and loads the font: a cold start's, not a document's
        measure("", "GET", where, member, handler, False, path_params=cid, query=query)
        started = time.perf_counter()
        link = measure("", "GET", where, member, handler, False, path_params=cid, query=query)
        ms = (time.perf_counter() - started) * 1000
        size = f"{link['size_bytes'] / 1024:.0f} KB"
        label = f"{what}: {ms:.0f} ms, {size}"
        measure(label, "GET", where, member, handler, path_params=cid, query=query)
    measure(
        "getProgramProgress (1 cycle)",
        "GET",
        "/programs/{programId}/progress",
        member,
        handler,
        path_params=pid,
    )


def _assessment_requests(
    measure: Any, affiliate: dict[str, str], member: dict[str, str], pid: dict[str, str]
) -> None:
    from functions.assessment.handler import lambda_handler as handler
    from shared.domain.instrument import load_instrument
    from shared.store.cycles import forget_known_cycles

    codes = [item.code for item in load_instrument().items]
    answer = "/cycles/{cycleId}/answers/{itemCode}"

    def run(label: str, method: str, resource: str, claims: dict[str, str], **kw: Any) -> Any:
        return measure(label, method, resource, claims, handler, **kw)

    run("listInstruments", "GET", "/instruments", member)
    run("getInstrument", "GET", "/instruments/{version}", member, path_params={"version": "1"})
    opened = run(
        "openCycle", "POST", "/programs/{programId}/cycles", affiliate, path_params=pid, body={}
    )
    cid = {"cycleId": opened["cycle_id"]}
    run("listCycles", "GET", "/programs/{programId}/cycles", member, path_params=pid)
    run("getCycle", "GET", "/cycles/{cycleId}", member, path_params=cid)
    # A function instance that has not read this cycle yet reads it once (then knows it).
    forget_known_cycles()
    run(
        "saveAnswer (new, first on this cycle in the process)",
        "PUT",
        answer,
        member,
        path_params={**cid, "itemCode": codes[0]},
        body={"in_practice": "no"},
    )
    run(
        "saveAnswer (new)",
        "PUT",
        answer,
        member,
        path_params={**cid, "itemCode": codes[1]},
        body={"in_practice": "no"},
    )
    run(
        "saveAnswer (with If-Match)",
        "PUT",
        answer,
        member,
        path_params={**cid, "itemCode": codes[0]},
        body={"in_practice": "yes", "rating": 3},
        headers={"If-Match": '"1"'},
    )
    for code in codes[2:]:
        run(
            "",
            "PUT",
            answer,
            member,
            path_params={**cid, "itemCode": code},
            body={"in_practice": "yes", "rating": 2},
            record=False,
        )
    run("getAssessment (92 answers)", "GET", "/cycles/{cycleId}/answers", member, path_params=cid)
    run("getReadiness (92 answers)", "GET", "/cycles/{cycleId}/readiness", member, path_params=cid)
    key = {"Idempotency-Key": "bench-submit-0001"}
    run(
        "submitAssessment (Idempotency-Key, first)",
        "POST",
        "/cycles/{cycleId}/submit",
        member,
        path_params=cid,
        headers=key,
    )
    run(
        "submitAssessment (Idempotency-Key, replay)",
        "POST",
        "/cycles/{cycleId}/submit",
        member,
        path_params=cid,
        headers=key,
    )
    run(
        "returnAssessment",
        "POST",
        "/cycles/{cycleId}/return",
        affiliate,
        path_params=cid,
        body={"comment": "Please add notes to section C."},
    )
    run("", "POST", "/cycles/{cycleId}/submit", member, path_params=cid, record=False)
    _review_requests(measure, affiliate, member, cid, codes)  # ends with the review completed
    _plan_requests(measure, affiliate, member, cid, codes)
    _report_requests(measure, member, cid, pid)
    second = run(
        "openCycle (superseding the previous)",
        "POST",
        "/programs/{programId}/cycles",
        affiliate,
        path_params=pid,
        body={},
    )
    sid = {"cycleId": second["cycle_id"]}
    run(
        "getAssessment (with previous cycle's answers)",
        "GET",
        "/cycles/{cycleId}/answers",
        member,
        path_params=sid,
    )
    run(
        "compareCycles (92 items)",
        "GET",
        "/cycles/{cycleId}/comparison",
        member,
        path_params=sid,
        query={"with": opened["cycle_id"]},
    )
    run("archiveCycle", "POST", "/cycles/{cycleId}/archive", affiliate, path_params=sid)
    _evidence_requests(run, affiliate, member, pid)


def _evidence_requests(
    run: Any, affiliate: dict[str, str], member: dict[str, str], pid: dict[str, str]
) -> None:
    from shared.adapters import aws
    from shared.settings import EvidenceSettings, get_settings

    base = "/programs/{programId}/evidence"
    content = b"Screening policy\n"
    created = run(
        "createEvidenceUpload",
        "POST",
        base,
        member,
        path_params=pid,
        body={"filename": "policy.txt", "content_type": "text/plain", "size_bytes": len(content)},
    )
    aws.s3().put_object(
        Bucket=get_settings(EvidenceSettings).evidence_bucket,
        Key=created["upload"]["fields"]["key"],
        Body=content,
        ContentType="text/plain",
    )
    doc = {**pid, "documentId": created["document_id"]}
    run("confirmEvidence", "POST", base + "/{documentId}/confirm", member, path_params=doc)
    run(
        "linkEvidence",
        "PUT",
        base + "/{documentId}/links",
        member,
        path_params=doc,
        body={"items": ["H39", "H40"]},
    )
    run("listEvidence", "GET", base, affiliate, path_params=pid)
    run("downloadEvidence", "GET", base + "/{documentId}/download", affiliate, path_params=doc)
    run("deleteEvidence", "DELETE", base + "/{documentId}", member, path_params=doc)


def reminder_job_requests() -> list[tuple[str, int, str]]:
    """One run of the reminders job for one day (the last done: the day before), per table.
    A Tuesday reads the day's due records only; a Monday adds the digest, which reads the
    watch list of live cycles (weekly), 100 cycles per BatchGetItem."""
    from functions.notify.reminder_job import run
    from shared import clock, keys
    from shared.adapters import aws
    from shared.adapters.table import default_table, to_ddb
    from shared.domain.instrument import load_instrument
    from shared.domain.reminders import DUE_SOON_DAYS
    from shared.store.cycles import cycle_item
    from shared.store.programs import ProgramRecord
    from shared.store.reminders import reminder_records

    instrument = load_instrument()
    # what openCycle reads of the program (no program record is written here)
    program = ProgramRecord.from_item(
        dict(
            program_id="prg_" + "b" * 20,
            name="Bench",
            primary_affiliate_id="aff_" + "b" * 20,
            affiliate_ids=["aff_" + "b" * 20],
            matching_since="2020-01-01",
        )
    )

    tuesday, monday = date(2027, 3, 16), date(2027, 3, 15)
    rows: list[tuple[str, int, str]] = []
    for total, due, day in ((50, 1, tuesday), (1000, 1, tuesday), (1000, 20, tuesday),
                            (50, 1, monday), (1000, 1, monday)):  # fmt: skip
        with _mocked_world():
            table, client = default_table(), aws.dynamodb()
            items: list[dict[str, Any]] = [
                {
                    **keys.reminder_job(),
                    "last_day": (day - timedelta(days=1)).isoformat(),
                    "version": 1,
                }
            ]
            for n in range(total):
                # the first `due` cycles are due a week after `day` (due soon on it), the rest later
                extra = 0 if n < due else 1 + n % 60
                due_date = day + timedelta(days=DUE_SOON_DAYS + extra)
                cycle_id = f"cyc_bench{n:05d}"
                opened = day - timedelta(days=30)
                cycle = cycle_item(
                    cycle_id=cycle_id,
                    program=program,
                    instrument=instrument,
                    opened_at=f"{opened}T09:00:00Z",
                    opened_by="bench",
                    due_date=due_date,
                    readiness={},
                    previous_cycle_id=None,
                )
                made = reminder_records(cycle_id, program.program_id, due_date, opened)
                items.extend({**i, "version": 1} for i in [cycle, *made])
            for start in range(0, len(items), 25):
                requests: list[Any] = [
                    {"PutRequest": {"Item": to_ddb(i)}} for i in items[start : start + 25]
                ]
                client.batch_write_item(RequestItems={table.name: requests})
            counter = _Counter()
            client.meta.events.register("before-call.dynamodb", counter)
            at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=6)
            with clock.use_clock(clock.FixedClock(at)):
                report = run(table, "bench")
            client.meta.events.unregister("before-call.dynamodb", counter)
            assert report.due_soon == due, report
            detail = ", ".join(f"{k} {v}" for k, v in sorted(counter.calls.items()))
            label = f"{day:%A}: {due} due of {total} cycles"
            rows.append((label, sum(counter.calls.values()), detail))
    return rows


def _print_table(title: str, header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    for row in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def main() -> int:
    floor = _median(FLOOR)
    times = import_times()
    _print_table(
        f"Cold import, fresh interpreter, median of {RUNS} (floor = `{FLOOR}`)",
        ("module", "ms", "x floor"),
        [("floor", f"{floor * 1000:.0f}", "1.00")]
        + [(m, f"{t * 1000:.0f}", f"{t / floor:.2f}") for m, t in times],
    )
    rows = dynamodb_requests()
    _print_table(
        "DynamoDB requests per API operation (moto, counted at botocore)",
        ("operation", "requests", "which"),
        [(label, str(n), detail) for label, n, detail in rows],
    )
    from scripts.bench_badges import expiry_job_requests

    jobs = expiry_job_requests()
    _print_table(
        "The badge expiry job, one day's run (moto): requests follow the badges due that day",
        ("job", "active badges", "due that day", "requests", "which", "ms"),
        [
            (label, str(n), str(due), str(calls), which, f"{s * 1000:.0f}")
            for label, n, due, calls, which, s in jobs
        ],
    )
    _print_table(
        "The reminders job, one day (moto, counted at botocore)",
        ("run", "requests", "which"),
        [(label, str(n), detail) for label, n, detail in reminder_job_requests()],
    )
    from scripts.bench_reports import aggregate_reads

    _print_table(
        "Reading an aggregate (moto): the grid and one cell, whatever the number of programs",
        ("read", "programs", "requests", "which", "ms"),
        [
            (label, str(n), str(calls), which, f"{s * 1000:.0f}")
            for label, n, calls, which, s in aggregate_reads()
        ],
    )
    print_stack_figures(stack_figures())
    return 0


# --------------------------------------------------------------------------- the local stack
def stack_figures() -> dict[str, Any]:
    """scripts/bench_stack.py's figures, measured in a process of its own (RSS is the stack's)."""
    out = subprocess.run(
        [sys.executable, "-m", "scripts.bench_stack"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def print_stack_figures(f: dict[str, Any]) -> None:
    small, large = f["small_save_s"], f["large_save_s"]
    _print_table(
        f"Answer save through the local stack (HTTP), median of {f['saves_per_size']}",
        ("items in the table", "ms", "x small"),
        [
            (str(f["small_table"]), f"{small * 1000:.1f}", "1.00"),
            (str(f["large_table"]), f"{large * 1000:.1f}", f"{large / small:.2f}"),
        ],
    )
    mib = 1024 * 1024
    _print_table(
        "Memory of the stack (RSS of its process and children)",
        ("when", "MiB"),
        [
            ("started, demo data", f"{f['rss_start'] / mib:.0f}"),
            (f"after {f['session_saves']} answer saves", f"{f['rss_session'] / mib:.0f}"),
            (f"with {f['large_table']} items", f"{f['rss_large'] / mib:.0f}"),
        ],
    )
    from scripts import bench_cold

    cold = [bench_cold.ColdStart.from_json(c) for c in f["cold_starts"]]
    _print_table(bench_cold.title(cold), bench_cold.HEADER, bench_cold.rows(cold))


if __name__ == "__main__":
    raise SystemExit(main())
