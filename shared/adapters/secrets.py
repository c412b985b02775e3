"""Secrets Manager: a secret's value, read once per process (a cold start), never logged."""

from __future__ import annotations

from functools import cache

from shared.adapters import aws
from shared.settings import SettingsError


@cache
def secret_string(secret_id: str) -> str:
    """The current value of ``secret_id`` (an ARN or a name). Cached for the process's life: a
    rotated secret reaches each execution environment when Lambda starts a new one."""
    try:
        value = aws.secretsmanager().get_secret_value(SecretId=secret_id).get("SecretString")
    except Exception as exc:
        code = aws.error_code(exc)
        raise SettingsError(f"the secret {secret_id} cannot be read ({code})") from exc
    if not value:
        raise SettingsError(f"the secret {secret_id} holds no string")
    return value
