"""The Open Badges 3.0 credential: its shape, and its VC-JWT signed RS256 and checked with an
independent JOSE library (joserfc) against the public JWK a verifier would fetch."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from joserfc import jwk as joserfc_jwk
from joserfc import jwt as joserfc_jwt

from functions.badge.credential import (
    MAX_SIGNING_INPUT_BYTES,
    CredentialTooLarge,
    credential_token,
    open_badge_credential,
)
from functions.badge.rules import Level
from functions.badge.view import BadgeView, revocation_list_url, signing_key_url
from shared import jws

BASE = "https://api.nqms.example"
STATUS = f"{BASE}/verify/eyJhbGciOiJFUzI1NiJ9.eyJiaWQiOiJiZGcifQ.c2ln"


def view(**changes: object) -> BadgeView:
    facts: dict[str, object] = {
        "badge_id": "bdg_0123456789abcdef0123",
        "level": Level.STEP_1,
        "program_id": "prg_42",
        "program_name": "Big Friends of the Valley",
        "affiliate_id": "aff_7",
        "affiliate_name": "MENTOR Valley",
        "affiliate_url": "https://mentorvalley.example",
        "issued": date(2026, 11, 23),
        "valid_until": date(2029, 11, 20),
        "base_url": BASE,
    }
    facts.update(changes)
    return BadgeView(**facts)


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def signer(key: rsa.RSAPrivateKey) -> jws.Sign:
    return lambda message: key.sign(message, padding.PKCS1v15(), hashes.SHA256())


def public_jwk(key: rsa.RSAPrivateKey) -> jws.Jwk:
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return jws.jwk_from_spki(der, "RS256")


def test_the_credential_names_the_affiliate_as_issuer_and_the_program_as_subject() -> None:
    credential = open_badge_credential(view(level=Level.STEP_2), STATUS)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["id"] == f"{BASE}/badges/bdg_0123456789abcdef0123/credential"
    assert credential["issuer"] == {
        "id": f"{BASE}/issuers/aff_7",
        "type": ["Profile"],
        "name": "MENTOR Valley",
        "url": "https://mentorvalley.example",
    }
    subject = credential["credentialSubject"]
    assert subject["id"] == f"{BASE}/programs/prg_42"
    assert subject["name"] == "Big Friends of the Valley"
    achievement = subject["achievement"]
    assert achievement["name"] == "Progressing in NQMS"
    assert achievement["criteria"]["narrative"] == Level.STEP_2.criteria
    assert achievement["image"]["id"] == f"{BASE}/badges/bdg_0123456789abcdef0123/image.svg"
    assert credential["credentialStatus"]["id"] == STATUS
    # Valid from the day it was issued through the last second of its valid-until day.
    assert credential["validFrom"] == "2026-11-23T00:00:00Z"
    assert credential["validUntil"] == "2029-11-20T23:59:59Z"


def test_an_affiliate_without_a_website_is_an_issuer_without_a_url() -> None:
    assert "url" not in open_badge_credential(view(affiliate_url=None), STATUS)["issuer"]


def test_the_vc_jwt_verifies_with_an_independent_library_and_mirrors_the_credential(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    credential = open_badge_credential(view(), STATUS)
    public = public_jwk(rsa_key)
    token = credential_token(credential, signer(rsa_key), public["kid"])

    key = joserfc_jwk.import_key({k: v for k, v in public.items() if k != "use"})
    decoded = joserfc_jwt.decode(token, key, algorithms=["RS256"])
    assert decoded.header == {"alg": "RS256", "kid": public["kid"], "typ": "JWT"}
    claims = decoded.claims
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert datetime.fromtimestamp(claims["nbf"], UTC) == datetime(2026, 11, 23, tzinfo=UTC)
    assert datetime.fromtimestamp(claims["exp"], UTC) == datetime(
        2029, 11, 20, 23, 59, 59, tzinfo=UTC
    )
    # The payload is the credential itself (VCDM 2.0), not wrapped in a `vc` claim.
    assert {k: v for k, v in claims.items() if k in credential} == credential
    assert "vc" not in claims
    # And our own verifier, the one the API uses, accepts it against the published key.
    assert jws.verify(token, {public["kid"]: public}).payload == claims


def test_a_changed_credential_no_longer_verifies(rsa_key: rsa.RSAPrivateKey) -> None:
    public = public_jwk(rsa_key)
    token = credential_token(open_badge_credential(view(), STATUS), signer(rsa_key), "k")
    other = credential_token(
        open_badge_credential(view(valid_until=date(2035, 1, 1)), STATUS),
        signer(rsa_key),
        "k",
    )
    forged = ".".join([token.split(".")[0], other.split(".")[1], token.split(".")[2]])
    with pytest.raises(jws.InvalidToken):
        jws.verify(forged, {"k": {**public, "kid": "k"}})


def test_a_realistic_credential_with_long_names_fits_what_kms_signs_raw(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    seen: list[int] = []

    def measuring(message: bytes) -> bytes:
        seen.append(len(message))
        return signer(rsa_key)(message)

    program = ("Big Brothers Big Sisters of the Greater Río Grande Valley and " * 4)[:200]
    affiliate = ("MENTOR Greater Río Grande Valley Partnership for Youth Mentoring " * 4)[:200]
    long = view(
        level=Level.STEP_2,  # the longer criteria
        badge_id="bdg_ffffffffffffffffffff",
        program_id="prg_" + "f" * 32,
        affiliate_id="aff_" + "f" * 32,
        program_name=program,
        affiliate_name=affiliate,
        affiliate_url="https://www.mentor-greater-rio-grande-valley-partnership.example/about",
        base_url="https://abcdefghij.execute-api.us-east-1.amazonaws.com/prod",
    )
    status = revocation_list_url(long)
    kid = signing_key_url(long.base_url, "k" * 43)  # a thumbprint's length
    credential_token(open_badge_credential(long, status), measuring, kid)
    assert seen[0] <= MAX_SIGNING_INPUT_BYTES
    print(f"signing input: {seen[0]} bytes of {MAX_SIGNING_INPUT_BYTES}")


def test_a_credential_too_large_for_kms_fails_before_anything_is_signed(
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    calls: list[bytes] = []

    def recording(message: bytes) -> bytes:
        calls.append(message)
        return signer(rsa_key)(message)

    huge = open_badge_credential(view(program_name="x" * 4000), STATUS)
    with pytest.raises(CredentialTooLarge):
        credential_token(huge, recording, "k")
    assert calls == []


SCHEMA_FILE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "openbadges"
    / "ob_v3p0_achievementcredential_schema.json"
)


def ob_schema_errors(document: dict[str, object]) -> list[str]:
    """What 1EdTech's OB 3.0 JSON schema (vendored, see its SOURCE.md) finds wrong."""
    import jsonschema_rs

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema_rs.Draft201909Validator(schema, validate_formats=True)
    return [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


@pytest.mark.parametrize("level", list(Level))
def test_every_credential_is_valid_against_the_ob_3_0_json_schema(
    level: Level, rsa_key: rsa.RSAPrivateKey
) -> None:
    credential = open_badge_credential(view(level=level), STATUS)
    assert ob_schema_errors(credential) == []
    # and the JWT payload a verifier decodes (the credential with its registered claims)
    token = credential_token(credential, signer(rsa_key), f"{BASE}/keys/abc")
    payload = jws.parse(token).payload
    assert ob_schema_errors(payload) == []
    assert credential["credentialSchema"] == [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    # The schema catches what a verifier would refuse (so this test can fail).
    broken = {k: v for k, v in credential.items() if k != "validFrom"}
    assert ob_schema_errors(broken) != []
