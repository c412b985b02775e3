"""Directory API through its Lambda handler, with real REST proxy events, AWS mocked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from functions.directory.bootstrap import create_national_admin
from tests.support import aws as support
from tests.support.lambdas import User, header, invoke, outbox_events, table_items


def call(
    method: str, resource: str, user: User | None, params: dict[str, str] | None = None, **kw: Any
) -> tuple[int, Any, dict[str, Any]]:
    from functions.directory.handler import lambda_handler

    return invoke(lambda_handler, method, resource, user, params, **kw)


AFFILIATE_VA = {
    "name": "MENTOR Virginia",
    "state": "VA",
    "time_zone": "America/New_York",
    "contact_email": "nqms@mentor-va.example",
}
AFFILIATE_NE = {
    "name": "MENTOR Nebraska",
    "state": "NE",
    "time_zone": "America/Chicago",
    "contact_email": "nqms@mentor-ne.example",
}


def program_body(affiliate_id: str, name: str = "Big Futures", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "contact": {
            "name": "Pat Lee",
            "email": "pat@bigfutures.example",
            "phone": "+1 804 555 0100",
        },
        "matching_since": "2020-09-01",
        "primary_affiliate_id": affiliate_id,
        **extra,
    }


@dataclass
class World:
    admin: User
    va: str
    ne: str
    va_staff: User
    ne_staff: User


@pytest.fixture
def world(aws_env: support.Resources) -> World:
    admin_sub = create_national_admin("admin@mentor.example", "Ada Admin")
    admin = User(admin_sub, "admin@mentor.example", ["national-staff"])
    _, va, _ = call("POST", "/affiliates", admin, body=AFFILIATE_VA)
    _, ne, _ = call("POST", "/affiliates", admin, body=AFFILIATE_NE)
    status, va_member, _ = call(
        "POST",
        "/affiliates/{affiliateId}/members",
        admin,
        {"affiliateId": va["affiliate_id"]},
        body={"email": "staff@mentor-va.example", "name": "Val Staff"},
    )
    assert status == 201, va_member
    _, ne_member, _ = call(
        "POST",
        "/affiliates/{affiliateId}/members",
        admin,
        {"affiliateId": ne["affiliate_id"]},
        body={"email": "staff@mentor-ne.example", "name": "Ned Staff"},
    )
    return World(
        admin=admin,
        va=va["affiliate_id"],
        ne=ne["affiliate_id"],
        va_staff=User(va_member["user_id"], "staff@mentor-va.example", ["affiliate-staff"]),
        ne_staff=User(ne_member["user_id"], "staff@mentor-ne.example", ["affiliate-staff"]),
    )


def test_affiliate_staff_enroll_a_program_and_see_it_listed(world: World, ddb: Any) -> None:
    status, program, response = call(
        "POST", "/programs", world.va_staff, body=program_body(world.va)
    )
    assert status == 201, program
    assert header(response, "Location") == f"/programs/{program['program_id']}"
    assert program["secondary_affiliate_ids"] == []

    status, listed, _ = call("GET", "/programs", world.va_staff)
    assert status == 200
    assert [p["program_id"] for p in listed["items"]] == [program["program_id"]]

    events = outbox_events("ProgramEnrolled")
    assert len(events) == 1
    assert events[0]["program_id"] == program["program_id"]
    assert events[0]["affiliate_ids"] == [world.va]
    assert "contact" not in json.dumps(events[0]["data"])  # thin: no contact details


def test_another_affiliates_staff_get_404_and_nothing_else(world: World) -> None:
    _, program, _ = call("POST", "/programs", world.va_staff, body=program_body(world.va))
    params = {"programId": program["program_id"]}

    status, body, response = call("GET", "/programs/{programId}", world.ne_staff, params)
    assert status == 404
    assert header(response, "Content-Type") == "application/problem+json"
    assert body["type"] == "urn:nqms:problem:not-found"
    assert program["name"] not in json.dumps(body)

    missing, _, _ = call(
        "GET", "/programs/{programId}", world.ne_staff, {"programId": "prg_" + "0" * 20}
    )
    assert missing == 404
    _, listed, _ = call("GET", "/programs", world.ne_staff)
    assert listed["items"] == []
    status, _, _ = call(
        "POST",
        "/programs/{programId}/members",
        world.ne_staff,
        params,
        body={"email": "intruder@example.org", "name": "Intruder"},
    )
    assert status == 404


def test_a_secondary_affiliate_sees_the_program_too(world: World) -> None:
    _, program, _ = call(
        "POST",
        "/programs",
        world.va_staff,
        body=program_body(world.va, secondary_affiliate_ids=[world.ne]),
    )
    status, seen, _ = call(
        "GET", "/programs/{programId}", world.ne_staff, {"programId": program["program_id"]}
    )
    assert status == 200
    assert seen["primary_affiliate_id"] == world.va


def test_staff_cannot_enroll_under_an_affiliate_they_do_not_belong_to(world: World) -> None:
    status, body, _ = call("POST", "/programs", world.ne_staff, body=program_body(world.va))
    assert status == 404
    assert body["detail"] == "Affiliate not found."


def test_program_staff_see_only_their_own_program(world: World) -> None:
    _, mine, _ = call("POST", "/programs", world.va_staff, body=program_body(world.va, name="Mine"))
    _, other, _ = call(
        "POST", "/programs", world.va_staff, body=program_body(world.va, name="Other")
    )
    status, member, _ = call(
        "POST",
        "/programs/{programId}/members",
        world.va_staff,
        {"programId": mine["program_id"]},
        body={"email": "coord@mine.example", "name": "Coordinator"},
    )
    assert status == 201, member
    coordinator = User(member["user_id"], "coord@mine.example", ["program-staff"])

    _, listed, _ = call("GET", "/programs", coordinator)
    assert [p["name"] for p in listed["items"]] == ["Mine"]
    assert (
        call("GET", "/programs/{programId}", coordinator, {"programId": other["program_id"]})[0]
        == 404
    )
    assert (
        call("GET", "/programs/{programId}", coordinator, {"programId": mine["program_id"]})[0]
        == 200
    )


def _invite_to_program(inviter: User, program_id: str, email: str, name: str) -> Any:
    status, member, _ = call(
        "POST",
        "/programs/{programId}/members",
        inviter,
        {"programId": program_id},
        body={"email": email, "name": name},
    )
    assert status == 201, member
    return member


def _groups_of(aws_env: support.Resources, email: str) -> list[str]:
    cognito = boto3.client("cognito-idp", region_name="us-east-1")
    groups = cognito.admin_list_groups_for_user(UserPoolId=aws_env.user_pool_id, Username=email)
    return sorted(g["GroupName"] for g in groups["Groups"])


def _invitations(user: User) -> list[dict[str, Any]]:
    status, listed, _ = call("GET", "/me/invitations", user)
    assert status == 200, listed
    items: list[dict[str, Any]] = listed["items"]
    return items


def _settle(user: User, invitation_id: str, action: str) -> tuple[int, Any]:
    status, body, _ = call(
        "POST",
        f"/me/invitations/{{invitationId}}/{action}",
        user,
        {"invitationId": invitation_id},
    )
    return status, body


@pytest.fixture
def coordinator(world: World) -> tuple[User, str, str]:
    """A program coordinator (an account of its own) and a second program of VA."""
    _, first, _ = call(
        "POST", "/programs", world.va_staff, body=program_body(world.va, name="First")
    )
    _, second, _ = call(
        "POST", "/programs", world.va_staff, body=program_body(world.va, name="Second")
    )
    member = _invite_to_program(
        world.va_staff, first["program_id"], "coord@both.example", "Coordinator"
    )
    user = User(member["user_id"], "coord@both.example", ["program-staff"])
    return user, first["program_id"], second["program_id"]


def test_an_existing_account_is_not_a_member_until_it_accepts(
    world: World, coordinator: tuple[User, str, str]
) -> None:
    user, first, second = coordinator
    invited = _invite_to_program(world.va_staff, second, user.email, "Coordinator")
    assert invited["user_id"] == user.sub
    assert call("GET", "/programs/{programId}", user, {"programId": second})[0] == 404
    _, listed, _ = call("GET", "/programs", user)
    assert [p["program_id"] for p in listed["items"]] == [first]
    _, me, _ = call("GET", "/me", user)
    assert [m["scope_id"] for m in me["memberships"]] == [first]
    _, members, _ = call(
        "GET", "/programs/{programId}/members", world.va_staff, {"programId": second}
    )
    # Listed for the inviter as pending, so it can be followed up or withdrawn.
    assert [(m["user_id"], m["status"]) for m in members["items"]] == [(user.sub, "pending")]
    assert invited["status"] == "pending"
    _, mine, _ = call("GET", "/programs/{programId}/members", world.va_staff, {"programId": first})
    assert [m["status"] for m in mine["items"]] == ["active"]  # a new account joined at once
    assert second not in [e["data"]["scope_id"] for e in outbox_events("MemberInvited")]
    (created,) = outbox_events("InvitationCreated")
    assert created["program_id"] == second
    assert created["data"]["user_id"] == user.sub

    (invitation,) = _invitations(user)
    assert invitation["scope"] == "program"
    assert invitation["scope_id"] == second
    assert invitation["scope_name"] == "Second"
    assert invitation["role"] == "program-staff"
    assert invitation["status"] == "pending"


def test_accepting_makes_the_membership_effective_once(
    world: World, coordinator: tuple[User, str, str]
) -> None:
    user, first, second = coordinator
    _invite_to_program(world.va_staff, second, user.email, "Coordinator")
    (invitation,) = _invitations(user)

    status, accepted = _settle(user, invitation["invitation_id"], "accept")
    assert status == 200, accepted
    assert accepted["status"] == "accepted"
    assert call("GET", "/programs/{programId}", user, {"programId": second})[0] == 200
    _, me, _ = call("GET", "/me", user)
    assert sorted(m["scope_id"] for m in me["memberships"]) == sorted([first, second])
    _, members, _ = call(
        "GET", "/programs/{programId}/members", world.va_staff, {"programId": second}
    )
    assert [(m["user_id"], m["status"]) for m in members["items"]] == [(user.sub, "active")]
    assert _invitations(user) == []

    again, body = _settle(user, invitation["invitation_id"], "accept")
    assert again == 200, body
    assert body["status"] == "accepted"
    assert len(outbox_events("InvitationAccepted")) == 1
    audited = {
        (i["operation"]["S"], i["actor_id"]["S"])
        for i in table_items()
        if i["pk"]["S"].startswith(f"AUDIT#PROGRAM#{second}#")
    }
    assert audited >= {("inviteProgramMember", world.va_staff.sub), ("acceptInvitation", user.sub)}
    assert _settle(user, invitation["invitation_id"], "decline")[0] == 409
    reinvited, problem, _ = call(
        "POST",
        "/programs/{programId}/members",
        world.va_staff,
        {"programId": second},
        body={"email": user.email, "name": "Coordinator"},
    )
    assert reinvited == 409
    assert problem["type"] == "urn:nqms:problem:already-exists"


def test_an_affiliate_role_group_is_joined_only_on_accept(
    world: World, aws_env: support.Resources
) -> None:
    """Nebraska's staff invited to Virginia: no Virginia data, and no new group, until then."""
    status, invited, _ = call(
        "POST",
        "/affiliates/{affiliateId}/members",
        world.admin,
        {"affiliateId": world.va},
        body={"email": world.ne_staff.email, "name": "Ned Staff"},
    )
    assert status == 201, invited
    assert (
        call("GET", "/affiliates/{affiliateId}", world.ne_staff, {"affiliateId": world.va})[0]
        == 404
    )
    assert invited["status"] == "pending"

    # A program coordinator invited to staff an affiliate: the role group waits too.
    _, program, _ = call("POST", "/programs", world.va_staff, body=program_body(world.va))
    coord = _invite_to_program(world.va_staff, program["program_id"], "co@va.example", "Co")
    status, pending, _ = call(
        "POST",
        "/affiliates/{affiliateId}/members",
        world.admin,
        {"affiliateId": world.va},
        body={"email": "co@va.example", "name": "Co"},
    )
    assert _groups_of(aws_env, "co@va.example") == ["program-staff"]
    assert pending["status"] == "pending"
    user = User(coord["user_id"], "co@va.example", ["program-staff"])
    (invitation,) = _invitations(user)
    assert _settle(user, invitation["invitation_id"], "accept")[0] == 200
    assert _groups_of(aws_env, "co@va.example") == ["affiliate-staff", "program-staff"]
    # With the new group in its next token, the affiliate is theirs.
    user = User(coord["user_id"], "co@va.example", ["program-staff", "affiliate-staff"])
    assert call("GET", "/affiliates/{affiliateId}", user, {"affiliateId": world.va})[0] == 200


