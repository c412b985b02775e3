"""Assessment API through its Lambda handler, with real REST proxy events, AWS mocked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from shared.domain.instrument import load_instrument
from tests.integration.test_directory import AFFILIATE_NE, AFFILIATE_VA
from tests.integration.test_directory import call as directory_call
from tests.support import aws as support
from tests.support.apigw import api_event
from tests.support.lambdas import LambdaContext, PlainTable, User, header, invoke, outbox_events

INSTRUMENT = load_instrument()


def call(
    method: str, resource: str, user: User | None, params: dict[str, str] | None = None, **kw: Any
) -> tuple[int, Any, dict[str, Any]]:
    from functions.assessment.handler import lambda_handler

    return invoke(lambda_handler, method, resource, user, params, **kw)


@dataclass
class World:
    admin: User
    va_staff: User
    ne_staff: User
    program: str  # VA, matching since 2015
    other_program: str  # VA too
    young_program: str  # VA, matching for 3 months
    alice: User  # staff of `program`
    bob: User  # staff of `program`
    carol: User  # staff of `other_program`


def _invite(by: User, program_id: str, email: str) -> User:
    status, member, _ = directory_call(
        "POST",
        "/programs/{programId}/members",
        by,
        {"programId": program_id},
        body={"email": email, "name": email.split("@")[0].title()},
    )
    assert status == 201, member
    return User(member["user_id"], email, ["program-staff"])


def _enroll(by: User, affiliate_id: str, name: str, since: date) -> str:
    body = {
        "name": name,
        "contact": {"name": "Pat Lee", "email": "pat@program.example"},
        "matching_since": since.isoformat(),
        "primary_affiliate_id": affiliate_id,
    }
    status, program, _ = directory_call("POST", "/programs", by, body=body)
    assert status == 201, program
    return str(program["program_id"])


@pytest.fixture
def world(aws_env: support.Resources) -> World:
    from functions.directory.bootstrap import create_national_admin

    admin_id = create_national_admin("admin@mentor.example", "Ada")
    admin = User(admin_id, "admin@mentor.example", ["national-staff"])
    staff: dict[str, User] = {}
    affiliates: dict[str, str] = {}
    for key, body in (("va", AFFILIATE_VA), ("ne", AFFILIATE_NE)):
        _, affiliate, _ = directory_call("POST", "/affiliates", admin, body=body)
        affiliates[key] = affiliate["affiliate_id"]
        email = f"staff@{key}.example"
        _, member, _ = directory_call(
            "POST",
            "/affiliates/{affiliateId}/members",
            admin,
            {"affiliateId": affiliate["affiliate_id"]},
            body={"email": email, "name": "Staff"},
        )
        staff[key] = User(member["user_id"], email, ["affiliate-staff"])
    va = staff["va"]
    program = _enroll(va, affiliates["va"], "Big Futures", date(2015, 1, 1))
    other = _enroll(va, affiliates["va"], "Bright Paths", date(2016, 1, 1))
    young = _enroll(va, affiliates["va"], "New Start", date.today() - timedelta(days=90))
    return World(
        admin=admin,
        va_staff=va,
        ne_staff=staff["ne"],
        program=program,
        other_program=other,
        young_program=young,
        alice=_invite(va, program, "alice@bigfutures.example"),
        bob=_invite(va, program, "bob@bigfutures.example"),
        carol=_invite(va, other, "carol@brightpaths.example"),
    )


def open_cycle(world: World, program_id: str | None = None, **body: Any) -> dict[str, Any]:
    status, cycle, _ = call(
        "POST",
        "/programs/{programId}/cycles",
        world.va_staff,
        {"programId": program_id or world.program},
        body=body,
    )
    assert status == 201, cycle
    return dict(cycle)


def answer(
    user: User, cycle_id: str, code: str, body: dict[str, Any], if_match: str | None = None
) -> tuple[int, Any, dict[str, Any]]:
    headers = {"If-Match": if_match} if if_match else None
    return call(
        "PUT",
        "/cycles/{cycleId}/answers/{itemCode}",
        user,
        {"cycleId": cycle_id, "itemCode": code},
        body=body,
        headers=headers,
    )


def answer_all(user: User, cycle_id: str, rating: int = 3) -> None:
    for item in INSTRUMENT.items:
        status, saved, _ = answer(
            user, cycle_id, item.code, {"in_practice": "yes", "rating": rating}
        )
        assert status == 200, saved


YES_3 = {"in_practice": "yes", "rating": 3, "notes": "Written policy, reviewed yearly."}


# =========================================================================== instruments
def test_the_packaged_instrument_is_listed_and_served_whole(world: World) -> None:
    status, listed, _ = call("GET", "/instruments", world.alice)
    assert status == 200
    assert [(i["key"], i["version"], i["item_count"]) for i in listed["items"]] == [
        ("nqms-eepm4", 1, 92)
    ]
    status, instrument, _ = call("GET", "/instruments/{version}", world.alice, {"version": "1"})
    assert status == 200
    assert len(instrument["items"]) == 92
    assert instrument["items"][0]["code"] == "A1"
    assert {p["title"] for p in instrument["parts"]} == {
        "Program Design and Management",
        "Program Operations",
        "Program Evaluation",
    }
    missing, problem, _ = call("GET", "/instruments/{version}", world.alice, {"version": "9"})
    assert missing == 404, problem


def test_national_admins_publish_a_new_version_and_open_cycles_keep_theirs(world: World) -> None:
    cycle = open_cycle(world)
    data = INSTRUMENT.to_dict()
    renamed_from = data["items"][0]["key"]
    data["version"] = 2
    data["items"][0]["key"] = renamed_from + "-v2"
    crosswalk = {renamed_from: renamed_from + "-v2"}

    refused, problem, _ = call("POST", "/instruments", world.va_staff, body={"instrument": data})
    assert refused == 403, problem
    bad = {**data, "item_count": 91}
    status, problem, _ = call("POST", "/instruments", world.admin, body={"instrument": bad})
    assert status == 422
    assert "92" in problem["detail"] or "count" in problem["detail"]
    status, published, _ = call(
        "POST", "/instruments", world.admin, body={"instrument": data, "crosswalk": crosswalk}
    )
    assert status == 201, published
    assert published["version"] == 2
    again, _, _ = call(
        "POST", "/instruments", world.admin, body={"instrument": data, "crosswalk": crosswalk}
    )
    assert again == 422  # version 2 exists: the next one is 3

    _, still, _ = call("GET", "/cycles/{cycleId}", world.alice, {"cycleId": cycle["cycle_id"]})
    assert still["instrument_version"] == 1
    _, listed, _ = call("GET", "/instruments", world.alice)
    assert [i["version"] for i in listed["items"]] == [1, 2]


# =========================================================================== cycles
def test_affiliate_staff_open_a_cycle_with_the_default_due_date(world: World) -> None:
    cycle = open_cycle(world)

    assert cycle["state"] == "open"
    assert cycle["instrument_version"] == 1
    assert date.fromisoformat(cycle["due_date"]) == date.today() + timedelta(weeks=8)
    assert cycle["readiness"]["warning"] is None
    assert "submit" in cycle["allowed_actions"]
    (event,) = outbox_events("CycleOpened")
    assert event["cycle_id"] == cycle["cycle_id"]
    assert event["program_id"] == world.program


def test_a_young_program_needs_an_override_reason_which_is_recorded(world: World) -> None:
    status, problem, _ = call(
        "POST",
        "/programs/{programId}/cycles",
        world.va_staff,
        {"programId": world.young_program},
        body={},
    )
    assert status == 422
    assert "12" in problem["detail"]
    assert problem["field"] == "body.readiness_override_reason"

    reason = "Board asked to start early; the program was a spin-off of a mature one."
    cycle = open_cycle(world, world.young_program, readiness_override_reason=reason)
    assert cycle["readiness"]["override_reason"] == reason
    assert cycle["readiness"]["months_matching"] < 12


def test_one_current_cycle_per_program(world: World) -> None:
    first = open_cycle(world)

    status, problem, _ = call(
        "POST",
        "/programs/{programId}/cycles",
        world.va_staff,
        {"programId": world.program},
        body={},
    )

    assert status == 409
    assert problem["current_state"] == "open"
    assert problem["current_cycle_id"] == first["cycle_id"]


def test_program_staff_cannot_open_cycles_and_others_see_nothing(world: World) -> None:
    status, problem, _ = call(
        "POST", "/programs/{programId}/cycles", world.alice, {"programId": world.program}, body={}
    )
    assert status == 403  # their own program: they may see it, not open its cycles
    assert problem["missing_permission"] == "openCycle"
    cycle = open_cycle(world)
    for outsider in (world.carol, world.ne_staff):
        got, problem, _ = call("GET", "/cycles/{cycleId}", outsider, {"cycleId": cycle["cycle_id"]})
        assert got == 404
        assert problem["type"] == "urn:nqms:problem:not-found"


# =========================================================================== answers
def test_answers_follow_the_rules_and_a_malformed_one_names_the_field(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    no_na = next(i for i in INSTRUMENT.items if not i.allows_na)
    with_na = next(i for i in INSTRUMENT.items if i.allows_na)
    cases = [
        ({"in_practice": "yes"}, "body.rating"),
        ({"in_practice": "no", "rating": 2}, "body.rating"),
        ({"in_practice": "yes", "rating": 6}, "body.rating"),
        ({"in_practice": "n/a"}, "body.notes"),
        ({"in_practice": "maybe"}, "body.in_practice"),
        ({"in_practice": "n/a", "notes": "We do not do that."}, "body.in_practice"),
    ]
    for body, field in cases:
        status, problem, response = answer(world.alice, cycle_id, no_na.code, body)
        assert status == 422, (body, problem)
        assert header(response, "Content-Type") == "application/problem+json"
        named = [e["field"] for e in problem.get("errors", [])] + [problem.get("field")]
        assert field in named, (body, problem)

    status, saved, _ = answer(
        world.alice, cycle_id, with_na.code, {"in_practice": "n/a", "notes": "No paid staff."}
    )
    assert status == 200, saved
    assert saved["rating"] is None
    unknown, _, _ = answer(world.alice, cycle_id, "Z99", YES_3)
    assert unknown == 404


def test_a_body_that_is_not_json_is_named_with_the_problem_and_its_position(
    world: World,
) -> None:
    """Both services (one error handler in shared.edge.api): what is wrong, and where."""
    from functions.assessment.handler import lambda_handler as assessment
    from functions.directory.handler import lambda_handler as directory

    cycle_id = open_cycle(world)["cycle_id"]
    malformed = '{"in_practice": "yes",, }'
    requests = [
        (
            assessment,
            "PUT",
            "/cycles/{cycleId}/answers/{itemCode}",
            world.alice,
            {"cycleId": cycle_id, "itemCode": "A1"},
        ),
        (directory, "POST", "/programs", world.va_staff, None),
    ]
    for handler, method, resource, user, params in requests:
        event = api_event(method, resource, params, body={}, claims=user.claims)
        event["body"] = malformed
        response = handler(event, LambdaContext())
        problem = json.loads(response["body"])
        assert response["statusCode"] == 422, problem
        assert header(response, "Content-Type") == "application/problem+json"
        assert problem["detail"] == (
            "Malformed JSON at character 22 (line 1, column 23): "
            "Expecting property name enclosed in double quotes."
        )
        assert problem["errors"] == [
            {"field": "body", "message": problem["detail"], "code": "json_invalid"}
        ]


def test_a_stale_save_gets_409_with_the_current_answer_and_nothing_is_lost(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    status, first, response = answer(world.alice, cycle_id, "A1", YES_3)
    assert status == 200
    assert header(response, "ETag") == '"1"'
    assert first["saved_by"] == world.alice.sub

    # Bob read version 1 too; Alice saves again first.
    _, second, _ = answer(world.alice, cycle_id, "A1", {**YES_3, "rating": 4}, if_match='"1"')
    assert second["version"] == 2
    status, problem, _ = answer(world.bob, cycle_id, "A1", {**YES_3, "rating": 1}, if_match='"1"')
    assert status == 409
    assert problem["current"]["rating"] == 4
    assert problem["current_version"] == 2

    # Without a version Bob cannot overwrite an existing answer either.
    status, problem, _ = answer(world.bob, cycle_id, "A1", {"in_practice": "no"})
    assert status == 409
    assert problem["current"]["saved_by"] == world.alice.sub

    _, assessment, _ = call("GET", "/cycles/{cycleId}/answers", world.bob, {"cycleId": cycle_id})
    a1 = next(i for i in assessment["items"] if i["code"] == "A1")
    assert a1["answer"]["rating"] == 4
    assert a1["answer"]["version"] == 2


def test_only_the_programs_own_staff_write_answers(world: World) -> None:
    """Those who may read the cycle (its affiliate's staff, national staff with the results
    grant) get 403 naming the operation; another program's staff and another affiliate's get
    404, as if the cycle did not exist."""
    cycle_id = open_cycle(world)["cycle_id"]
    for reader in (world.va_staff, world.admin):
        status, problem, _ = answer(reader, cycle_id, "A1", YES_3)
        assert (status, problem["missing_permission"]) == (403, "saveAnswer"), reader.email
    for outsider in (world.carol, world.ne_staff):
        status, problem, _ = answer(outsider, cycle_id, "A1", YES_3)
        assert status == 404, (outsider.email, problem)
    _, assessment, _ = call("GET", "/cycles/{cycleId}/answers", world.alice, {"cycleId": cycle_id})
    assert assessment["progress"]["answered"] == 0


def test_reading_shows_progress_resume_point_and_last_edit(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    answer(world.alice, cycle_id, "A1", YES_3)
    answer(world.bob, cycle_id, "A2", {"in_practice": "no"})

    status, assessment, _ = call(
        "GET", "/cycles/{cycleId}/answers", world.va_staff, {"cycleId": cycle_id}
    )

    assert status == 200
    assert len(assessment["items"]) == 92
    assert assessment["progress"]["answered"] == 2
    assert assessment["progress"]["total"] == 92
    section_a = assessment["progress"]["sections"][0]
    assert (section_a["letter"], section_a["answered"]) == ("A", 2)
    assert assessment["progress"]["resume_at"] == "A3"
    assert assessment["last_edit"]["by"] == world.bob.sub
    assert assessment["last_edit"]["item_code"] == "A2"


# =========================================================================== submit, return
def test_submit_is_refused_with_the_readiness_list_then_locks_answers(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    params = {"cycleId": cycle_id}
    answer(world.alice, cycle_id, "A1", YES_3)

    _, readiness, _ = call("GET", "/cycles/{cycleId}/readiness", world.alice, params)
    assert readiness["ready"] is False
    assert len(readiness["blockers"]) == 91
    status, problem, _ = call("POST", "/cycles/{cycleId}/submit", world.alice, params)
    assert status == 422
    assert problem["type"] == "urn:nqms:problem:not-ready"
    assert len(problem["blockers"]) == 91

    for item in INSTRUMENT.items[1:]:
        answer(world.bob, cycle_id, item.code, {"in_practice": "no"})
    _, readiness, _ = call("GET", "/cycles/{cycleId}/readiness", world.alice, params)
    assert readiness == {"ready": True, "blockers": []}

    headers = {"Idempotency-Key": "submit-1"}
    first = call("POST", "/cycles/{cycleId}/submit", world.alice, params, headers=headers)
    second = call("POST", "/cycles/{cycleId}/submit", world.alice, params, headers=headers)
    assert first[0] == second[0] == 200
    assert first[1] == second[1]
    assert first[1]["state"] == "submitted"
    assert len(outbox_events("AssessmentSubmitted")) == 1

    status, problem, _ = answer(world.alice, cycle_id, "A1", {"in_practice": "no"}, '"1"')
    assert status == 409
    assert problem["current_state"] == "submitted"
    again, problem, _ = call("POST", "/cycles/{cycleId}/submit", world.alice, params)
    assert again == 409


def test_affiliate_staff_return_it_with_a_comment_which_unlocks_it(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    params = {"cycleId": cycle_id}
    for item in INSTRUMENT.items:
        answer(world.alice, cycle_id, item.code, {"in_practice": "no"})
    call("POST", "/cycles/{cycleId}/submit", world.alice, params)

    refused, _, _ = call(
        "POST", "/cycles/{cycleId}/return", world.alice, params, body={"comment": "x"}
    )
    assert refused == 404 or refused == 403
    status, cycle, _ = call(
        "POST",
        "/cycles/{cycleId}/return",
        world.va_staff,
        params,
        body={"comment": "Please add notes to section C."},
    )
    assert status == 200, cycle
    assert cycle["state"] == "returned"
    assert cycle["return_comment"] == "Please add notes to section C."
    (event,) = outbox_events("AssessmentReturned")
    assert "section C" not in json.dumps(event)  # thin: the comment stays in the table
    status, _, _ = answer(world.alice, cycle_id, "A1", YES_3, '"1"')
    assert status == 200


def test_archived_cycles_are_kept_left_out_of_lists_and_free_the_program(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    status, archived, _ = call(
        "POST", "/cycles/{cycleId}/archive", world.va_staff, {"cycleId": cycle_id}
    )
    assert status == 200
    assert archived["state"] == "archived"
    again, problem, _ = call(
        "POST", "/cycles/{cycleId}/archive", world.va_staff, {"cycleId": cycle_id}
    )
    assert again == 409
    assert problem["current_state"] == "archived"

    params = {"programId": world.program}
    _, listed, _ = call("GET", "/programs/{programId}/cycles", world.va_staff, params)
    assert listed["items"] == []
    _, everything, _ = call(
        "GET",
        "/programs/{programId}/cycles",
        world.va_staff,
        params,
        query={"include_archived": "true"},
    )
    assert [c["cycle_id"] for c in everything["items"]] == [cycle_id]
    assert open_cycle(world)["previous_cycle_id"] is None


# =========================================================================== comparison
def _finish(world: World, cycle_id: str, rating: int) -> None:
    """Answer everything, submit; then mark the review done (the review service's part)."""
    answer_all(world.alice, cycle_id, rating)
    status, _, _ = call("POST", "/cycles/{cycleId}/submit", world.alice, {"cycleId": cycle_id})
    assert status == 200
    PlainTable().update_item(
        Key={"pk": f"CYCLE#{cycle_id}", "sk": "CYCLE"},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":s": "review_completed"},
    )


