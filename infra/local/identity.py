"""Log in to the local user pool (USER_PASSWORD_AUTH) and set demo passwords."""

from __future__ import annotations

from infra.local.aws import AwsClients


class LoginFailed(RuntimeError):
    """The pool did not hand out tokens (wrong password, unknown user, a challenge)."""


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
        raise LoginFailed(f"cannot log in as {email}: {challenge}")
    return result["IdToken"]


def set_permanent_password(
    clients: AwsClients, user_pool_id: str, email: str, password: str
) -> None:
    clients.cognito().admin_set_user_password(
        UserPoolId=user_pool_id, Username=email, Password=password, Permanent=True
    )