def test_declining_leaves_no_membership(world: World, coordinator: tuple[User, str, str]) -> None:
    user, _, second = coordinator
    _invite_to_program(world.va_staff, second, user.email, "Coordinator")
    (invitation,) = _invitations(user)

    status, declined = _settle(user, invitation["invitation_id"], "decline")
    assert status == 200, declined
    assert declined["status"] == "declined"
    assert _settle(user, invitation["invitation_id"], "decline")[0] == 200
    assert _settle(user, invitation["invitation_id"], "accept")[0] == 409
    assert call("GET", "/programs/{programId}", user, {"programId": second})[0] == 404
    assert _invitations(user) == []
    assert len(outbox_events("InvitationDeclined")) == 1
    _, members, _ = call(
        "GET", "/programs/{programId}/members", world.va_staff, {"programId": second}
    )
    assert members["items"] == []  # declined: no longer listed

    # Invited again later: a new pending invitation it may accept.
    _invite_to_program(world.va_staff, second, user.email, "Coordinator")
    (again,) = _invitations(user)
    assert again["invitation_id"] != invitation["invitation_id"]
    assert _settle(user, again["invitation_id"], "accept")[0] == 200
    assert call("GET", "/programs/{programId}", user, {"programId": second})[0] == 200


def test_nobody_else_can_accept_or_see_an_invitation(
    world: World, coordinator: tuple[User, str, str]
) -> None:
    user, _, second = coordinator
    _invite_to_program(world.va_staff, second, user.email, "Coordinator")
    (invitation,) = _invitations(user)

    for other in (world.va_staff, world.ne_staff, world.admin):
        assert _invitations(other) == []
        status, problem = _settle(other, invitation["invitation_id"], "accept")
        assert status == 404, problem
        assert problem["type"] == "urn:nqms:problem:not-found"
        assert _settle(other, invitation["invitation_id"], "decline")[0] == 404
    assert _settle(user, "inv_" + "0" * 20, "accept")[0] == 404
    assert call("GET", "/programs/{programId}", user, {"programId": second})[0] == 404
    assert _invitations(user)[0]["status"] == "pending"


