"""Access rules of issue #7 through the handlers: audited reads, the results grant, 403 or 404.

- Every operation that returns a program's confidential results (``AUDITED_READS``, derived
  from the access table) writes exactly one audit entry per request, and so does the 409 of
  ``saveAnswer`` that shows a colleague's answer.
- National staff with the results grant read what a serving affiliate reads, and change
  nothing.
- A caller who may read the object but not do this gets 403 naming the missing permission;
  one who may not read it gets 404, like a missing object.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.access import AUDITED_READS
from shared.adapters.table import default_table
from shared.identity import Grant
from tests.integration.test_assessment import YES_3, World, answer, open_cycle, world
from tests.integration.test_assessment import _finish as finish
from tests.integration.test_assessment import call as assessment_call
from tests.integration.test_directory import call as directory_call
from tests.integration.test_evidence import post_file
from tests.integration.test_plan import call as plan_call
from tests.integration.test_report import call as report_call
from tests.integration.test_review import call as review_call
from tests.support.apigw import api_event
from tests.support.lambdas import LambdaContext, User, header
from tests.support.people import audit_entries, national

__all__ = ["world"]  # the fixture, imported to be used here

EVIDENCE = "/programs/{programId}/evidence"
DOCUMENT = "/programs/{programId}/evidence/{documentId}"
REPORTS = "/cycles/{cycleId}/documents"
PDF = b"%PDF-1.7\n" + b"evidence " * 40


def call(
    method: str, resource: str, user: User | None, params: dict[str, str] | None = None, **kw: Any
) -> tuple[int, Any, dict[str, Any]]:
    """The handler of the service that serves ``resource`` (a calendar's body stays text)."""
    if resource.endswith(".ics"):
        from functions.review.handler import lambda_handler

        event = api_event(method, resource, params, claims=user.claims if user else None, **kw)
        response = lambda_handler(event, LambdaContext())
        return response["statusCode"], response.get("body"), response
    serve = review_call if resource.startswith("/cycles/{cycleId}/review") else assessment_call
    if resource.startswith("/cycles/{cycleId}/plan"):
        serve = plan_call
    if resource.startswith("/cycles/{cycleId}/documents") or resource.endswith("/progress"):
        serve = report_call
    return serve(method, resource, user, params, **kw)


def evidence_document(world: World) -> str:
    """An available document in the program's library, uploaded by its staff."""
    body = {"filename": "policy.pdf", "content_type": "application/pdf", "size_bytes": len(PDF)}
    params = {"programId": world.program}
    status, created, _ = call("POST", EVIDENCE, world.alice, params, body=body)
    assert status == 201, created
    post_file(created, PDF)
    where = {**params, "documentId": created["document_id"]}
    status, confirmed, _ = call("POST", DOCUMENT + "/confirm", world.alice, where)
    assert status == 200, confirmed
    return str(created["document_id"])


Request = tuple[str, str, dict[str, str], dict[str, str] | None]


def add_meeting(cycle_id: str) -> None:
    """A review meeting on the cycle, whatever its state (the review API guards the state;
    here only reading the invite matters)."""
    from functions.review import records as review_records
    from functions.review import rules
    from functions.review.models import MeetingIn

    day = datetime.now(UTC).replace(tzinfo=None, hour=10, minute=0, second=0, microsecond=0)
    start = day + timedelta(days=30)
    draft = MeetingIn(
        time_zone="America/New_York",
        start=start,
        end=start + timedelta(hours=2),
        mode="online",
        link="https://meet.example/review",
    )
    meeting = rules.schedule_meeting(
        cycle_id, draft, state="in_review", existing=None, now=datetime.now(UTC), eligible_staff=()
    )
    uow = default_table().unit_of_work()
    uow.create(
        review_records.meeting_record(cycle_id, meeting, "test", "2030-01-01T00:00:00Z"),
        what="Meeting",
    )
    uow.commit()


def reads(world: World, cycle_id: str, other_id: str, document_id: str) -> dict[str, Request]:
    """One request per confidential read: must list every operation of ``AUDITED_READS``."""
    add_meeting(cycle_id)
    cycle = {"cycleId": cycle_id}
    program = {"programId": world.program}
    return {
        "listCycles": ("GET", "/programs/{programId}/cycles", program, None),
        "getCycle": ("GET", "/cycles/{cycleId}", cycle, None),
        "getAssessment": ("GET", "/cycles/{cycleId}/answers", cycle, None),
        "getReadiness": ("GET", "/cycles/{cycleId}/readiness", cycle, None),
        "getReview": ("GET", "/cycles/{cycleId}/review", cycle, None),
        "getReviewMeetingInvite": ("GET", "/cycles/{cycleId}/review/meeting.ics", cycle, None),
        "getPlan": ("GET", "/cycles/{cycleId}/plan", cycle, None),
        "compareCycles": ("GET", "/cycles/{cycleId}/comparison", cycle, {"with": other_id}),
        "listEvidence": ("GET", EVIDENCE, program, None),
        "downloadEvidence": (
            "GET",
            DOCUMENT + "/download",
            {**program, "documentId": document_id},
            None,
        ),
        "getAssessmentPdf": ("GET", REPORTS + "/assessment.pdf", cycle, {"goals": "true"}),
        "getAssessmentCsv": ("GET", REPORTS + "/assessment.csv", cycle, None),
        "getPlanPdf": ("GET", REPORTS + "/plan.pdf", cycle, None),
        "getGoalsCsv": ("GET", REPORTS + "/goals.csv", cycle, None),
        "getProgramProgress": ("GET", "/programs/{programId}/progress", program, None),
    }


def two_cycles(world: World) -> tuple[str, str]:
    """A reviewed cycle and the open one after it, with an answer (a comparison needs two)."""
    first = open_cycle(world)["cycle_id"]
    finish(world, first, rating=2)
    second = open_cycle(world)["cycle_id"]
    status, saved, _ = answer(world.alice, second, "A1", YES_3)
    assert status == 200, saved
    return first, second


# =========================================================================== audited reads
def test_every_confidential_read_writes_one_audit_entry_per_request(world: World) -> None:
    first, cycle_id = two_cycles(world)
    document_id = evidence_document(world)
    requests = reads(world, cycle_id, first, document_id)
    # The queue is an affiliate's (or the nation's), not a program's: test_review.py audits it;
    # so are the aggregates and the research export: test_report_aggregates.py audits them.
    elsewhere = {
        "listReviews",
        "getAffiliateAggregate",
        "getNationalAggregate",
        "requestResearchExport",
        "getResearchExport",
    }
    assert set(requests) | elsewhere == AUDITED_READS, "every read needs a request here"

    readers = {"program staff": world.alice, "serving affiliate": world.va_staff}
    for op, (method, resource, params, query) in requests.items():
        for who, user in readers.items():
            before = len(audit_entries(op))
            status, body, _ = call(method, resource, user, params, query=query)
            entries = audit_entries(op)
            assert status == 200, (op, who, body)
            assert len(entries) == before + 1, (op, who)
            newest = max(entries, key=lambda e: e["sk"])
            assert newest["actor_id"] == user.sub
            assert newest["action"] in ("read", "export")
            assert newest["pk"].startswith(f"AUDIT#PROGRAM#{world.program}#")


def test_a_page_of_cycles_is_one_entry(world: World) -> None:
    first = open_cycle(world)["cycle_id"]
    status, _, _ = call("POST", "/cycles/{cycleId}/archive", world.va_staff, {"cycleId": first})
    assert status == 200
    open_cycle(world)

    status, page, _ = call(
        "GET",
        "/programs/{programId}/cycles",
        world.alice,
        {"programId": world.program},
        query={"include_archived": "true"},
    )
    assert status == 200, page
    assert len(page["items"]) == 2
    (entry,) = audit_entries("listCycles")
    assert entry["target"] == f"program:{world.program}/cycles"


def test_the_conflict_that_shows_a_colleagues_answer_is_audited(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    status, _, _ = answer(world.alice, cycle_id, "A1", YES_3)
    assert status == 200
    changes = len(audit_entries("saveAnswer"))

    # A version for an item nobody answered: a 409 with nothing to show, no read.
    status, problem, _ = answer(world.bob, cycle_id, "A2", YES_3, if_match='"1"')
    assert status == 409, problem
    assert "current" not in problem
    assert len(audit_entries("saveAnswer")) == changes

    status, problem, _ = answer(world.bob, cycle_id, "A1", {"in_practice": "no"})
    assert status == 409
    assert problem["current"]["notes"] == YES_3["notes"]
    reads_ = [e for e in audit_entries("saveAnswer") if e["action"] == "read"]
    assert [(e["actor_id"], e["target"].split("/")[0]) for e in reads_] == [
        (world.bob.sub, f"cycle:{cycle_id}")
    ]


def test_a_confidential_read_without_its_audit_entry_is_not_served(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API layer checks it: a use case that forgets the audit answers 500, not the data."""
    from shared.store import cycles

    cycle_id = open_cycle(world)["cycle_id"]
    monkeypatch.setattr(cycles, "audit_read", lambda *args: None)
    status, body, _ = call("GET", "/cycles/{cycleId}", world.alice, {"cycleId": cycle_id})
    assert status == 500
    assert cycle_id not in json.dumps(body)


# =========================================================================== results grant
def test_national_results_grant_reads_what_a_serving_affiliate_reads_audited(
    world: World,
) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    answer(world.alice, cycle_id, "A1", YES_3)
    document_id = evidence_document(world)
    results = national(Grant.RESULTS)
    requests = reads(world, cycle_id, cycle_id, document_id)
    del requests["compareCycles"]  # needs two cycles of the program; same rule as getCycle
    for op, (method, resource, params, query) in requests.items():
        mine = call(method, resource, results, params, query=query)
        theirs = call(method, resource, world.va_staff, params, query=query)
        assert mine[0] == theirs[0] == 200, (op, mine[1])
        if op not in ("downloadEvidence", "getReviewMeetingInvite"):  # fresh link, DTSTAMP
            if "url" in mine[1]:  # a document: a fresh link each, expiring from now
                for link in (mine[1], theirs[1]):
                    del link["url"], link["expires_at"]
            assert mine[1] == theirs[1], op
        assert results.sub in {e["actor_id"] for e in audit_entries(op)}, op


def test_national_results_grant_changes_nothing(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    document_id = evidence_document(world)
    results = national(Grant.RESULTS)
    cycle, program = {"cycleId": cycle_id}, {"programId": world.program}
    document = {**program, "documentId": document_id}
    upload = {"filename": "x.pdf", "content_type": "application/pdf", "size_bytes": 10}
    writes: dict[str, tuple[str, str, dict[str, str], Any]] = {
        "saveAnswer": (
            "PUT",
            "/cycles/{cycleId}/answers/{itemCode}",
            {**cycle, "itemCode": "A1"},
            YES_3,
        ),
        "submitAssessment": ("POST", "/cycles/{cycleId}/submit", cycle, None),
        "returnAssessment": ("POST", "/cycles/{cycleId}/return", cycle, {"comment": "x"}),
        "archiveCycle": ("POST", "/cycles/{cycleId}/archive", cycle, None),
        "openCycle": ("POST", "/programs/{programId}/cycles", program, {}),
        "createEvidenceUpload": ("POST", EVIDENCE, program, upload),
        "linkEvidence": ("PUT", DOCUMENT + "/links", document, {"items": ["A1"]}),
        "deleteEvidence": ("DELETE", DOCUMENT, document, None),
    }
    for op, (method, resource, params, body) in writes.items():
        status, problem, response = call(method, resource, results, params, body=body)
        assert status == 403, (op, problem)
        assert header(response, "Content-Type") == "application/problem+json"
        assert problem["type"] == "urn:nqms:problem:forbidden"
        assert problem["missing_permission"] == op
        assert "national_results" not in problem["required"]
        assert problem["detail"].startswith("National staff may not ")
    _, still, _ = call("GET", "/cycles/{cycleId}", results, cycle)
    assert still["state"] == "open"
    _, library, _ = call("GET", EVIDENCE, results, program)
    assert [d["document_id"] for d in library["items"]] == [document_id]
    assert library["items"][0]["items"] == []


def test_national_staff_without_the_results_grant_are_told_what_they_lack(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    admin_only = national(Grant.ADMIN)
    program = {"programId": world.program}
    for resource in ("/programs/{programId}/cycles", EVIDENCE):
        status, problem, _ = call("GET", resource, admin_only, program)
        assert status == 403, problem
        assert "national_results" in problem["required"]
        assert problem["detail"].endswith("or national staff with the results grant.")
    # The cycle itself is not theirs to see: whether it exists is not said.
    status, problem, _ = call("GET", "/cycles/{cycleId}", admin_only, {"cycleId": cycle_id})
    assert status == 404, problem
    none = national()
    status, _, _ = call("GET", "/programs/{programId}/cycles", none, program)
    assert status == 404


# =========================================================================== 403 or 404
def test_program_staff_may_read_a_cycle_but_not_act_for_the_affiliate(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    cycle = {"cycleId": cycle_id}
    acts = {
        "returnAssessment": ("/cycles/{cycleId}/return", cycle, {"comment": "x"}),
        "archiveCycle": ("/cycles/{cycleId}/archive", cycle, None),
        "openCycle": ("/programs/{programId}/cycles", {"programId": world.program}, {}),
    }
    for op, (resource, params, body) in acts.items():
        status, problem, _ = call("POST", resource, world.alice, params, body=body)
        assert status == 403, (op, problem)
        assert problem["missing_permission"] == op
        assert problem["required"][0] == "serving_affiliate_staff"
        assert problem["detail"].startswith("Program staff may not ")
        assert "; this needs affiliate staff serving the program" in problem["detail"]
        # Staff of another program may not even see it: 404, the same as a missing one.
        status, problem, _ = call("POST", resource, world.carol, params, body=body)
        assert status == 404, (op, problem)
        assert problem["type"] == "urn:nqms:problem:not-found"
        assert "missing_permission" not in problem
    status, problem, _ = call(
        "POST", "/cycles/{cycleId}/return", world.alice, cycle, body={"comment": "x"}
    )
    assert problem["detail"] == (
        "Program staff may not return an assessment; this needs affiliate staff serving the "
        "program."
    )


def test_affiliate_staff_may_read_answers_but_not_write_or_submit_them(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    cycle = {"cycleId": cycle_id}
    save = ("PUT", "/cycles/{cycleId}/answers/{itemCode}", {**cycle, "itemCode": "A1"}, YES_3)
    submit = ("POST", "/cycles/{cycleId}/submit", cycle, None)
    for op, (method, resource, params, body) in {
        "saveAnswer": save,
        "submitAssessment": submit,
    }.items():
        status, problem, _ = call(method, resource, world.va_staff, params, body=body)
        assert status == 403, (op, problem)
        assert problem["missing_permission"] == op
        assert problem["required"] == ["program_member"]
        assert problem["detail"].startswith("Affiliate staff may not ")
        status, problem, _ = call(method, resource, world.ne_staff, params, body=body)
        assert status == 404, (op, problem)
    # A cycle that does not exist is a 404 even for those who may read the program's cycles.
    status, problem, _ = call(
        "POST",
        "/cycles/{cycleId}/submit",
        world.va_staff,
        {"cycleId": "cyc_" + "0" * 20},  # never created
    )
    assert status == 404, problem
    _, assessment, _ = call("GET", "/cycles/{cycleId}/answers", world.alice, cycle)
    assert assessment["progress"]["answered"] == 0


def test_the_directory_answers_403_to_national_staff_who_may_see_an_affiliate(
    world: World,
) -> None:
    status, listed, _ = directory_call("GET", "/affiliates", world.admin)
    assert status == 200, listed
    (affiliate_id,) = [a["affiliate_id"] for a in listed["items"] if a["state"] == "VA"]
    results = national(Grant.RESULTS)
    where = {"affiliateId": affiliate_id}
    status, problem, _ = directory_call("GET", "/affiliates/{affiliateId}/members", results, where)
    assert status == 403, problem
    assert problem["missing_permission"] == "listAffiliateStaff"
    assert problem["required"] == ["affiliate_staff", "national_admin"]
    missing = {"affiliateId": "aff_" + "0" * 20}  # well formed, never created
    status, problem, _ = directory_call(
        "GET", "/affiliates/{affiliateId}/members", results, missing
    )
    assert status == 404, problem
    # Another affiliate's staff may not see it: 404, as before.
    status, problem, _ = directory_call(
        "GET", "/affiliates/{affiliateId}/members", world.ne_staff, where
    )
    assert status == 404, problem
