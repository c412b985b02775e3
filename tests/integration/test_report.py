"""Report API through its Lambda handler: a program's documents (PDF, CSV) made into the
private bucket and served by presigned links, its progress across cycles, who may have them,
and every download audited."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import urlsplit

from functions.report.documents import CSV_COLUMNS
from shared import keys
from shared.adapters import aws
from shared.domain.instrument import load_instrument
from shared.identity import Grant
from tests.integration.test_assessment import World, answer, answer_all, open_cycle, world
from tests.integration.test_assessment import call as assessment_call
from tests.integration.test_evidence import audit_entries
from tests.integration.test_plan import add_goal, complete_review
from tests.support.lambdas import User, invoke
from tests.support.people import national
from tests.unit.test_report_pdf import pages_text

__all__ = ["world"]  # the fixture, imported to be used here

DOCUMENTS = "/cycles/{cycleId}/documents/"
PROGRESS = "/programs/{programId}/progress"
INSTRUMENT = load_instrument()
FORMULA = '=HYPERLINK("http://evil.example","click")'


def call(
    method: str, resource: str, user: User | None, params: dict[str, str] | None = None, **kw: Any
) -> tuple[int, Any, dict[str, Any]]:
    from functions.report.handler import lambda_handler

    return invoke(lambda_handler, method, resource, user, params, **kw)


def download(link: dict[str, Any]) -> bytes:
    """The object a presigned link serves, read from the (mocked) bucket by its key."""
    from functions.report.settings import ReportsBucketSettings
    from shared.settings import get_settings

    bucket = get_settings(ReportsBucketSettings).reports_bucket
    path = urlsplit(link["url"]).path.lstrip("/")
    key = path.split("/", 1)[1] if path.startswith(bucket + "/") else path
    body: bytes = aws.s3().get_object(Bucket=bucket, Key=key)["Body"].read()
    return body


def document(user: User, cycle_id: str, name: str, **query: str) -> tuple[dict[str, Any], bytes]:
    status, link, _ = call(
        "GET", DOCUMENTS + name, user, {"cycleId": cycle_id}, query=query or None
    )
    assert status == 200, link
    return link, download(link)


def varied_cycle(world: World) -> str:
    """A submitted cycle with varied answers: yes rated, no, n/a, notes; one formula note."""
    cycle_id = str(open_cycle(world)["cycle_id"])
    for n, item in enumerate(INSTRUMENT.items):
        if n % 4 == 1:
            body: dict[str, Any] = {"in_practice": "no", "notes": f"Not yet, {item.code}."}
        elif item.allows_na and n % 4 == 2:
            body = {"in_practice": "n/a", "notes": f"Not for us ({item.code})."}
        else:
            body = {"in_practice": "yes", "rating": 1 + n % 5, "notes": f"Done: {item.code}."}
        if n == 3:
            body["notes"] = FORMULA
        status, saved, _ = answer(world.alice, cycle_id, item.code, body)
        assert status == 200, saved
    status, cycle, _ = assessment_call(
        "POST", "/cycles/{cycleId}/submit", world.alice, {"cycleId": cycle_id}
    )
    assert status == 200, cycle
    return cycle_id


def stored_answers(user: User, cycle_id: str) -> dict[str, dict[str, Any]]:
    status, assessment, _ = assessment_call(
        "GET", "/cycles/{cycleId}/answers", user, {"cycleId": cycle_id}
    )
    assert status == 200, assessment
    return {i["code"]: i["answer"] for i in assessment["items"] if i["answer"]}


# --------------------------------------------------------------------------- documents
def test_the_csv_matches_the_stored_answers_row_by_row_and_neutralises_a_formula(
    world: World,
) -> None:
    cycle_id = varied_cycle(world)
    stored = stored_answers(world.alice, cycle_id)

    link, data = document(world.alice, cycle_id, "assessment.csv")

    assert link["content_type"] == "text/csv; charset=utf-8"
    assert link["filename"].endswith(".csv")
    assert link["size_bytes"] == len(data)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 92
    for row, item in zip(rows, INSTRUMENT.items, strict=True):
        answer_ = stored[item.code]
        assert row["Question text"] == f"{item.code} {item.prompt}"
        assert row["Program ID"] == world.program
        expected = {"no": "Not in practice", "n/a": "Not applicable"}.get(
            answer_["in_practice"], str(answer_.get("rating"))
        )
        assert row["Rating"] == expected, item.code
        notes = answer_["notes"]
        assert row["Notes"] == ("'" + notes if notes == FORMULA else notes), item.code
    assert rows[3]["Notes"] == "'" + FORMULA


def test_the_pdf_starts_each_section_on_a_page_with_every_answer_and_the_goals_on_request(
    world: World,
) -> None:
    cycle_id = varied_cycle(world)
    complete_review(world, cycle_id)
    add_goal(world, cycle_id, world.alice, "B6", title="Match within 30 days")
    stored = stored_answers(world.alice, cycle_id)

    link, data = document(world.alice, cycle_id, "assessment.pdf", goals="true")

    assert link["content_type"] == "application/pdf"
    texts = pages_text(data)
    starts = {
        t.split("\n", 1)[0].split(":")[0].removeprefix("Section "): n
        for n, t in enumerate(texts)
        if t.startswith("Section ")
    }
    assert list(starts) == [s.letter for s in INSTRUMENT.sections]
    bounds = [*starts.values(), len(texts)]
    for (letter, start), end in zip(starts.items(), bounds[1:], strict=True):
        text = " ".join(" ".join(texts[start:end]).split())
        for item in INSTRUMENT.items_in_section(letter):
            assert item.code in text
            assert " ".join(stored[item.code]["notes"].split()) in text, item.code
    assert any(t.startswith("Progress across cycles") for t in texts)
    assert texts[-1].startswith("Improvement and Innovation Plan goals")
    assert "Match within 30 days" in texts[-1]
    _, plain = document(world.alice, cycle_id, "assessment.pdf")
    assert "Match within 30 days" not in " ".join(pages_text(plain))


def test_the_plan_pdf_and_the_goals_csv(world: World) -> None:
    from tests.integration.test_plan import call as plan_call

    cycle_id = varied_cycle(world)
    complete_review(world, cycle_id)
    text = {"management": {"strengths": "A board that meets monthly."}}
    status, saved, _ = plan_call(
        "PUT", "/cycles/{cycleId}/plan", world.alice, {"cycleId": cycle_id}, body=text
    )
    assert status == 200, saved
    add_goal(world, cycle_id, world.alice, "B6", title="@SUM(1,2) mentors matched")

    _, pdf = document(world.va_staff, cycle_id, "plan.pdf")
    _, goals = document(world.va_staff, cycle_id, "goals.csv")

    whole = " ".join(pages_text(pdf))
    assert "A board that meets monthly." in whole
    assert "@SUM(1,2) mentors matched" in whole  # the PDF shows it as typed
    (row,) = list(csv.DictReader(io.StringIO(goals.decode("utf-8-sig"))))
    assert row["Goal name"] == "'@SUM(1,2) mentors matched"
    assert row["Item"] == "B6"
    assert row["Goal target"] == "4"
    assert row["Goal status"] == "not started"


def test_a_document_is_made_in_the_private_bucket_and_linked_for_five_minutes(
    world: World,
) -> None:
    cycle_id = varied_cycle(world)
    link, _ = document(world.alice, cycle_id, "assessment.csv")
    query = urlsplit(link["url"]).query
    assert "X-Amz-Expires=300" in query
    assert "X-Amz-Signature=" in query
    assert f"documents/{world.program}/{cycle_id}/" in link["url"]


# --------------------------------------------------------------------------- progress
def test_the_progress_shows_each_submitted_cycle_and_the_change_per_section(
    world: World,
) -> None:
    first = varied_cycle(world)
    complete_review(world, first)
    second = str(open_cycle(world)["cycle_id"])
    answer_all(world.alice, second, 5)
    status, _, _ = assessment_call(
        "POST", "/cycles/{cycleId}/submit", world.alice, {"cycleId": second}
    )
    assert status == 200

    status, progress, _ = call("GET", PROGRESS, world.alice, {"programId": world.program})

    assert status == 200, progress
    assert [c["cycle_id"] for c in progress["cycles"]] == [first, second]
    earlier, later = progress["cycles"]
    assert all(
        s["change"] == {"average_rating": None, "share_in_practice": None}
        for s in earlier["sections"]
    )
    for before, now in zip(earlier["sections"], later["sections"], strict=True):
        assert now["average_rating"] == 5
        assert now["share_in_practice"] == 1
        assert now["change"]["average_rating"] == round(5 - before["average_rating"], 2)
        assert now["change"]["share_in_practice"] == round(1 - before["share_in_practice"], 4)
    # an open cycle is not reported: only submitted ones
    other = call("GET", PROGRESS, world.carol, {"programId": world.other_program})
    assert other[0] == 200
    assert other[1]["cycles"] == []


# --------------------------------------------------------------------------- access
def test_only_the_program_its_affiliates_and_the_results_grant_get_documents_each_audited(
    world: World,
) -> None:
    cycle_id = varied_cycle(world)
    names = ("assessment.pdf", "assessment.csv", "plan.pdf", "goals.csv")
    readers = {
        "the program's staff": world.alice,
        "its affiliate's staff": world.va_staff,
        "national staff with the results grant": national(Grant.RESULTS),
    }
    outsiders = {
        "another program's staff (same affiliate)": world.carol,
        "another affiliate's staff": world.ne_staff,
        "national staff without the grant": national(),
    }
    for who, user in readers.items():
        for name in names:
            status, link, _ = call("GET", DOCUMENTS + name, user, {"cycleId": cycle_id})
            assert status == 200, (who, name, link)
        status, _, _ = call("GET", PROGRESS, user, {"programId": world.program})
        assert status == 200, who
    for who, user in outsiders.items():
        for name in names:
            status, problem, _ = call("GET", DOCUMENTS + name, user, {"cycleId": cycle_id})
            assert status == 404, (who, name, problem)
            assert "url" not in problem
        status, problem, _ = call("GET", PROGRESS, user, {"programId": world.program})
        assert status == 404, (who, problem)
    # national staff with the admin grant only may see the program, not its results: 403 on
    # its progress; its cycles they may not see at all, so a cycle's document is a 404
    admin_only = national(Grant.ADMIN)
    status, problem, _ = call("GET", PROGRESS, admin_only, {"programId": world.program})
    assert status == 403, problem
    assert problem["missing_permission"] == "getProgramProgress"
    status, problem, _ = call("GET", DOCUMENTS + "plan.pdf", admin_only, {"cycleId": cycle_id})
    assert status == 404, problem
    missing = call("GET", DOCUMENTS + "assessment.pdf", world.alice, {"cycleId": "cyc_" + "0" * 20})
    assert missing[0] == 404
    assert call("GET", DOCUMENTS + "assessment.pdf", None, {"cycleId": cycle_id})[0] == 401

    operations = ("getAssessmentPdf", "getAssessmentCsv", "getPlanPdf", "getGoalsCsv")
    for operation in operations:
        entries = audit_entries(operation)
        assert sorted(e["actor_id"] for e in entries) == sorted(u.sub for u in readers.values())
        assert all(e["action"] == "export" for e in entries)
        assert all(
            e["pk"].startswith(keys.audit_partition("program", world.program, "")[:-1])
            for e in entries
        )
    assert len(audit_entries("getProgramProgress")) == len(readers)


def test_no_audit_entry_no_link(world: World) -> None:
    cycle_id = varied_cycle(world)

    def refuse(**_: Any) -> None:
        raise RuntimeError("the table refuses writes")

    events = aws.dynamodb().meta.events
    events.register("before-call.dynamodb.PutItem", refuse)
    try:
        status, body, _ = call(
            "GET", DOCUMENTS + "assessment.csv", world.alice, {"cycleId": cycle_id}
        )
    finally:
        events.unregister("before-call.dynamodb.PutItem", refuse)
    assert status == 500
    assert "X-Amz-Signature" not in json.dumps(body)