def test_a_pending_invitation_is_withdrawn_by_removing_the_invited_person(
    world: World, coordinator: tuple[User, str, str]
) -> None:
    user, first, second = coordinator
    _invite_to_program(world.va_staff, second, user.email, "Coordinator")
    (invitation,) = _invitations(user)
    target = {"programId": second, "userId": user.sub}

    status, body, _ = call("DELETE", MEMBER, world.va_staff, target)

    assert status == 204, body
    assert _invitations(user) == []  # its holder no longer sees it
    assert _settle(user, invitation["invitation_id"], "accept")[0] == 404
    _, members, _ = call(
        "GET", "/programs/{programId}/members", world.va_staff, {"programId": second}
    )
    assert members["items"] == []
    assert call("GET", "/programs/{programId}", user, {"programId": first})[0] == 200  # kept
    audits = [
        i["target"]["S"]
        for i in table_items()
        if i["type"]["S"] == "audit" and i["operation"]["S"] == "removeProgramMember"
    ]
    assert audits == [f"invitation:{invitation['invitation_id']}"]
    assert outbox_events("MemberRemoved") == []
    again, problem, _ = call("DELETE", MEMBER, world.va_staff, target)
    assert (again, problem["type"]) == (404, "urn:nqms:problem:not-found")
    # Another affiliate's staff cannot withdraw it (nor learn it exists).
    _invite_to_program(world.va_staff, second, user.email, "Coordinator")
    assert call("DELETE", MEMBER, world.ne_staff, target)[0] == 404
    assert len(_invitations(user)) == 1


