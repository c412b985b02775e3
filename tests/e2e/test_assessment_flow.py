"""The self-assessment through the gateway: two colleagues answer all 92 items, one stale save
is refused without losing anything, readiness empties, a retried submission submits once, and
outsiders see nothing."""

from __future__ import annotations

import uuid
from typing import Any

from infra.local.http import ApiClient
from tests.e2e.conftest import Session
from tests.e2e.journeys import program_with_staff

VA_STAFF = "staff@mentor-va.example"
NE_STAFF = "staff@mentor-ne.example"
RICHMOND_STAFF = "coordinator@richmond-mentoring.example"


def _program_with_two_staff(local: Session) -> tuple[str, ApiClient, ApiClient]:
    program_id, (ana, ben) = program_with_staff(local, "Blue Ridge Mentors", "ana", "ben")
    return program_id, ana, ben


def _put(client: ApiClient, path: str, body: Any, if_match: str | None = None) -> Any:
    headers = {"If-Match": if_match} if if_match else None
    return client.request("PUT", path, body, headers)


def test_two_colleagues_complete_and_submit_an_assessment(local: Session) -> None:
    program_id, ana, ben = _program_with_two_staff(local)
    opened = local.as_user(VA_STAFF).post(f"/programs/{program_id}/cycles", {})
    assert opened.status == 201, opened.body
    cycle_id = opened.json["cycle_id"]
    codes = [item["code"] for item in ana.get("/instruments/1").json["items"]]
    assert len(codes) == 92

    # A malformed answer: 422 naming the field.
    bad = _put(ana, f"/cycles/{cycle_id}/answers/{codes[0]}", {"in_practice": "yes"})
    assert bad.status == 422
    assert bad.content_type == "application/problem+json"
    assert "body.rating" in [e["field"] for e in bad.json["errors"]]

    # Ana takes the first half, Ben the second.
    for index, code in enumerate(codes):
        writer = ana if index < 46 else ben
        saved = _put(writer, f"/cycles/{cycle_id}/answers/{code}", {"in_practice": "no"})
        assert saved.status == 200, (code, saved.body)

    # Both read A1 at version 1; Ana saves first, Ben's stale save is refused.
    path = f"/cycles/{cycle_id}/answers/{codes[0]}"
    ana_saved = _put(ana, path, {"in_practice": "yes", "rating": 4}, if_match='"1"')
    assert ana_saved.status == 200
    assert ana_saved.header("ETag") == '"2"'
    stale = _put(ben, path, {"in_practice": "yes", "rating": 1}, if_match='"1"')
    assert stale.status == 409
    assert stale.json["current"]["rating"] == 4

    assessment = ben.get(f"/cycles/{cycle_id}/answers").json
    assert assessment["progress"]["answered"] == 92
    assert assessment["progress"]["resume_at"] is None
    assert assessment["items"][0]["answer"]["rating"] == 4  # nothing Ana saved was lost
    assert ana.get(f"/cycles/{cycle_id}/readiness").json == {"ready": True, "blockers": []}

    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = ana.request("POST", f"/cycles/{cycle_id}/submit", None, key)
    second = ben.request("POST", f"/cycles/{cycle_id}/submit", None, key)
    retried = ana.request("POST", f"/cycles/{cycle_id}/submit", None, key)
    assert first.status == 200, first.body
    assert first.json["state"] == "submitted"
    assert retried.status == 200
    assert retried.json == first.json
    assert second.status == 409  # Ben's key is his own: the cycle is already submitted
    submitted = local.wait_for_events(
        lambda e: e["detail-type"] == "AssessmentSubmitted" and e["detail"]["cycle_id"] == cycle_id
    )
    # The stale save above was a cancelled transaction: events still flow after one.
    assert len(submitted) == 1
    late = _put(ana, path, {"in_practice": "no"}, if_match='"2"')
    assert late.status == 409
    assert late.json["current_state"] == "submitted"

    # Staff of another program and of another affiliate: 404 on every URL of the cycle.
    for outsider in (local.as_user(RICHMOND_STAFF), local.as_user(NE_STAFF)):
        for method, url, body in [
            ("GET", f"/cycles/{cycle_id}", None),
            ("GET", f"/cycles/{cycle_id}/answers", None),
            ("PUT", f"/cycles/{cycle_id}/answers/{codes[1]}", {"in_practice": "no"}),
            ("GET", f"/cycles/{cycle_id}/readiness", None),
            ("POST", f"/cycles/{cycle_id}/submit", None),
            ("GET", f"/programs/{program_id}/cycles", None),
        ]:
            response = outsider.request(method, url, body)
            assert response.status == 404, (method, url, response.body)
            assert response.content_type == "application/problem+json"
