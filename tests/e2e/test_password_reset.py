"""Forgot password, as a client does it against the user pool: ForgotPassword emails a code
(locally, to the mail directory, like the invitations), ConfirmForgotPassword with that code
sets the new password, and only that code does."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from infra.local.identity import LoginFailed, login
from infra.local.password_resets import newest_reset_code
from tests.e2e.conftest import Session

VA_STAFF = "staff@mentor-va.example"


def test_a_colleague_who_forgot_the_password_resets_it_with_the_emailed_code(
    local: Session,
) -> None:
    suffix = uuid.uuid4().hex[:6]
    program_id = local.enroll_program(f"Blue Ridge Mentors {suffix}")
    email = f"gail.{suffix}@blueridge.example"
    invited = local.as_user(VA_STAFF).post(
        f"/programs/{program_id}/members", {"email": email, "name": "Gail"}
    )
    assert invited.status == 201, invited.body
    local.activate(email)  # the first sign-in: a password of her own
    info, clients = local.stack.info, local.stack.clients
    assert clients is not None
    cognito = clients.cognito()
    mail_dir = Path(info.mail_dir)

    started = cognito.forgot_password(ClientId=info.user_pool_client_id, Username=email)

    assert started["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    headers = started["ResponseMetadata"]["HTTPHeaders"]
    [mail] = sorted(mail_dir.glob(f"*-password-reset-{email}.eml"))
    assert "Subject: " in mail.read_text("utf-8")
    code = newest_reset_code(mail_dir, email)
    assert code is not None
    assert code in mail.read_text("utf-8")
    assert code not in str(headers)  # by email only (moto puts it in a header of its own)
    new_password = f"Reset-{suffix}-Pass9"
    with pytest.raises(cognito.exceptions.CodeMismatchException):
        cognito.confirm_forgot_password(
            ClientId=info.user_pool_client_id,
            Username=email,
            ConfirmationCode="000000" if code != "000000" else "111111",
            Password=new_password,
        )
    cognito.confirm_forgot_password(
        ClientId=info.user_pool_client_id,
        Username=email,
        ConfirmationCode=code,
        Password=new_password,
    )
    token = login(clients, info.user_pool_client_id, email, new_password)
    assert local.stack.api.as_user(token).get(f"/programs/{program_id}").status == 200
    with pytest.raises(LoginFailed):
        login(clients, info.user_pool_client_id, email, local.stack.options.demo_password)
