"""The Cognito user pool authorizer of API Gateway, emulated: verify the ID token for real.

Checks what API Gateway checks: the RS256 signature against the pool's JWKS, the issuer,
the audience (an app client of the pool), ``token_use == "id"`` and the expiry. The claims
reach the handler as API Gateway passes them: every value a string (``exp``/``iat`` as
dates, ``cognito:groups`` comma-separated, booleans as "true"/"false").
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import jwt

#: Claims API Gateway renders as a date ("Sun Apr 19 08:06:14 UTC 2020"), not a number.
_DATE_CLAIMS = frozenset({"exp", "iat"})
_BEARER = "bearer "


class InvalidToken(Exception):
    """Missing, malformed, forged, expired or foreign token (API Gateway answers 401)."""


class KeySource(Protocol):
    def key_for(self, token: str) -> Any: ...


class JwksUrlKeys:
    """The pool's public keys from its JWKS URL, fetched on first use and cached."""

    def __init__(self, url: str) -> None:
        self._client = jwt.PyJWKClient(url, cache_jwk_set=True, lifespan=24 * 3600, timeout=5)

    def key_for(self, token: str) -> Any:
        try:
            return self._client.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError:
            raise  # the pool is unreachable: a configuration problem, not a bad token
        except jwt.PyJWKClientError as exc:
            raise InvalidToken(str(exc)) from exc
        except jwt.DecodeError as exc:
            raise InvalidToken(str(exc)) from exc


class StaticKeys:
    """Keys from a JWKS document held in memory (tests)."""

    def __init__(self, jwks: Mapping[str, Any]) -> None:
        self._keys = jwt.PyJWKSet.from_dict(dict(jwks))

    def key_for(self, token: str) -> Any:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            return self._keys[str(kid)].key
        except (jwt.DecodeError, KeyError) as exc:
            raise InvalidToken(f"no key for this token: {exc}") from exc


def issuer_of(region: str, user_pool_id: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


class CognitoTokenVerifier:
    """Verifies ID tokens of one user pool."""

    def __init__(self, *, issuer: str, audiences: Collection[str], keys: KeySource) -> None:
        self.issuer = issuer
        self.audiences = list(audiences)
        self._keys = keys

    def verify(self, authorization: str | None) -> dict[str, Any]:
        """The claims of a valid ID token; :class:`InvalidToken` otherwise."""
        token = bearer_token(authorization)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._keys.key_for(token),
                algorithms=["RS256"],
                audience=self.audiences,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "token_use"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        if claims.get("token_use") != "id":
            raise InvalidToken("not an ID token")
        return claims


def bearer_token(authorization: str | None) -> str:
    """The token of an Authorization header ("Bearer <jwt>" or the bare JWT, as API Gateway)."""
    text = (authorization or "").strip()
    if text.lower().startswith(_BEARER):
        text = text[len(_BEARER) :].strip()
    if not text:
        raise InvalidToken("no token")
    return text


def claims_as_strings(claims: Mapping[str, Any]) -> dict[str, str]:
    """The claims as API Gateway's Cognito authorizer hands them to the integration."""
    return {name: _claim_text(name, value) for name, value in claims.items()}


def _claim_text(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if name in _DATE_CLAIMS and isinstance(value, int | float):
        return java_date(int(value))
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def java_date(epoch_seconds: int) -> str:
    """``Sun Apr 19 08:06:14 UTC 2020``: how API Gateway renders exp and iat."""
    at = datetime.fromtimestamp(epoch_seconds, UTC)
    day, month = _DAYS[at.weekday()], _MONTHS[at.month - 1]
    return f"{day} {month} {at:%d %H:%M:%S} UTC {at.year}"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
