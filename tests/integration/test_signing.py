"""Tokens signed with KMS (moto) verify with our public keys alone, and with an independent
JOSE library (joserfc) against the same JWKs; anything altered, malformed or signed by an
unknown key is refused with the reason."""

from __future__ import annotations

import json

import boto3
import pytest
from joserfc import jwk as joserfc_jwk
from joserfc import jws as joserfc_jws

from shared import jws
from shared.adapters.signing import MAX_RAW_MESSAGE_BYTES, KmsSigner
from tests.support.aws import Resources

PAYLOAD = {"bid": "bdg_0123456789abcdef0123", "pid": "prg_0123456789abcdef0123", "lvl": "step1"}


@pytest.fixture
def kms(aws_env: Resources) -> None:
    """The mocked account (KMS keys are made by each test)."""


def new_key(spec: str) -> str:
    client = boto3.client("kms", region_name="us-east-1")
    return str(client.create_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"])


@pytest.mark.parametrize(("spec", "alg"), [("ECC_NIST_P256", "ES256"), ("RSA_2048", "RS256")])
def test_a_kms_signed_token_verifies_here_and_with_an_independent_library(
    kms: None, spec: str, alg: jws.Alg
) -> None:
    signer = KmsSigner(new_key(spec), alg)
    token = signer.token(PAYLOAD)
    public = signer.public_jwk()
    assert public["alg"] == alg
    assert "d" not in public  # public members only

    assert jws.verify(token, {public["kid"]: public}).payload == PAYLOAD
    key = joserfc_jwk.import_key({k: v for k, v in public.items() if k != "use"})
    assert key.thumbprint() == public["kid"]  # kid is the RFC 7638 thumbprint
    checked = joserfc_jws.deserialize_compact(token, key, algorithms=[alg])
    assert json.loads(checked.payload) == PAYLOAD
    if alg == "ES256":
        assert len(jws.unb64url(token.split(".")[2])) == 64  # r || s, not KMS's DER


def test_after_rotation_a_link_signed_with_the_previous_key_still_verifies(kms: None) -> None:
    old, new = (
        KmsSigner(new_key("ECC_NIST_P256"), "ES256"),
        KmsSigner(new_key("ECC_NIST_P256"), "ES256"),
    )
    published = {s.public_jwk()["kid"]: s.public_jwk() for s in (old, new)}
    assert jws.verify(old.token(PAYLOAD), published).payload == PAYLOAD
    assert jws.verify(new.token(PAYLOAD), published).payload == PAYLOAD
    only_new = {new.public_jwk()["kid"]: new.public_jwk()}
    with pytest.raises(jws.InvalidToken) as refused:
        jws.verify(old.token(PAYLOAD), only_new)
    assert refused.value.extensions["reason"] == "unknown-key"


def _changed(token: str, part: int) -> str:
    parts = token.split(".")
    text = parts[part]
    parts[part] = text[:5] + ("A" if text[5] != "A" else "B") + text[6:]
    return ".".join(parts)


def test_a_token_altered_anywhere_or_malformed_is_refused_with_its_reason(kms: None) -> None:
    signer = KmsSigner(new_key("ECC_NIST_P256"), "ES256")
    token = signer.token(PAYLOAD)
    keys = {signer.public_jwk()["kid"]: signer.public_jwk()}
    other = {"bid": "bdg_ffffffffffffffffffff", "pid": PAYLOAD["pid"], "lvl": "step2"}
    forged = ".".join(
        [token.split(".")[0], jws.b64url(json.dumps(other).encode()), token.split(".")[2]]
    )
    cases = {
        _changed(token, 1): "malformed",  # the payload's JSON broke (the forgery below did not)
        _changed(token, 2): "bad-signature",
        forged: "bad-signature",
        token + "x": "bad-signature",
        token.rsplit(".", 1)[0]: "malformed",
        "not.a.token!": "malformed",
        "e30.e30.": "malformed",  # {} header: no algorithm
        "x" * (jws.MAX_TOKEN_CHARS + 1): "malformed",
    }
    for bad, reason in cases.items():
        with pytest.raises(jws.InvalidToken) as refused:
            jws.verify(bad, keys)
        assert refused.value.extensions["reason"] == reason, bad[:40]
        assert refused.value.status == 400


def test_an_rs256_token_is_not_accepted_for_an_es256_key(kms: None) -> None:
    ec_signer = KmsSigner(new_key("ECC_NIST_P256"), "ES256")
    rsa_signer = KmsSigner(new_key("RSA_2048"), "RS256")
    kid = ec_signer.public_jwk()["kid"]
    header = {"alg": "RS256", "kid": kid, "typ": "JWT"}
    confused = jws.encode(header, PAYLOAD, rsa_signer.sign)
    with pytest.raises(jws.InvalidToken) as refused:
        jws.verify(confused, {kid: ec_signer.public_jwk()})
    assert refused.value.extensions["reason"] == "bad-signature"


def test_kms_signs_at_most_4096_raw_bytes(kms: None) -> None:
    signer = KmsSigner(new_key("RSA_2048"), "RS256")
    with pytest.raises(ValueError, match="4096"):
        signer.sign(b"x" * (MAX_RAW_MESSAGE_BYTES + 1))
    assert len(signer.sign(b"x" * MAX_RAW_MESSAGE_BYTES)) == 256
