"""Cursors a client crafts, alters or carries to another list are a 400 problem, never a 500.

Before cursors were signed, a cursor was base64 JSON of a digest of a guessable scope and an
unchecked position: these are the cursors a hostile client made from that, plus real cursors
carried to another list or another caller.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from shared import keys
from shared.store.pagination import encode_cursor
from tests.integration.test_assessment import World, call, open_cycle, world
from tests.integration.test_directory import call as directory_call
from tests.support.lambdas import User, header

__all__ = ["world"]  # the fixture, imported to be used here

INVALID = "The `next` cursor is not valid for this list; start again without it."


def crafted(scope: str, position: Any) -> str:
    """A cursor in the unsigned format, with the scope's digest computed as the server did."""
    digest = hashlib.sha256(scope.encode()).hexdigest()[:16]
    raw = json.dumps({"s": digest, "p": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def assert_invalid_cursor(result: tuple[int, Any, dict[str, Any]]) -> None:
    status, problem, response = result
    assert status == 400, problem
    assert header(response, "Content-Type") == "application/problem+json"
    assert problem["type"] == "urn:nqms:problem:bad-request"
    assert problem["detail"] == INVALID


def list_programs(user: User, cursor: str, **query: str) -> tuple[int, Any, dict[str, Any]]:
    return directory_call("GET", "/programs", user, query={"next": cursor, **query})


def list_cycles(user: User, program_id: str, cursor: str) -> tuple[int, Any, dict[str, Any]]:
    params = {"programId": program_id}
    return call("GET", "/programs/{programId}/cycles", user, params, query={"next": cursor})


def a_real_programs_cursor(user: User) -> str:
    status, page, _ = directory_call("GET", "/programs", user, query={"limit": "1"})
    assert status == 200, page
    assert page["next"]
    return str(page["next"])


PROGRAM_POSITIONS = [
    {"source": "x"},  # was a ValueError
    {"source": []},  # TypeError
    {"source": -5},  # IndexError
    {"source": 0, "key": {"pk": "x"}},  # a start key DynamoDB refuses
    {"source": 0, "key": "x"},  # AttributeError
    {"source": 0, "key": {"pk": "A", "sk": "B", "gsi1pk": "C", "gsi1sk": "D", "x": "E"}},
]


@pytest.mark.parametrize("position", PROGRAM_POSITIONS)
def test_a_crafted_programs_cursor_is_a_400_problem(world: World, position: Any) -> None:
    scope = f"programs:{world.va_staff.sub}:*"
    assert_invalid_cursor(list_programs(world.va_staff, crafted(scope, position)))


CYCLE_POSITIONS = [
    {"pk": 1},
    {"pk": "x"},
    {"pk": "A", "sk": "B", "gsi1pk": ["C"], "gsi1sk": "D"},
    {"pk": "A", "sk": "B", "gsi1pk": "C", "gsi1sk": ""},
]


@pytest.mark.parametrize("position", CYCLE_POSITIONS)
def test_a_crafted_cycles_cursor_is_a_400_problem(world: World, position: Any) -> None:
    scope = keys.cycles_of_program_index_pk(world.program)
    assert_invalid_cursor(list_cycles(world.va_staff, world.program, crafted(scope, position)))


def test_a_real_cursor_altered_or_carried_elsewhere_is_a_400_problem(world: World) -> None:
    cursor = a_real_programs_cursor(world.va_staff)
    status, page, _ = list_programs(world.va_staff, cursor, limit="1")
    assert status == 200  # the real cursor pages on
    assert len(page["items"]) == 1
    body, signature = cursor.split(".")
    altered = body[:-1] + ("A" if body[-1] != "A" else "B") + "." + signature
    assert_invalid_cursor(list_programs(world.va_staff, altered))
    assert_invalid_cursor(list_programs(world.alice, cursor))  # another caller's
    assert_invalid_cursor(list_cycles(world.va_staff, world.program, cursor))  # another list


def test_a_cycles_cursor_of_one_program_is_refused_on_another(world: World) -> None:
    archived = open_cycle(world)["cycle_id"]
    call("POST", "/cycles/{cycleId}/archive", world.va_staff, {"cycleId": archived})
    open_cycle(world)
    params = {"programId": world.program}
    status, page, _ = call(
        "GET",
        "/programs/{programId}/cycles",
        world.va_staff,
        params,
        query={"limit": "1", "include_archived": "true"},
    )
    assert status == 200, page
    assert page["next"]
    assert_invalid_cursor(list_cycles(world.va_staff, world.other_program, page["next"]))


def test_affiliates_refuse_a_foreign_cursor_for_every_caller(world: World) -> None:
    cursor = a_real_programs_cursor(world.va_staff)
    for user in (world.va_staff, world.admin):
        result = directory_call("GET", "/affiliates", user, query={"next": cursor})
        assert_invalid_cursor(result)
    status, page, _ = directory_call("GET", "/affiliates", world.va_staff)
    assert status == 200
    assert len(page["items"]) == 1


def test_a_signed_programs_cursor_into_another_affiliates_programs_is_refused(
    world: World,
) -> None:
    # What a cursor from before the caller's affiliates changed looks like: source 0 is now
    # another affiliate than the one the start key belongs to.
    scope = f"programs:{world.va_staff.sub}:*"
    elsewhere = keys.programs_of_affiliate_index_pk("aff_somewhere_else")
    key = {"pk": "PROGRAM#p", "sk": "LINK", "gsi1pk": elsewhere, "gsi1sk": "x"}
    cursor = encode_cursor(scope, {"source": 0, "key": key})
    assert_invalid_cursor(list_programs(world.va_staff, cursor))
