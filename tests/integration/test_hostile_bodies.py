"""Hostile request bodies get a 422 problem naming what is wrong, never a 500.

One reader of bodies in ``shared.edge.api`` serves every API function, so each case is sent to a
directory operation and an assessment operation, as REST proxy events API Gateway sends.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.integration import test_assessment
from tests.integration.test_assessment import YES_3, World, open_cycle
from tests.integration.test_directory import call as directory_call
from tests.integration.test_directory import program_body
from tests.support.apigw import api_event
from tests.support.lambdas import LambdaContext, User, header

world = test_assessment.world  # the same programs, staff and affiliates

Request = tuple[str, str, str, User, dict[str, str] | None, dict[str, Any]]


def requests(world: World) -> list[Request]:
    """(service, method, resource, caller, path params, a valid body) of two operations."""
    cycle_id = open_cycle(world)["cycle_id"]
    _, program, _ = directory_call(
        "GET", "/programs/{programId}", world.va_staff, {"programId": world.program}
    )
    affiliate_id = program["primary_affiliate_id"]
    answer = ("/cycles/{cycleId}/answers/{itemCode}", {"cycleId": cycle_id, "itemCode": "A1"})
    return [
        ("assessment", "PUT", answer[0], world.alice, answer[1], dict(YES_3)),
        ("directory", "POST", "/programs", world.va_staff, None, program_body(affiliate_id)),
    ]


def send(request: Request, raw: str, *, base64_encoded: bool = False) -> tuple[int, Any, Any]:
    from functions.assessment.handler import lambda_handler as assessment
    from functions.directory.handler import lambda_handler as directory

    service, method, resource, user, params, _ = request
    handler = {"assessment": assessment, "directory": directory}[service]
    event = api_event(method, resource, params, body={}, claims=user.claims)
    event["body"] = raw
    event["isBase64Encoded"] = base64_encoded
    response = handler(event, LambdaContext())
    return response["statusCode"], json.loads(response["body"]), response


def assert_refused(status: int, problem: Any, response: Any, detail: str, field: str) -> None:
    assert status == 422, problem
    assert header(response, "Content-Type") == "application/problem+json"
    assert problem["type"] == "urn:nqms:problem:validation-error"
    assert problem["detail"] == detail
    assert [e["field"] for e in problem["errors"]] == [field]


def test_a_body_that_is_not_utf8_is_named_with_the_invalid_byte(world: World) -> None:
    """API Gateway hands such a body over base64-encoded; decoding it was a 500."""
    body = b'{"notes": "caf' + b"\xe9" + b'"}'
    for request in requests(world):
        raw = base64.b64encode(body).decode()
        status, problem, response = send(request, raw, base64_encoded=True)
        detail = "The body is not UTF-8: invalid byte at position 14."
        assert_refused(status, problem, response, detail, "body")


def test_a_valid_base64_encoded_body_is_read_as_usual(world: World) -> None:
    """The refusal is of bad bytes, not of base64: a UTF-8 body encoded so is accepted."""
    for request in requests(world):
        raw = base64.b64encode(json.dumps(request[5]).encode()).decode()
        status, body, _ = send(request, raw, base64_encoded=True)
        assert status in (200, 201), body


@pytest.mark.parametrize("depth", [5_000, 100_000])
@pytest.mark.parametrize("encoded", [False, True], ids=["text", "base64"])
def test_json_nested_too_deep_is_refused_naming_the_limit(
    world: World, depth: int, encoded: bool
) -> None:
    """Parsing it recursed until a RecursionError (a 500); brackets in strings do not count."""
    text = '{"notes": "' + "[{" * 100 + '", "x": ' + "[" * depth + "]" * depth + "}"
    raw = base64.b64encode(text.encode()).decode() if encoded else text
    position = text.index("[" * 65) + 63  # the 64th "[" inside the outer "{"
    for request in requests(world):
        status, problem, response = send(request, raw, base64_encoded=encoded)
        detail = f"The body is nested deeper than 64 levels (at character {position})."
        assert_refused(status, problem, response, detail, "body")


def test_a_nul_character_in_any_text_is_refused_naming_the_field(world: World) -> None:
    assessment, directory = requests(world)
    cases = [
        (assessment, {**assessment[5], "notes": "Written\u0000policy"}, "body.notes"),
        (directory, {**directory[5], "name": "Big\u0000Futures"}, "body.name"),
        (
            directory,
            {**directory[5], "contact": {"name": "Pat\u0000", "email": "pat@b.example"}},
            "body.contact.name",
        ),
    ]
    for request, body, field in cases:
        status, problem, response = send(request, json.dumps(body))
        assert_refused(status, problem, response, f"Invalid input: {field}.", field)
        assert problem["errors"][0]["message"] == (
            "Text may not contain the NUL character (U+0000)."
        )


@pytest.mark.parametrize(
    "media_type",
    ["text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded"],
)
def test_a_body_of_another_media_type_is_a_415_problem(world: World, media_type: str) -> None:
    """Powertools refused most with an exception the catch-all answered as a 500, and parsed
    forms and multipart (a multipart body without its boundary was a 500 too)."""
    from functions.assessment.handler import lambda_handler as assessment
    from functions.directory.handler import lambda_handler as directory

    for service, method, resource, user, params, body in requests(world):
        handler = {"assessment": assessment, "directory": directory}[service]
        headers = {"Content-Type": media_type}
        event = api_event(method, resource, params, body=body, claims=user.claims, headers=headers)
        response = handler(event, LambdaContext())
        problem = json.loads(response["body"])
        assert response["statusCode"] == 415, problem
        assert header(response, "Content-Type") == "application/problem+json"
        assert problem["type"] == "urn:nqms:problem:unsupported-media-type"
