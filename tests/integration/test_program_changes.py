"""A program's public name and contact change (PATCH /programs/{programId}, versioned): from
that answer on, the program, its affiliate's list, the review queue's copy, the badge's verify
page and image and the partner directory all show the new name."""

from __future__ import annotations

import json
from typing import Any

from shared import keys
from shared.adapters.table import default_table
from tests.integration.test_assessment import World, world
from tests.integration.test_badge_issuer import issuer
from tests.integration.test_badge_verify import get, step1, verify
from tests.integration.test_plan import cycle_id
from tests.integration.test_quality_directory import names
from tests.support.lambdas import User, header, invoke, outbox_events

__all__ = ["cycle_id", "issuer", "step1", "world"]  # fixtures, imported to be used here

PROGRAM = "/programs/{programId}"


def call(
    method: str, resource: str, user: User, params: dict[str, str], **kw: Any
) -> tuple[int, Any, dict[str, Any]]:
    from functions.directory.handler import lambda_handler

    return invoke(lambda_handler, method, resource, user, params, **kw)


def test_a_new_name_shows_everywhere_the_program_is_shown(
    world: World, step1: dict[str, Any]
) -> None:
    params = {"programId": world.program}
    _, before, _ = call("GET", PROGRAM, world.alice, params)
    new_name = "Big Futures Mentoring of Richmond"

    status, saved, response = call(
        "PATCH",
        PROGRAM,
        world.alice,
        params,
        body={"name": new_name},
        headers={"If-Match": f'"{before["version"]}"'},
    )

    assert status == 200, saved
    assert (saved["name"], saved["version"]) == (new_name, before["version"] + 1)
    assert header(response, "ETag") == f'"{saved["version"]}"'
    assert saved["contact"] == before["contact"]  # only the fields sent change
    _, listed, _ = call("GET", "/programs", world.va_staff, {})
    assert new_name in [p["name"] for p in listed["items"]]
    assert "Big Futures" not in [p["name"] for p in listed["items"]]
    shown = json.loads(verify(step1["verify_token"])["body"])
    assert shown["program_name"] == new_name
    image = get(
        f"/badges/{step1['badge_id']}/image.svg",
        "/badges/{badgeId}/image.svg",
        {"badgeId": step1["badge_id"]},
    )
    assert "Mentoring of Richmond" in image["body"]
    assert names() == [new_name]
    cycle = default_table().get(keys.cycle(step1["cycle_id"]))
    assert cycle is not None
    assert cycle["program_name"] == new_name  # the review queue's copy
    [event] = outbox_events("ProgramUpdated")
    assert event["data"] == {
        "program_id": world.program,
        "version": saved["version"],
        "changed": ["name"],
    }
    assert new_name not in json.dumps(event)  # thin: names are read from the table


def test_a_stale_change_is_a_409_with_the_current_program(world: World) -> None:
    params = {"programId": world.program}
    _, before, _ = call("GET", PROGRAM, world.alice, params)
    contact = {"name": "Sam Ortiz", "email": "sam@bigfutures.example"}
    first, _, _ = call(
        "PATCH",
        PROGRAM,
        world.alice,
        params,
        body={"contact": contact, "version": before["version"]},
    )
    late, problem, _ = call(
        "PATCH",
        PROGRAM,
        world.bob,
        params,
        body={"name": "Bob's name", "version": before["version"]},
    )
    unversioned, missing, _ = call("PATCH", PROGRAM, world.bob, params, body={"name": "X"})
    empty, nothing, _ = call("PATCH", PROGRAM, world.bob, params, body={"version": 2})

    assert first == 200
    assert late == 409, problem
    assert problem["current"]["contact"] == {**contact, "phone": None}
    assert problem["current"]["name"] == before["name"]
    assert (unversioned, missing["field"]) == (400, "If-Match")
    assert empty == 400, nothing
    _, after, _ = call("GET", PROGRAM, world.alice, params)
    assert (after["name"], after["contact"]) == (before["name"], {**contact, "phone": None})


def test_who_may_change_a_program(world: World) -> None:
    params = {"programId": world.program}
    _, before, _ = call("GET", PROGRAM, world.alice, params)
    body = {"name": "Renamed", "version": before["version"]}

    other_program = call("PATCH", PROGRAM, world.carol, params, body=body)[0]
    other_affiliate = call("PATCH", PROGRAM, world.ne_staff, params, body=body)[0]
    serving_affiliate = call("PATCH", PROGRAM, world.va_staff, params, body=body)[0]

    assert (other_program, other_affiliate) == (404, 404)
    assert serving_affiliate == 200