def test_a_pending_invitation_is_not_staff_for_the_last_member_rule(world: World) -> None:
    """Someone invited and not answered does not count as the colleague who remains."""
    _, program, _ = call("POST", "/programs", world.va_staff, body=program_body(world.va))
    params = {"programId": program["program_id"]}
    only = _invite_to_program(world.va_staff, program["program_id"], "one@bf.example", "One")
    _invite_to_program(world.va_staff, program["program_id"], world.ne_staff.email, "Ned")
    _, members, _ = call("GET", "/programs/{programId}/members", world.va_staff, params)
    assert sorted(m["status"] for m in members["items"]) == ["active", "pending"]

    refused, problem, _ = call(
        "DELETE", MEMBER, world.va_staff, {**params, "userId": only["user_id"]}
    )

    assert (refused, problem["type"]) == (409, "urn:nqms:problem:last-staff-member")


def test_inviting_twice_leaves_one_pending_invitation(
    world: World, coordinator: tuple[User, str, str]
) -> None:
    user, _, second = coordinator
    a = _invite_to_program(world.va_staff, second, user.email, "Coordinator")
    b = _invite_to_program(world.va_staff, second, user.email, "Coordinator")
    assert a == b
    assert len(_invitations(user)) == 1
    assert len(outbox_events("InvitationCreated")) == 1


