"""Offboarding and corrections over HTTP: a removed member's very next request, with the same
token, is answered as for anyone outside the program, and its session can no longer be
refreshed; a renamed program's badge and listing show the new name. Each function runs under
its table policy (the local stack's guard), as in AWS."""

from __future__ import annotations

import uuid

from tests.e2e.conftest import Session
from tests.e2e.journeys import finalized_plan, program_with_staff, review_completed_cycle

VA_STAFF = "staff@mentor-va.example"


def test_a_removed_member_gets_404_with_the_same_token(local: Session) -> None:
    va = local.as_user(VA_STAFF)
    suffix = uuid.uuid4().hex[:6]
    program_id = local.enroll_program(f"Shenandoah Mentors {suffix}")
    emails = [f"{who}.{suffix}@shenandoah.example" for who in ("erin", "finn")]
    for email in emails:
        invited = va.post(f"/programs/{program_id}/members", {"email": email, "name": "Staff"})
        assert invited.status == 201, invited.body
    erin, finn = (local.activate(email) for email in emails)
    finn_id = finn.get("/me").json["user_id"]
    assert finn.get(f"/programs/{program_id}").status == 200
    refresh_token = _session(local, emails[1])
    assert _refreshes(local, refresh_token)

    removed = erin.request("DELETE", f"/programs/{program_id}/members/{finn_id}")

    assert removed.status == 204, removed.body
    after = finn.get(f"/programs/{program_id}")  # the token finn had before
    assert after.status == 404, after.body
    assert finn.get(f"/programs/{program_id}/members").status == 404
    assert finn.get("/me").json["memberships"] == []
    assert not _refreshes(local, refresh_token)  # signed out in the user pool
    listed = erin.get(f"/programs/{program_id}/members").json["items"]
    assert [m["email"] for m in listed] == [emails[0]]
    events = local.wait_for_events(
        lambda e: (
            e.get("detail-type") == "MemberRemoved" and e["detail"]["data"]["user_id"] == finn_id
        )
    )
    assert len(events) == 1


def _session(local: Session, email: str) -> str:
    """A sign-in of ``email`` (a browser's session): its refresh token."""
    clients = local.stack.clients
    assert clients is not None
    result = clients.cognito().initiate_auth(
        ClientId=local.stack.info.user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": local.stack.options.demo_password},
    )
    return str(result["AuthenticationResult"]["RefreshToken"])


def _refreshes(local: Session, refresh_token: str) -> bool:
    clients = local.stack.clients
    assert clients is not None
    try:
        clients.cognito().initiate_auth(
            ClientId=local.stack.info.user_pool_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except clients.cognito().exceptions.NotAuthorizedException:
        return False
    return True


def test_a_renamed_program_shows_its_new_name_on_its_badge_and_in_the_directory(
    local: Session,
) -> None:
    program_id, (ana,) = program_with_staff(local, "Rappahannock Mentors", "ana")
    cycle_id = review_completed_cycle(local, program_id, ana)
    finalized_plan(local, cycle_id, ana, "Raise")
    issued = local.wait_for_events(
        lambda e: e["detail-type"] == "BadgeIssued" and e["detail"]["cycle_id"] == cycle_id
    )
    assert len(issued) == 1
    [badge] = ana.get(f"/programs/{program_id}/badges").json["items"]
    version = ana.get(f"/programs/{program_id}").json["version"]
    new_name = f"Rappahannock River Mentors {uuid.uuid4().hex[:6]}"

    renamed = ana.request(
        "PATCH", f"/programs/{program_id}", {"name": new_name}, {"If-Match": f'"{version}"'}
    )

    assert renamed.status == 200, renamed.body
    token = badge["verify_url"].rsplit("/", 1)[1]
    assert local.anonymous.get(f"/verify/{token}").json["program_name"] == new_name
    listed = local.anonymous.get("/directory/quality-programs?limit=100").json["items"]
    assert new_name in [row["program_name"] for row in listed]
    programs = local.as_user(VA_STAFF).get("/programs?limit=100").json["items"]
    assert new_name in [p["name"] for p in programs]
