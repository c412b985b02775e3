"""The user pool (Cognito): invited users, their role groups. Errors become shared.errors."""

from __future__ import annotations

from dataclasses import dataclass

from shared.adapters import aws
from shared.errors import InvalidRequest, ServiceBusy
from shared.settings import UserPoolSettings, get_settings


@dataclass(frozen=True)
class PoolUser:
    user_id: str  # the Cognito ``sub``
    email: str
    created: bool  # False when the user already existed


def _sub_of(attributes: list[dict[str, str]] | list[object]) -> str:
    for attribute in attributes:
        if isinstance(attribute, dict) and attribute.get("Name") == "sub":
            return str(attribute["Value"])
    raise RuntimeError("the user pool returned a user without a sub")


def ensure_user(email: str, name: str, group: str) -> PoolUser:
    """Create the user, or find the existing one; then make sure it is in ``group``. Safe
    to repeat: only a new user is invited. For an operator's command (bootstrap): an
    invitation by another user goes through :func:`find_or_create_user` and puts an existing
    account in a group only once its holder accepts."""
    pool_user = find_or_create_user(email, name)
    add_to_group(email, group)
    return pool_user


def find_or_create_user(email: str, name: str) -> PoolUser:
    """Create the user, or find the existing one; no group changes. Safe to repeat: only a
    new user is invited.

    Cognito emails a new user the pool's invitation (``InviteMessageTemplate``) with a
    temporary password it generates, so the password never passes through our services or
    our outbox; the first sign-in then asks for a new one. An existing user gets nothing."""
    client = aws.cognito()
    pool = get_settings(UserPoolSettings).user_pool_id
    created = True
    try:
        response = client.admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": name},
            ],
            DesiredDeliveryMediums=["EMAIL"],
        )
        user_id = _sub_of(response["User"].get("Attributes", []))  # type: ignore[arg-type]
    except Exception as exc:
        code = aws.error_code(exc)
        if code == "UsernameExistsException":
            created = False
            existing = client.admin_get_user(UserPoolId=pool, Username=email)
            user_id = _sub_of(existing.get("UserAttributes", []))  # type: ignore[arg-type]
        elif code == "InvalidParameterException":
            raise InvalidRequest(f"The user pool refused this user: {email}.") from exc
        elif code in {"TooManyRequestsException", "InternalErrorException"}:
            raise ServiceBusy("The user directory is busy; retry shortly.") from exc
        else:
            raise
    return PoolUser(user_id=user_id, email=email, created=created)


_BUSY = frozenset({"TooManyRequestsException", "InternalErrorException"})


def _call(operation: str, **arguments: str) -> None:
    """One admin call on the pool: busy is a ServiceBusy; a user already gone is done."""
    try:
        getattr(aws.cognito(), operation)(
            UserPoolId=get_settings(UserPoolSettings).user_pool_id, **arguments
        )
    except Exception as exc:
        code = aws.error_code(exc)
        if code == "UserNotFoundException":
            return
        if code in _BUSY:
            raise ServiceBusy("The user directory is busy; retry shortly.") from exc
        raise


def sign_out_everywhere(email: str) -> None:
    """End every session of the user (AdminUserGlobalSignOut): its refresh tokens stop
    working, so no new ID token is issued. An ID token already issued stays valid until it
    expires, which is why access itself comes from membership records read per request."""
    _call("admin_user_global_sign_out", Username=email)


def remove_from_group(email: str, group: str) -> None:
    """Take the user out of a role group (a no-op when it is not there)."""
    _call("admin_remove_user_from_group", Username=email, GroupName=group)


def add_to_group(email: str, group: str) -> None:
    """Put the user in a role group (a no-op when it is already there)."""
    try:
        aws.cognito().admin_add_user_to_group(
            UserPoolId=get_settings(UserPoolSettings).user_pool_id, Username=email, GroupName=group
        )
    except Exception as exc:
        if aws.error_code(exc) in {"TooManyRequestsException", "InternalErrorException"}:
            raise ServiceBusy("The user directory is busy; retry shortly.") from exc
        raise