def test_a_new_cycle_shows_the_previous_answers_and_compares_with_it(world: World) -> None:
    first = open_cycle(world)["cycle_id"]
    _finish(world, first, rating=2)
    second = open_cycle(world)
    assert second["previous_cycle_id"] == first
    _, old, _ = call("GET", "/cycles/{cycleId}", world.alice, {"cycleId": first})
    assert old["state"] == "historical"
    answer(world.alice, second["cycle_id"], "A1", {"in_practice": "yes", "rating": 5})

    _, assessment, _ = call(
        "GET", "/cycles/{cycleId}/answers", world.alice, {"cycleId": second["cycle_id"]}
    )
    a1 = assessment["items"][0]
    assert a1["previous"] == {"cycle_id": first, "in_practice": "yes", "rating": 2}

    status, comparison, _ = call(
        "GET",
        "/cycles/{cycleId}/comparison",
        world.alice,
        {"cycleId": second["cycle_id"]},
        query={"with": first},
    )
    assert status == 200, comparison
    change = comparison["items"][0]
    assert (change["item_code"], change["rating_change"]) == ("A1", 3)
    section_a = comparison["sections"][0]
    assert section_a["average_rating_before"] == 2
    assert section_a["average_rating_after"] == 5


def test_comparison_never_crosses_programs(world: World) -> None:
    mine = open_cycle(world)["cycle_id"]
    theirs = open_cycle(world, world.other_program)["cycle_id"]

    status, problem, _ = call(
        "GET",
        "/cycles/{cycleId}/comparison",
        world.va_staff,
        {"cycleId": mine},
        query={"with": theirs},
    )

    assert status == 404
    assert "not found" in problem["detail"]


