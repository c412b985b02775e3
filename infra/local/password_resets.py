"""The password-reset email Cognito sends on ``ForgotPassword``, saved as ``.eml`` locally.

In AWS, a client (the web app, a mobile app, the AWS CLI) calls ``ForgotPassword`` with the
app client id and the username; Cognito emails a code to the user's verified address, and
``ConfirmForgotPassword`` with that code sets the new password. No service of ours takes part
and no IAM permission is involved: these are the user pool's public operations.

moto 5.2.5 sends nothing: it returns the code in an ``x-moto-forgot-password-confirmation-code``
response header (not the AWS way), and accepts any code that does not start with
``moto-confirmation-code:``. While the local stack runs, :func:`saving_password_resets` wraps
moto's backend (it runs in this process, as :mod:`infra.local.invitations` does) to do what
Cognito does: a six-digit code, emailed to the stack's mail directory, required by
``ConfirmForgotPassword`` (a wrong one is ``CodeMismatchException``), and no code in a header.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from infra.local.invitations import invitation_message, save_message

#: Cognito's message when the pool has no ``VerificationMessageTemplate`` of its own.
DEFAULT_SUBJECT = "Your verification code"
DEFAULT_MESSAGE = "Your password reset code is {####}."
KIND = "password-reset"


def reset_template(pool_config: dict[str, Any]) -> tuple[str, str]:
    """(subject, message) of a pool's ``VerificationMessageTemplate`` (code by email)."""
    template = pool_config.get("VerificationMessageTemplate") or {}
    return (
        template.get("EmailSubject") or DEFAULT_SUBJECT,
        template.get("EmailMessage") or DEFAULT_MESSAGE,
    )


def _user_of(backend: Any, client_id: str, username: str) -> tuple[Any, Any]:
    """(pool, user) of the app client's pool, or (None, None)."""
    for pool in backend.user_pools.values():
        if client_id in pool.clients:
            return pool, pool._get_user(username)
    return None, None


@contextmanager
def saving_password_resets(mail_dir: Path) -> Iterator[None]:
    """While inside, moto's ``ForgotPassword`` emails a code like Cognito, into ``mail_dir``,
    and ``ConfirmForgotPassword`` takes only that code."""
    from moto.cognitoidp.exceptions import CodeMismatchException
    from moto.cognitoidp.models import CognitoIdpBackend

    original_forgot = CognitoIdpBackend.forgot_password
    original_confirm = CognitoIdpBackend.confirm_forgot_password

    def forgot_password(
        backend: CognitoIdpBackend, client_id: str, username: str
    ) -> tuple[str | None, dict[str, Any]]:
        _, response = original_forgot(backend, client_id, username)
        pool, user = _user_of(backend, client_id, username)
        email = user.attribute_lookup.get("email") if user is not None else None
        if user is not None and email:
            code = f"{secrets.randbelow(1_000_000):06d}"
            user.confirmation_code = code
            subject, template = reset_template(pool.extended_config)
            message = invitation_message(email, username, code, subject, template)
            save_message(mail_dir, message, KIND)
        return None, response  # the code travels by email only

    def confirm_forgot_password(
        backend: CognitoIdpBackend,
        client_id: str,
        username: str,
        password: str,
        confirmation_code: str,
    ) -> None:
        _, user = _user_of(backend, client_id, username)
        expected = getattr(user, "confirmation_code", None) if user is not None else None
        if not expected or not hmac.compare_digest(str(expected), confirmation_code):
            raise CodeMismatchException("Invalid verification code provided, please try again.")
        original_confirm(backend, client_id, username, password, confirmation_code)

    CognitoIdpBackend.forgot_password = forgot_password  # type: ignore[method-assign,assignment]
    CognitoIdpBackend.confirm_forgot_password = confirm_forgot_password  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        CognitoIdpBackend.forgot_password = original_forgot  # type: ignore[method-assign]
        CognitoIdpBackend.confirm_forgot_password = original_confirm  # type: ignore[method-assign]


def newest_reset_code(mail_dir: Path, email: str) -> str | None:
    """The code of the latest password-reset email to ``email`` (file names sort by time)."""
    wanted = email.strip().lower()
    for path in sorted(mail_dir.glob(f"*-{KIND}-*.eml"), reverse=True):
        with path.open("rb") as file:
            message = BytesParser(policy=policy.default).parse(file)
        if str(message["To"]).strip().lower() != wanted:
            continue
        part = message.get_body(preferencelist=("plain",))
        text = str(part.get_content()) if part is not None else ""
        found = re.search(r"(?<![\w@.])(\d{6})(?![\w@])", text)
        return found.group(1) if found else None
    return None
