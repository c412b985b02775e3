"""Invited colleagues can work: the invitation Cognito would send lands in the mail
directory with a temporary password, the first sign-in (as `make token` does it) sets a
password, and the colleague answers an item of an open cycle."""

from __future__ import annotations

import uuid
from pathlib import Path

from infra.local.identity import LoginFailed, login, sign_in
from tests.e2e.conftest import Session

VA_STAFF = "staff@mentor-va.example"


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

    # Invited to a second program: the same account, and no second email.
    other = local.enroll_program(f"Tidewater Mentors {suffix}")
    second = va.post(f"/programs/{other}/members", {"email": email, "name": "Dana"})
    assert second.status == 201, second.body
    assert second.json["user_id"] == invited.json["user_id"]
    assert _invitations_to(mail_dir, email) == [mail]
