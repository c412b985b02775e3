"""The contract client generators read: tags in the order of the cycle, the response headers
the API sends, and the check that holds every tested response to the document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scripts.openapi import TAGS
from tests.support.contract import ContractBroken, check

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT: dict[str, Any] = json.loads((ROOT / "openapi.json").read_text())
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
]
CYCLE_ORDER = [
    "directory",
    "instruments",
    "cycles",
    "answers",
    "evidence",
    "review",
    "plan",
    "reports",
    "badges",
    "notify",
]


def test_tags_follow_the_cycle_and_each_says_what_it_covers() -> None:
    assert [t["name"] for t in DOCUMENT["tags"]] == CYCLE_ORDER == [name for name, _ in TAGS]
    assert all(len(t["description"]) > 40 for t in DOCUMENT["tags"])
    used = {tag for _, _, operation in OPERATIONS for tag in operation["tags"]}
    assert used == set(CYCLE_ORDER)  # no tag without operations, no operation untagged
    assert all(len(operation["tags"]) == 1 for _, _, operation in OPERATIONS)


def test_every_create_with_a_location_and_every_versioned_write_with_an_etag() -> None:
    located = {
        op["operationId"]
        for _, _, op in OPERATIONS
        if "Location" in op["responses"].get("201", {}).get("headers", {})
    }
    tagged = {
        op["operationId"]
        for _, _, op in OPERATIONS
        for status, response in op["responses"].items()
        if status.startswith("2") and "ETag" in response.get("headers", {})
    }
    assert located == {
        "createAffiliate",
        "inviteAffiliateStaff",
        "enrollProgram",
        "inviteProgramMember",
        "publishInstrument",
        "openCycle",
        "createEvidenceUpload",
    }
    assert tagged == {
        "saveAnswer",
        "reviewItem",
        "savePlanText",
        "addGoal",
        "updateGoal",
        "updateProgram",
    }


def test_every_operation_documents_the_busy_answer_with_retry_after() -> None:
    for method, path, operation in OPERATIONS:
        busy = operation["responses"]["503"]
        assert "application/problem+json" in busy["content"], (method, path)
        assert busy["headers"]["Retry-After"]["required"] is True, (method, path)
        assert busy["headers"]["Retry-After"]["schema"]["type"] == "integer"


ADD_GOAL = "/cycles/{cycleId}/plan/goals"


def test_a_success_the_contract_does_not_document_breaks_it() -> None:
    check("POST", ADD_GOAL, 201, {"ETag": '"1"'})  # as documented
    with pytest.raises(ContractBroken, match="answered 200"):
        check("POST", ADD_GOAL, 200, {"ETag": '"1"'})  # main's contract said 200, code 201
    with pytest.raises(ContractBroken, match="did not send"):
        check("POST", ADD_GOAL, 201, {})
    with pytest.raises(ContractBroken, match=r"not in openapi\.json"):
        check("GET", "/programs/{programId}", 200, {"Location": "/programs/x"})
    check("GET", "/programs/{programId}", 404, {})  # an error status: documented
    check("GET", "/not/a/route", 200, {})  # a test's own handler: not the contract's