def test_only_national_admins_create_affiliates(world: World) -> None:
    status, body, _ = call(
        "POST", "/affiliates", world.va_staff, body={**AFFILIATE_VA, "name": "X"}
    )
    assert status == 403
    assert body["type"] == "urn:nqms:problem:forbidden"
    duplicate, body, _ = call("POST", "/affiliates", world.admin, body=AFFILIATE_VA)
    assert duplicate == 409


def test_malformed_input_is_a_422_problem_naming_the_field(world: World) -> None:
    status, body, response = call(
        "POST",
        "/programs",
        world.va_staff,
        body={**program_body(world.va), "matching_since": "last spring", "unexpected": 1},
    )
    assert status == 422
    assert header(response, "Content-Type") == "application/problem+json"
    fields = {e["field"] for e in body["errors"]}
    assert "body.matching_since" in fields
    assert "body.unexpected" in fields


def test_a_future_matching_date_is_refused(world: World) -> None:
    status, body, _ = call(
        "POST",
        "/programs",
        world.va_staff,
        body=program_body(world.va, matching_since="2999-01-01"),
    )
    assert status == 422
    assert body["field"] == "body.matching_since"


def test_unknown_secondary_affiliate_is_refused_and_nothing_is_written(
    world: World, ddb: Any
) -> None:
    status, _, _ = call(
        "POST",
        "/programs",
        world.va_staff,
        body=program_body(world.va, secondary_affiliate_ids=["aff_" + "1" * 20]),
    )
    assert status == 422
    assert outbox_events("ProgramEnrolled") == []
    assert call("GET", "/programs", world.va_staff)[1]["items"] == []


def test_enrolling_twice_with_one_idempotency_key_enrolls_once(world: World, ddb: Any) -> None:
    headers = {"Idempotency-Key": "enroll-7f6c1b2e"}
    first = call("POST", "/programs", world.va_staff, body=program_body(world.va), headers=headers)
    second = call("POST", "/programs", world.va_staff, body=program_body(world.va), headers=headers)
    assert first[0] == second[0] == 201
    assert first[1] == second[1]
    assert len(outbox_events("ProgramEnrolled")) == 1
    reused = call(
        "POST",
        "/programs",
        world.va_staff,
        body=program_body(world.va, name="Other"),
        headers=headers,
    )
    assert reused[0] == 422
    assert reused[1]["type"] == "urn:nqms:problem:idempotency-key-reused"


