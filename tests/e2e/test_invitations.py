"""Invited colleagues can work: the invitation Cognito would send lands in the mail
directory with a temporary password, the first sign-in (as `make token` does it) sets a
password, and the colleague answers an item of an open cycle. An account that exists already
is only invited: it joins once its holder accepts."""

from __future__ import annotations

import uuid
from pathlib import Path

from infra.local.identity import LoginFailed, login, sign_in
from tests.e2e.conftest import Session

VA_STAFF = "staff@mentor-va.example"
RICHMOND_COORDINATOR = "coordinator@richmond-mentoring.example"


def _invitations_to(mail_dir: Path, email: str) -> list[Path]:
    return sorted(p for p in mail_dir.glob("*.eml") if f"To: {email}" in p.read_text("utf-8"))


def test_an_invited_colleague_reads_the_mail_signs_in_and_answers(local: Session) -> None:
    va = local.as_user(VA_STAFF)
    suffix = uuid.uuid4().hex[:6]
    program_id = local.enroll_program(f"Piedmont Mentors {suffix}")
    email = f"dana.{suffix}@piedmont.example"

    invited = va.post(f"/programs/{program_id}/members", {"email": email, "name": "Dana"})
    assert invited.status == 201, invited.body

    stack, clients = local.stack.info, local.stack.clients
    assert clients is not None
    mail_dir = Path(stack.mail_dir)
    (mail,) = _invitations_to(mail_dir, email)
    text = mail.read_text("utf-8")
    assert "Subject: You are invited to NQMS Cloud" in text
    assert f"username {email}" in text
    password = local.stack.options.demo_password
    try:  # the invitee has no password of their own yet
        login(clients, stack.user_pool_client_id, email, password)
        raise AssertionError("logged in before the first sign-in")
    except LoginFailed:
        pass

    first = sign_in(clients, stack, email, password, new_password=password)
    assert first.note is not None
    assert mail.name in first.note  # says where the temporary password came from
    dana = local.stack.api.as_user(first.token)
    assert dana.get("/me").json["memberships"][0]["scope_id"] == program_id

    opened = va.post(f"/programs/{program_id}/cycles", {})
    assert opened.status == 201, opened.body
    cycle_id = opened.json["cycle_id"]
    saved = dana.request(
        "PUT", f"/cycles/{cycle_id}/answers/A1", {"in_practice": "yes", "rating": 3}
    )
    assert saved.status == 200, saved.body
    assert saved.json["saved_by"] == invited.json["user_id"]

    # From now on the chosen password is the password; nothing more to complete.
    again = sign_in(clients, stack, email, password, new_password=password)
    assert again.note is None

    # Invited to a second program: the same account, pending, and no second email.
    other = local.enroll_program(f"Tidewater Mentors {suffix}")
    second = va.post(f"/programs/{other}/members", {"email": email, "name": "Dana"})
    assert second.status == 201, second.body
    assert second.json["user_id"] == invited.json["user_id"]
    assert dana.get(f"/programs/{other}").status == 404  # until Dana accepts
    assert second.json["status"] == "pending"
    assert _invitations_to(mail_dir, email) == [mail]


def test_an_existing_user_accepts_an_invitation_to_a_second_program_and_reads_it(
    local: Session,
) -> None:
    va = local.as_user(VA_STAFF)
    coordinator = local.as_user(RICHMOND_COORDINATOR)
    program_id = local.enroll_program(f"James River Mentors {uuid.uuid4().hex[:6]}")
    mail_dir = Path(local.stack.info.mail_dir)
    mails_before = _invitations_to(mail_dir, RICHMOND_COORDINATOR)

    invited = va.post(
        f"/programs/{program_id}/members", {"email": RICHMOND_COORDINATOR, "name": "Rita Reyes"}
    )
    assert invited.status == 201, invited.body
    assert coordinator.get(f"/programs/{program_id}").status == 404  # not a member yet
    assert invited.json["status"] == "pending"
    assert _invitations_to(mail_dir, RICHMOND_COORDINATOR) == mails_before  # no Cognito email

    pending = coordinator.get("/me/invitations")
    assert pending.status == 200, pending.body
    (invitation,) = [i for i in pending.json["items"] if i["scope_id"] == program_id]
    assert invitation["scope_name"].startswith("James River Mentors")
    # Only its holder can accept it.
    stranger = local.as_user("coordinator@omaha-mentoring.example")
    path = f"/me/invitations/{invitation['invitation_id']}/accept"
    assert stranger.post(path, None).status == 404

    accepted = coordinator.post(path, None)
    assert accepted.status == 200, accepted.body
    assert accepted.json["status"] == "accepted"
    assert coordinator.post(path, None).status == 200  # accepting twice is fine
    read = coordinator.get(f"/programs/{program_id}")  # the same token: the role is unchanged
    assert read.status == 200, read.body
    assert read.json["program_id"] == program_id
    listed = coordinator.get("/programs").json["items"]
    assert program_id in [p["program_id"] for p in listed]
    assert local.wait_for_events(
        lambda e: (
            e["detail-type"] == "InvitationAccepted" and e["detail"]["program_id"] == program_id
        )
    )
