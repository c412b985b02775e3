"""A bounded schema-driven fuzzer: every operation of ``openapi.json``, as three roles.

Schemathesis generates requests from the committed document (valid ones and, in negative
mode, invalid ones) and sends each one as program staff, affiliate staff and national staff
to the local stack over HTTP. Every answer must be no 5xx, a documented status, with a
documented content type and a body that conforms to its schema; an invalid request must be
refused. Most generated ids are swapped for real ones (demo data plus a cycle and a document
made here), so the success bodies are checked too, not only 404s.

Bounded: ``FUZZ_EXAMPLES`` cases per operation (default 8), a fixed seed (``FUZZ_SEED``) so
that ``make test`` is reproducible; a failure prints the request to replay it. Undeclared
HTTP methods are left out: API Gateway answers those, not our functions.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis import Case, Response
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from infra.local.identity import login
from tests.e2e.conftest import Session

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
SEED = int(os.environ.get("FUZZ_SEED", "20261123"))
#: Schemathesis' coverage phase too: boundary values, missing and undeclared parts (such as
#: an undeclared request media type). Thorough but about three times longer, so opt-in.
COVERAGE = os.environ.get("FUZZ_COVERAGE", "") not in ("", "0")
ROLES = {
    "program staff": "coordinator@richmond-mentoring.example",
    "affiliate staff": "staff@mentor-va.example",
    "national staff": "admin@mentor-national.example",
}


def no_content_is_no_content(ctx: Any, response: Response, case: Case[Any]) -> bool | None:
    """A 204 has no body and so no media type (a client would try to parse one)."""
    if response.status_code != 204:
        return None
    content_type = response.headers.get("content-type")
    if response.content or content_type:
        raise AssertionError(
            f"204 with a body or Content-Type {content_type}: {response.content!r}"
        )
    return True


CHECKS = [
    no_content_is_no_content,
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,  # a request that breaks the schema gets a 4xx, not a success
]

config = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "suppress-health-check": ["all"],
        "phases": {
            "coverage": {"enabled": COVERAGE, "unexpected-methods": []},
            "stateful": {"enabled": False},
        },
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "database": "none",
            "with-security-parameters": False,
        },
    }
)
schema = schemathesis.openapi.from_path(ROOT / "openapi.json", config=config)


@dataclass
class Target:
    base_url: str
    tokens: dict[str, str]
    real: dict[str, list[str]]  # parameter name -> ids that exist
    session: requests.Session
    seen: list[tuple[str, str, int]] = field(default_factory=list)


@pytest.fixture(scope="module")
def target(local: Session) -> Iterator[Target]:
    stack = local.stack
    assert stack.clients is not None
    password = stack.options.demo_password
    tokens = {
        role: login(stack.clients, stack.info.user_pool_client_id, email, password)
        for role, email in ROLES.items()
    }
    richmond = local.demo_id("programs", "richmond")
    opened = local.as_user(ROLES["affiliate staff"]).post(
        f"/programs/{richmond}/cycles",
        {"readiness_override_reason": "Fuzzing needs a cycle to read and write."},
    )
    assert opened.status == 201, opened.body
    upload = local.as_user(ROLES["program staff"]).post(
        f"/programs/{richmond}/evidence",
        {"filename": "handbook.pdf", "content_type": "application/pdf", "size_bytes": 1000},
    )
    assert upload.status == 201, upload.body
    programs = [richmond, local.demo_id("programs", "omaha")]
    real = {
        "programId": programs,
        "affiliateId": [local.demo_id("affiliates", "va"), local.demo_id("affiliates", "ne")],
        "cycleId": [str(opened.json["cycle_id"])],
        "with": [str(opened.json["cycle_id"])],
        "documentId": [str(upload.json["document_id"])],
        "itemCode": ["A1", "B6"],
    }
    with requests.Session() as session:
        yield Target(stack.info.api_url, tokens, real, session)


def _use_real_ids(case: Case[Any], real: dict[str, list[str]]) -> None:
    """Most well-formed generated ids become ids that exist (chosen by the generated value,
    so the choice is as reproducible as the case); malformed ones are left to get their 422."""
    for container in (case.path_parameters, case.query):
        if not container:
            continue
        for name, value in list(container.items()):
            choices = real.get(name)
            if not choices or not isinstance(value, str):
                continue
            well_formed = name == "itemCode" or re.fullmatch(r"[a-z]{3}_[0-9a-f]{20}", value)
            digest = sum(value.encode())
            if well_formed and digest % 4:
                container[name] = choices[digest % len(choices)]


@schema.parametrize()
def test_every_answer_is_documented_and_conforms(case: Case[Any], target: Target) -> None:
    _use_real_ids(case, target.real)
    for role, token in target.tokens.items():
        headers: dict[str, Any] = {"Authorization": f"Bearer {token}"}
        try:
            response = case.call_and_validate(
                base_url=target.base_url,
                session=target.session,
                headers=headers,
                checks=CHECKS,
                timeout=30,
            )
        except Exception as error:
            error.add_note(f"as {role}")
            raise
        target.seen.append((case.operation.label, role, response.status_code))


def test_the_fuzzer_reached_success_bodies_as_every_role(target: Target) -> None:
    """Guards the fuzzer itself: with a broken token or no real ids every answer would be a
    401 or 404 and no success body would ever be checked."""
    succeeded = {(operation, role) for operation, role, status in target.seen if status < 300}
    assert {role for _, role in succeeded} == set(ROLES)
    assert len({operation for operation, _ in succeeded}) >= 10, sorted(succeeded)


def test_a_204_has_no_body_and_no_content_type(local: Session, target: Target) -> None:
    program = local.demo_id("programs", "richmond")
    coordinator = local.as_user(ROLES["program staff"])
    upload = coordinator.post(
        f"/programs/{program}/evidence",
        {"filename": "old.pdf", "content_type": "application/pdf", "size_bytes": 10},
    )
    assert upload.status == 201, upload.body
    url = f"{target.base_url}/programs/{program}/evidence/{upload.json['document_id']}"
    token = target.tokens["program staff"]
    deleted = requests.delete(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert "Content-Type" not in deleted.headers
