"""The invitation email Cognito sends when an admin creates a user, saved as ``.eml`` locally.

In AWS, ``AdminCreateUser`` (without ``MessageAction=SUPPRESS``) makes Cognito generate a
temporary password and email it with the pool's ``InviteMessageTemplate``; our own services
never see it. moto 5.2.5 neither sends anything nor generates a password (the user is left
with none, so nobody can ever log in). While the local stack runs, :func:`saving_invitations`
wraps moto's backend (it runs in this process) to do what Cognito does: generate a password
that meets the pool's policy and write the message to the stack's mail directory.
:func:`newest_invitation` and :func:`temporary_password` read it back for ``make token``.
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

#: Cognito's default sender when the pool has no SES configuration.
SENDER = "no-reply@verificationemail.com"
#: What Cognito sends when the pool has no template of its own.
DEFAULT_SUBJECT = "Your temporary password"
DEFAULT_MESSAGE = "Your username is {username} and temporary password is {####}."
_SYMBOLS = "-_."  # symbols a shell leaves alone, so the password can be pasted as PASSWORD=


@dataclass(frozen=True)
class Invitation:
    path: Path
    message: EmailMessage

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return str(part.get_content()) if part is not None else ""


def invite_template(pool_config: dict[str, Any]) -> tuple[str, str]:
    """(subject, message) of a pool's ``AdminCreateUserConfig.InviteMessageTemplate``."""
    template = pool_config.get("AdminCreateUserConfig", {}).get("InviteMessageTemplate", {})
    return (
        template.get("EmailSubject") or DEFAULT_SUBJECT,
        template.get("EmailMessage") or DEFAULT_MESSAGE,
    )


def generate_password(password_policy: dict[str, Any]) -> str:
    """A random password meeting the pool's policy (one of each kind of character)."""
    length = max(int(password_policy.get("MinimumLength", 8)), 12)
    kinds = [string.ascii_uppercase, string.ascii_lowercase, string.digits, _SYMBOLS]
    alphabet = string.ascii_letters + string.digits
    chosen = [secrets.choice(kind) for kind in kinds]
    chosen += [secrets.choice(alphabet) for _ in range(length - len(chosen))]
    secrets.SystemRandom().shuffle(chosen)
    return "".join(chosen)


def invitation_message(
    to: str, username: str, password: str, subject: str, template: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="cognito-idp.local")
    text = template.replace("{username}", username).replace("{####}", password)
    message.set_content(text, cte="8bit")  # readable as it is in the .eml
    return message


def save_message(mail_dir: Path, message: EmailMessage, kind: str) -> Path:
    """``<UTC time>-<kind>-<recipient>.eml``: names sort by the time they were sent."""
    mail_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    recipient = re.sub(r"[^A-Za-z0-9@._-]", "_", str(message["To"]))
    path = mail_dir / f"{stamp}-{kind}-{recipient}.eml"
    path.write_bytes(message.as_bytes(policy=policy.SMTP))
    return path


@contextmanager
def saving_invitations(mail_dir: Path) -> Iterator[None]:
    """While inside, moto's ``AdminCreateUser`` invites like Cognito, into ``mail_dir``."""
    from moto.cognitoidp.models import CognitoIdpBackend

    original = CognitoIdpBackend.admin_create_user

    def admin_create_user(
        backend: CognitoIdpBackend,
        user_pool_id: str,
        username: str,
        message_action: str,
        temporary_password: str,
        attributes: list[dict[str, str]],
    ) -> Any:
        config = backend.describe_user_pool(user_pool_id).extended_config
        sending = message_action != "SUPPRESS"
        if sending and not temporary_password:
            temporary_password = generate_password(
                config.get("Policies", {}).get("PasswordPolicy", {})
            )
        user = original(
            backend, user_pool_id, username, message_action, temporary_password, attributes
        )
        email = user.attribute_lookup.get("email")
        if sending and email:
            subject, template = invite_template(config)
            message = invitation_message(email, username, temporary_password, subject, template)
            save_message(mail_dir, message, "invitation")
        return user

    CognitoIdpBackend.admin_create_user = admin_create_user  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        CognitoIdpBackend.admin_create_user = original  # type: ignore[method-assign]


def newest_invitation(mail_dir: Path, email: str) -> Invitation | None:
    """The latest invitation sent to ``email`` (file names sort by time), if any."""
    wanted = email.strip().lower()
    for path in sorted(mail_dir.glob("*-invitation-*.eml"), reverse=True):
        with path.open("rb") as file:
            message = BytesParser(policy=policy.default).parse(file)
        if str(message["To"]).strip().lower() == wanted and isinstance(message, EmailMessage):
            return Invitation(path, message)
    return None


def temporary_password(invitation: Invitation, template: str) -> str | None:
    """The password in an invitation written from ``template`` (``{####}`` marks it)."""
    pieces = []
    for word in re.split(r"(\{username\}|\{####\}|\s+)", template.strip()):
        if word == "{username}":
            pieces.append(r".+?")
        elif word == "{####}":
            pieces.append(r"(?P<password>\S+)")
        elif word.isspace():
            pieces.append(r"\s+")
        else:
            pieces.append(re.escape(word))
    found = re.search("".join(pieces), invitation.body.strip(), flags=re.DOTALL)
    return found.group("password") if found else None
