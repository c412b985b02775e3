"""Compact JWS (RFC 7515) for badge verification links and Open Badges credentials.

Signing is done by a signer given the signing input (``shared/adapters/signing.py``: KMS);
this module builds and checks tokens without AWS, so the verify path needs only the public
keys (JWKs, RFC 7517), kept by key id (``kid``: the key's RFC 7638 thumbprint). ES256
signatures are ``r || s`` (64 bytes) as JOSE requires; KMS returns DER, converted here.

``cryptography`` is imported when a key or signature is handled, not at import: handlers that
never verify do not pay for it at cold start.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from shared.errors import InvalidRequest

Alg = Literal["ES256", "RS256"]
Jwk = dict[str, str]
#: Given the signing input, the JOSE signature bytes.
Sign = Callable[[bytes], bytes]
ALGORITHMS: frozenset[str] = frozenset({"ES256", "RS256"})
#: Far longer than any token issued here; checked before any work.
MAX_TOKEN_CHARS = 8192
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_P256_BYTES = 32


class InvalidToken(InvalidRequest):
    """A token that is malformed, signed by a key we never published, or altered."""

    kind, title = "invalid-token", "Invalid Token"


# =========================================================================== encoding
def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def unb64url(text: str) -> bytes:
    """Strict: URL-safe alphabet, no padding, nothing else."""
    if not _B64URL.match(text) or len(text) % 4 == 1:
        raise InvalidToken("The token is not valid base64url.", reason="malformed")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidToken("The token is not valid base64url.", reason="malformed") from error


def _json_part(header: Mapping[str, Any]) -> str:
    return b64url(json.dumps(header, separators=(",", ":"), sort_keys=True).encode())


def encode(header: Mapping[str, Any], payload: Mapping[str, Any], sign: Sign) -> str:
    """``header.payload.signature``; ``sign`` gets the signing input and returns the JOSE
    signature bytes (``r || s`` for ES256)."""
    signing_input = f"{_json_part(header)}.{_json_part(payload)}"
    return f"{signing_input}.{b64url(sign(signing_input.encode('ascii')))}"


@dataclass(frozen=True)
class Parsed:
    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def parse(token: str) -> Parsed:
    """A token's parts, unverified; :class:`InvalidToken` (malformed) when it is not a JWS."""
    if len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        raise InvalidToken("The token is not a compact JWS.", reason="malformed")
    head, body, signature = token.split(".")
    try:
        header = json.loads(unb64url(head))
        payload = json.loads(unb64url(body))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidToken("The token's parts are not JSON.", reason="malformed") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise InvalidToken("The token's parts are not JSON objects.", reason="malformed")
    return Parsed(header, payload, f"{head}.{body}".encode("ascii"), unb64url(signature))


# =========================================================================== verifying
def verify(token: str, keys: Mapping[str, Jwk]) -> Parsed:
    """The token, if signed by one of ``keys`` (by ``kid``) with the key's own algorithm;
    else :class:`InvalidToken` saying why (malformed, unknown key, bad signature)."""
    parsed = parse(token)
    alg, kid = parsed.header.get("alg"), parsed.header.get("kid")
    if alg not in ALGORITHMS or not isinstance(kid, str):
        raise InvalidToken("The token names no algorithm we sign with.", reason="malformed")
    jwk = keys.get(kid)
    if jwk is None:
        raise InvalidToken(
            "The token was signed by a key we never published.", reason="unknown-key"
        )
    if jwk.get("alg") != alg:
        raise InvalidToken("The token's algorithm is not its key's.", reason="bad-signature")
    if not _signature_holds(jwk, parsed.signing_input, parsed.signature):
        raise InvalidToken(
            "The token's signature does not match its content.", reason="bad-signature"
        )
    return parsed


def _signature_holds(jwk: Jwk, message: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    key = public_key(jwk)
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            if len(signature) != 2 * _P256_BYTES:
                return False
            key.verify(raw_to_der(signature), message, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True


# =========================================================================== signatures
def der_to_raw(der: bytes, size: int = _P256_BYTES) -> bytes:
    """An ECDSA signature as KMS returns it (DER) to the JOSE form, ``r || s``."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(der)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def raw_to_der(raw: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    half = len(raw) // 2
    return encode_dss_signature(
        int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
    )


# =========================================================================== keys
def jwk_from_spki(der: bytes, alg: Alg) -> Jwk:
    """The public JWK of a DER SubjectPublicKeyInfo (KMS GetPublicKey), with its ``kid``."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    key = load_der_public_key(der)
    if alg == "ES256" and isinstance(key, ec.EllipticCurvePublicKey):
        numbers = key.public_numbers()
        jwk: Jwk = {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(_P256_BYTES, "big")),
            "y": b64url(numbers.y.to_bytes(_P256_BYTES, "big")),
        }
    elif alg == "RS256" and isinstance(key, rsa.RSAPublicKey):
        rsa_numbers = key.public_numbers()
        jwk = {"kty": "RSA", "n": _uint(rsa_numbers.n), "e": _uint(rsa_numbers.e)}
    else:
        raise ValueError(f"the key is not a {alg} key")
    return {**jwk, "kid": thumbprint(jwk), "alg": alg, "use": "sig"}


def _uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def thumbprint(jwk: Mapping[str, str]) -> str:
    """RFC 7638: SHA-256 of the required members in lexicographic order, base64url."""
    required = ("crv", "kty", "x", "y") if jwk["kty"] == "EC" else ("e", "kty", "n")
    canonical = json.dumps({k: jwk[k] for k in required}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def public_key(jwk: Jwk) -> Any:
    """The ``cryptography`` public key of a JWK we published."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
        x = int.from_bytes(unb64url(jwk["x"]), "big")
        y = int.from_bytes(unb64url(jwk["y"]), "big")
        return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    if jwk.get("kty") == "RSA":
        n = int.from_bytes(unb64url(jwk["n"]), "big")
        e = int.from_bytes(unb64url(jwk["e"]), "big")
        return rsa.RSAPublicNumbers(e, n).public_key()
    raise InvalidToken("The key is not one we sign with.", reason="unknown-key")