def test_comparison_across_instrument_versions_follows_the_crosswalk(world: World) -> None:
    first = open_cycle(world)["cycle_id"]
    _finish(world, first, rating=2)
    data = INSTRUMENT.to_dict()
    old_key = data["items"][0]["key"]
    data["version"] = 2
    data["items"][0]["key"] = old_key + "-renamed"
    status, _, _ = call(
        "POST",
        "/instruments",
        world.admin,
        body={"instrument": data, "crosswalk": {old_key: old_key + "-renamed"}},
    )
    assert status == 201
    second = open_cycle(world)
    assert second["instrument_version"] == 2
    answer(world.alice, second["cycle_id"], "A1", {"in_practice": "yes", "rating": 5})

    _, assessment, _ = call(
        "GET", "/cycles/{cycleId}/answers", world.alice, {"cycleId": second["cycle_id"]}
    )
    _, comparison, _ = call(
        "GET",
        "/cycles/{cycleId}/comparison",
        world.alice,
        {"cycleId": second["cycle_id"]},
        query={"with": first},
    )

    assert assessment["items"][0]["key"] == old_key + "-renamed"
    assert assessment["items"][0]["previous"]["rating"] == 2
    change = comparison["items"][0]
    assert (change["item_key"], change["before"]["rating"], change["rating_change"]) == (
        old_key + "-renamed",
        2,
        3,
    )
    assert comparison["with_instrument_version"] == 1
