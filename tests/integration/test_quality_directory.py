"""The partner directory: programs holding a valid badge, public, by name, filtered by
affiliate and state; a program appears once with its highest valid badge and leaves the
directory when its badges are revoked or expire (not while its renewal is in progress)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from functions.badge import listing
from functions.badge.records import StoredBadge
from shared import keys
from shared.adapters.table import default_table
from tests.integration.test_assessment import World, world
from tests.integration.test_assessment import call as assessment_call
from tests.integration.test_badge_expiry import run_job
from tests.integration.test_badge_issuer import badges, deliver, issuer, verify_three
from tests.integration.test_badge_verify import step1, verify
from tests.integration.test_plan import cycle_id
from tests.support.clocks import as_of
from tests.support.lambdas import invoke, outbox_events

__all__ = ["cycle_id", "issuer", "step1", "world"]  # fixtures, imported to be used here

WHERE = "/directory/quality-programs"


def directory(**params: str) -> dict[str, Any]:
    from functions.badge.handler import lambda_handler

    status, body, _ = invoke(lambda_handler, "GET", WHERE, None, {}, query=params)
    assert status == 200, body
    return body


def names(**params: str) -> list[str]:
    return [row["program_name"] for row in directory(**params)["items"]]


def test_a_partner_finds_the_program_with_no_login_and_sees_only_its_public_face(
    world: World, step1: dict[str, Any]
) -> None:
    (row,) = directory()["items"]
    assert row == {
        "program_name": "Big Futures",
        "affiliate_id": step1["affiliate_id"],
        "affiliate_name": step1["affiliate_name"],
        "state": "VA",
        "level": "step1",
        "level_name": "Initiated in NQMS",
        "valid_until": step1["valid_until"],
        "verify_url": row["verify_url"],
    }
    token = row["verify_url"].rsplit("/", 1)[1]
    assert json.loads(verify(token)["body"])["status"] == "active"
    assert names(affiliateId=step1["affiliate_id"]) == ["Big Futures"]
    assert names(state="VA") == ["Big Futures"]
    assert names(affiliateId=step1["affiliate_id"], state="VA") == ["Big Futures"]
    assert names(affiliateId=step1["affiliate_id"], state="NE") == []
    assert names(state="NE") == []
    assert names(affiliateId="aff_" + "0" * 20) == []  # an affiliate serving no listed program


def test_bad_filters_and_cursors_are_clear_problems(step1: dict[str, Any]) -> None:
    from functions.badge.handler import lambda_handler

    for query in ({"state": "Virginia"}, {"affiliateId": "VA"}, {"limit": "0"}):
        status, problem, _ = invoke(lambda_handler, "GET", WHERE, None, {}, query=query)
        assert status == 422, (query, problem)
    status, problem, _ = invoke(lambda_handler, "GET", WHERE, None, {}, query={"next": "x.y"})
    assert status == 400, problem


def test_one_row_per_program_with_its_highest_level_until_revoked(
    world: World, cycle_id: str, issuer: None
) -> None:
    from functions.badge.handler import lambda_handler
    from tests.integration.test_plan import finalized

    goal_ids = finalized(world, cycle_id)
    verify_three(world, cycle_id, goal_ids)
    deliver(*outbox_events("PlanFinalized"), *outbox_events("GoalVerified"))
    held = badges(cycle_id)
    (row,) = directory()["items"]
    assert (row["level"], row["level_name"]) == ("step2", "Progressing in NQMS")

    body = {"reason": "Found to have misstated its training hours."}
    for level in ("step2", "step1"):
        params = {"badgeId": held[level]["badge_id"]}
        status, done, _ = invoke(
            lambda_handler, "POST", "/badges/{badgeId}/revoke", world.va_staff, params, body=body
        )
        assert status == 200, done
        after = directory()["items"]
        assert [r["level"] for r in after] == (["step1"] if level == "step2" else [])
    assert names(state="VA") == []


def test_an_expired_badge_leaves_the_directory_a_renewing_one_stays(
    world: World, step1: dict[str, Any]
) -> None:
    until = date.fromisoformat(step1["valid_until"])
    program = {"programId": world.program}
    status, opened, _ = assessment_call(
        "POST", "/programs/{programId}/cycles", world.va_staff, program, body={}
    )
    assert status == 201, opened
    run_job(until + timedelta(days=1))
    with as_of(until + timedelta(days=1)):
        assert names() == ["Big Futures"]  # renewal in progress: still valid
    # The new cycle is archived: the badge is past its date with nothing renewing it; the
    # directory stops showing it at once, and the job marks it expired on its next run.
    status, archived, _ = assessment_call(
        "POST",
        "/cycles/{cycleId}/archive",
        world.va_staff,
        {"cycleId": opened["cycle_id"]},
    )
    assert status == 200, archived
    with as_of(until + timedelta(days=2)):
        assert names() == []


def test_the_job_expiring_a_badge_takes_it_out_of_every_filter(step1: dict[str, Any]) -> None:
    until = date.fromisoformat(step1["valid_until"])
    assert run_job(until + timedelta(days=1))["expired"] == 1
    for query in ({}, {"state": "VA"}, {"affiliateId": step1["affiliate_id"]}):
        assert directory(**query)["items"] == []
    listed = default_table().query_all(f"LISTING#{step1['program_id']}")
    assert listed
    assert not any("gsi1pk" in row for row in listed)


def test_pages_follow_program_names_case_insensitively(aws_env: object) -> None:
    table = default_table()
    until = (date.today() + timedelta(days=400)).isoformat()
    for n, name in enumerate(["delta Mentors", "Alpha Youth", "Charlie Kids"]):
        badge = StoredBadge.from_item(
            {
                "badge_id": f"bdg_{n:020d}",
                "level": "step1",
                "program_id": f"prg_{n}",
                "program_name": name,
                "affiliate_id": "aff_x",
                "affiliate_ids": ["aff_x"],
                "affiliate_name": "MENTOR X",
                "state": "VA",
                "cycle_id": f"cyc_{n}",
                "issued_at": "2026-01-05T10:00:00Z",
                "valid_from": "2026-01-05",
                "valid_until": until,
                "verify_token": f"t{n}.p.s",
            }
        )
        uow = table.unit_of_work()
        listing.keep_listed(uow, f"prg_{n}", [badge])
        uow.commit()
    first = directory(limit="2")
    assert [r["program_name"] for r in first["items"]] == ["Alpha Youth", "Charlie Kids"]
    rest = directory(limit="2", next=first["next"])
    assert [r["program_name"] for r in rest["items"]] == ["delta Mentors"]
    # A cursor is for the list it came from.
    from functions.badge.handler import lambda_handler

    query = {"state": "VA", "next": first["next"]}
    assert invoke(lambda_handler, "GET", WHERE, None, {}, query=query)[0] == 400
    assert table.get(keys.quality_listing("prg_0", keys.LISTED_EVERYWHERE)) is not None