def test_lists_page_with_an_opaque_cursor(world: World) -> None:
    for n in range(5):
        call("POST", "/programs", world.va_staff, body=program_body(world.va, name=f"Program {n}"))
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        query = {"limit": "2", **({"next": cursor} if cursor else {})}
        status, page, _ = call("GET", "/programs", world.va_staff, query=query)
        assert status == 200
        assert len(page["items"]) <= 2
        seen += [p["name"] for p in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == [f"Program {n}" for n in range(5)]
    status, _, _ = call("GET", "/programs", world.ne_staff, query={"next": "garbage"})
    assert status == 400


def test_no_token_is_401_problem(aws_env: support.Resources) -> None:
    status, _, response = call("GET", "/programs", None)
    assert status == 401
    assert header(response, "Content-Type") == "application/problem+json"


def test_me_shows_roles_and_memberships(world: World) -> None:
    status, me, _ = call("GET", "/me", world.va_staff)
    assert status == 200
    assert me["roles"] == ["affiliate-staff"]
    assert me["memberships"] == [{"scope": "affiliate", "scope_id": world.va, "grants": []}]


def test_an_affiliate_changes_its_settings_at_the_version_it_read(world: World) -> None:
    where, params = "/affiliates/{affiliateId}", {"affiliateId": world.va}
    status, read, _ = call("GET", where, world.va_staff, params)
    assert (status, read["renewal_grace_months"], read["version"]) == (200, 12, 1)

    change = {"renewal_grace_months": 6}
    status, problem, _ = call("PATCH", where, world.va_staff, params, body=change)
    assert status == 400, problem  # no version: which one did you read?
    status, saved, _ = call(
        "PATCH", where, world.va_staff, params, body=change, headers={"If-Match": '"1"'}
    )
    assert (status, saved["renewal_grace_months"], saved["version"]) == (200, 6, 2), saved
    assert saved["default_due_weeks"] == 8  # what was not sent is kept

    # A colleague still at version 1 is told what it is now, and changes nothing.
    stale = {"default_due_weeks": 4, "version": 1}
    status, problem, _ = call("PATCH", where, world.va_staff, params, body=stale)
    assert status == 409, problem
    assert problem["current"]["renewal_grace_months"] == 6
    assert call("GET", where, world.va_staff, params)[1]["default_due_weeks"] == 8

    status, problem, _ = call(
        "PATCH", where, world.va_staff, params, body={"renewal_grace_months": 40, "version": 2}
    )
    assert status == 422, problem
    # Another affiliate's staff learn nothing; national admins may change it.
    assert call("PATCH", where, world.ne_staff, params, body={**change, "version": 2})[0] == 404
    admin_change = {"renewal_grace_months": 0, "version": 2}
    assert call("PATCH", where, world.admin, params, body=admin_change)[0] == 200


# --------------------------------------------------------------------------- offboarding
MEMBER = "/programs/{programId}/members/{userId}"
STAFF = "/affiliates/{affiliateId}/members/{userId}"


def _refresh_token(aws_env: support.Resources, email: str) -> str:
    """A session of the user (password set by an admin here): its refresh token."""
    cognito = boto3.client("cognito-idp", region_name="us-east-1")
    cognito.admin_set_user_password(
        UserPoolId=aws_env.user_pool_id, Username=email, Password="Session-Pass-123", Permanent=True
    )
    result = cognito.initiate_auth(
        ClientId=aws_env.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": "Session-Pass-123"},
    )
    return str(result["AuthenticationResult"]["RefreshToken"])


def _refreshes(aws_env: support.Resources, refresh_token: str) -> bool:
    cognito = boto3.client("cognito-idp", region_name="us-east-1")
    try:
        cognito.initiate_auth(
            ClientId=aws_env.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except cognito.exceptions.NotAuthorizedException:
        return False
    return True


def test_a_removed_member_loses_access_on_the_next_request_and_its_sessions(
    world: World, aws_env: support.Resources
) -> None:
    _, program, _ = call("POST", "/programs", world.va_staff, body=program_body(world.va))
    program_id = program["program_id"]
    first = _invite_to_program(world.va_staff, program_id, "ann@bigfutures.example", "Ann")
    second = _invite_to_program(world.va_staff, program_id, "ben@bigfutures.example", "Ben")
    ann = User(first["user_id"], "ann@bigfutures.example", ["program-staff"])
    ben = User(second["user_id"], "ben@bigfutures.example", ["program-staff"])
    session = _refresh_token(aws_env, ben.email)
    params = {"programId": program_id}
    assert call("GET", "/programs/{programId}", ben, params)[0] == 200
    assert _refreshes(aws_env, session)

    status, body, _ = call("DELETE", MEMBER, ann, {**params, "userId": ben.sub})

    assert status == 204, body
    assert call("GET", "/programs/{programId}", ben, params)[0] == 404  # the same token
    assert not _refreshes(aws_env, session)  # signed out: no new token either
    _, members, _ = call("GET", "/programs/{programId}/members", ann, params)
    assert [m["email"] for m in members["items"]] == [ann.email]
    [event] = outbox_events("MemberRemoved")
    assert event["data"] == {
        "user_id": ben.sub,
        "role": "program-staff",
        "scope": "program",
        "scope_id": program_id,
        "left": False,
    }
    assert ben.email not in json.dumps(event)  # thin
    audits = [
        i
        for i in table_items()
        if i["type"]["S"] == "audit" and i["operation"]["S"] == "removeProgramMember"
    ]
    assert [a["target"]["S"] for a in audits] == [f"member:{ben.sub}"]
    again, problem, _ = call("DELETE", MEMBER, ann, {**params, "userId": ben.sub})
    assert (again, problem["type"]) == (404, "urn:nqms:problem:not-found")


def test_the_last_staff_member_stays_unless_the_removal_says_so(world: World) -> None:
    _, program, _ = call("POST", "/programs", world.va_staff, body=program_body(world.va))
    params = {"programId": program["program_id"]}
    only = _invite_to_program(world.va_staff, program["program_id"], "solo@bf.example", "Solo")
    coordinator = User(only["user_id"], "solo@bf.example", ["program-staff"])
    target = {**params, "userId": coordinator.sub}

    refused, problem, _ = call("DELETE", MEMBER, world.va_staff, target)
    assert refused == 409, problem
    assert problem["type"] == "urn:nqms:problem:last-staff-member"
    assert "last staff member" in problem["detail"]
    assert call("GET", "/programs/{programId}", coordinator, params)[0] == 200  # still in

    status, _, _ = call("DELETE", MEMBER, world.va_staff, target, query={"confirmNoStaff": "true"})
    assert status == 204
    assert call("GET", "/programs/{programId}", coordinator, params)[0] == 404
    assert outbox_events("MemberRemoved")[0]["data"]["left"] is False


def test_who_may_remove_whom(world: World) -> None:
    _, program, _ = call("POST", "/programs", world.va_staff, body=program_body(world.va))
    params = {"programId": program["program_id"]}
    members = [
        _invite_to_program(world.va_staff, program["program_id"], f"p{n}@bf.example", f"P {n}")
        for n in range(3)
    ]
    staff = [User(m["user_id"], m["email"], ["program-staff"]) for m in members]
    _, colleague, _ = call(
        "POST",
        "/affiliates/{affiliateId}/members",
        world.admin,
        {"affiliateId": world.va},
        body={"email": "second@mentor-va.example", "name": "Second Staff"},
    )
    va_params = {"affiliateId": world.va, "userId": world.va_staff.sub}

    outsider = call("DELETE", MEMBER, world.ne_staff, {**params, "userId": staff[0].sub})[0]
    program_on_affiliate = call("DELETE", STAFF, staff[0], va_params)[0]
    admin = call("DELETE", MEMBER, world.admin, {**params, "userId": staff[0].sub})[0]
    leaves = call("DELETE", MEMBER, staff[1], {**params, "userId": staff[1].sub})[0]
    unknown = call("DELETE", MEMBER, staff[2], {**params, "userId": world.va_staff.sub})[0]
    malformed = call("DELETE", MEMBER, staff[2], {**params, "userId": "not-a-uuid"})[0]
    affiliate_colleague = call(
        "DELETE", STAFF, world.va_staff, {"affiliateId": world.va, "userId": colleague["user_id"]}
    )[0]

    assert outsider == 404  # another tenant's program looks missing
    assert program_on_affiliate == 404  # program staff do not see the affiliate
    assert admin == 204  # national admins may
    assert leaves == 204  # a member may leave
    assert [e["data"]["left"] for e in outbox_events("MemberRemoved")].count(True) == 1
    assert unknown == 404  # not a member of this program
    assert malformed == 422
    assert affiliate_colleague == 204
    assert (
        call("GET", "/affiliates/{affiliateId}", world.va_staff, {"affiliateId": world.va})[0]
        == 200
    )
