"""Log in to the local user pool (USER_PASSWORD_AUTH), complete an invited user's first
sign-in, and set demo passwords."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infra.local.aws import AwsClients
from infra.local.invitations import invite_template, newest_invitation, temporary_password
from infra.local.stackfile import StackInfo


class LoginFailed(RuntimeError):
    """The pool did not hand out tokens (wrong password, unknown user, a challenge)."""


class NewPasswordRequired(LoginFailed):
    """First sign-in with the temporary password: the user must choose a new password."""

    def __init__(self, email: str, username: str, session: str) -> None:
        super().__init__(f"cannot log in as {email}: NEW_PASSWORD_REQUIRED (first sign-in)")
        self.username = username
        self.session = session


def login(clients: AwsClients, client_id: str, email: str, password: str) -> str:
    """The ID token of ``email`` (what the API's Cognito authorizer expects)."""
    try:
        response = clients.cognito().initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    except Exception as exc:
        raise LoginFailed(f"cannot log in as {email}: {exc}") from exc
    result = response.get("AuthenticationResult")
    if not result or "IdToken" not in result:
        challenge = response.get("ChallengeName", "no tokens")
        if challenge == "NEW_PASSWORD_REQUIRED":
            username = response.get("ChallengeParameters", {}).get("USERNAME", email)
            raise NewPasswordRequired(email, username, response.get("Session", ""))
        raise LoginFailed(f"cannot log in as {email}: {challenge}")
    return result["IdToken"]


def choose_password(
    clients: AwsClients, client_id: str, challenge: NewPasswordRequired, new_password: str
) -> str:
    """Answer the first sign-in's challenge with ``new_password``; the ID token."""
    try:
        response = clients.cognito().respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge.session,
            ChallengeResponses={"USERNAME": challenge.username, "NEW_PASSWORD": new_password},
        )
    except Exception as exc:
        raise LoginFailed(f"cannot set the new password: {exc}") from exc
    result = response.get("AuthenticationResult")
    if not result or "IdToken" not in result:
        raise LoginFailed(f"no tokens after the new password: {response.get('ChallengeName')}")
    return result["IdToken"]


@dataclass(frozen=True)
class Login:
    token: str
    #: What happened besides logging in (a first sign-in completed), for the terminal.
    note: str | None = None


def login_or_activate(
    clients: AwsClients,
    client_id: str,
    user_pool_id: str,
    email: str,
    password: str,
    *,
    mail_dir: Path,
    new_password: str,
) -> Login:
    """Log in as ``email``; an invited user's first sign-in is completed on the way.

    ``password`` may be the user's password or the temporary one from the invitation. When
    it is neither and the user was invited, the temporary password is read from the newest
    invitation in ``mail_dir``. A first sign-in sets ``new_password``.
    """
    try:
        return Login(login(clients, client_id, email, password))
    except NewPasswordRequired as challenge:
        token = choose_password(clients, client_id, challenge, new_password)
        return Login(token, f"first sign-in of {email}: password set to {new_password}")
    except LoginFailed as failure:
        invitation = newest_invitation(mail_dir, email)
        if invitation is None:
            raise
        pool = clients.cognito().describe_user_pool(UserPoolId=user_pool_id)["UserPool"]
        _, template = invite_template(dict(pool))
        temporary = temporary_password(invitation, template)
        if temporary is None:
            raise LoginFailed(f"no temporary password found in {invitation.path}") from failure
    try:
        token = login(clients, client_id, email, temporary)
    except NewPasswordRequired as challenge:
        token = choose_password(clients, client_id, challenge, new_password)
        return Login(
            token,
            f"first sign-in of {email} with the temporary password from {invitation.path}: "
            f"password set to {new_password}",
        )
    return Login(token)


def sign_in(
    clients: AwsClients, info: StackInfo, email: str, password: str, *, new_password: str
) -> Login:
    """:func:`login_or_activate` against the running stack ``info`` describes."""
    return login_or_activate(
        clients,
        info.user_pool_client_id,
        info.user_pool_id,
        email,
        password,
        mail_dir=Path(info.mail_dir),
        new_password=new_password,
    )


def set_permanent_password(
    clients: AwsClients, user_pool_id: str, email: str, password: str
) -> None:
    clients.cognito().admin_set_user_password(
        UserPoolId=user_pool_id, Username=email, Password=password, Permanent=True
    )
