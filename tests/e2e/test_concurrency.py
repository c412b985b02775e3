"""Several staff save the same answer at the same instant through the gateway: the functions
run in separate execution environments at once, and still exactly one save wins per version,
the others get 409 with the winner's answer, and nothing is lost."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from infra.local.http import ApiClient, ApiResponse
from tests.e2e.conftest import Session

VA_STAFF = "staff@mentor-va.example"
WRITERS = 8


def _program_with_staff(local: Session, count: int) -> tuple[str, list[ApiClient]]:
    va = local.as_user(VA_STAFF)
    suffix = uuid.uuid4().hex[:6]
    program_id = local.enroll_program(f"Piedmont Mentors {suffix}")
    staff = []
    for index in range(count):
        email = f"staff{index}.{suffix}@piedmont.example"
        invited = va.post(f"/programs/{program_id}/members", {"email": email, "name": email})
        assert invited.status == 201, invited.body
        staff.append(local.activate(email))
    return program_id, staff


def _all_at_once(calls: list[Any]) -> list[ApiResponse]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _assessment_function(local: Session) -> str:
    runtime = local.stack.runtime
    assert runtime is not None
    return next(
        f.logical_id
        for f in runtime.functions.values()
        if f.handler.startswith("functions.assessment.")
    )


def test_eight_staff_saving_one_answer_at_once_get_one_success_per_version(local: Session) -> None:
    program_id, staff = _program_with_staff(local, WRITERS)
    opened = local.as_user(VA_STAFF).post(f"/programs/{program_id}/cycles", {})
    assert opened.status == 201, opened.body
    cycle = f"/cycles/{opened.json['cycle_id']}"
    path = f"{cycle}/answers/A1"

    for version in (None, 1, 2):
        headers = {"If-Match": f'"{version}"'} if version else None
        notes = [f"writer {i} at version {version}" for i in range(WRITERS)]
        responses = _all_at_once(
            [
                lambda i=i, notes=notes, headers=headers: staff[i].request(
                    "PUT", path, {"in_practice": "yes", "rating": 3, "notes": notes[i]}, headers
                )
                for i in range(WRITERS)
            ]
        )
        statuses = sorted(r.status for r in responses)
        assert statuses == [200] + [409] * (WRITERS - 1), [r.body for r in responses]
        winner = next(r for r in responses if r.status == 200)
        saved_version = (version or 0) + 1
        assert winner.header("ETag") == f'"{saved_version}"'
        for refused in (r for r in responses if r.status == 409):
            assert refused.content_type == "application/problem+json"
            assert refused.json["current"]["notes"] == winner.json["notes"]
        assessment = staff[0].get(f"{cycle}/answers")
        assert assessment.status == 200, assessment.body
        stored = next(i["answer"] for i in assessment.json["items"] if i["code"] == "A1")
        assert stored["version"] == saved_version
        assert stored["notes"] == winner.json["notes"]  # the winner's save is what is kept

    runtime = local.stack.runtime
    assert runtime is not None
    assert runtime.environments(_assessment_function(local)) > 1  # they really ran at once
