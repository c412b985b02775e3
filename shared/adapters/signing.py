"""Signing with KMS asymmetric keys: ES256 (ECC_NIST_P256) for verification links, RS256
(RSA_2048) for Open Badges credentials. The private keys never leave KMS.

Messages are signed with ``MessageType=RAW`` (KMS hashes them; ``DIGEST`` would expect a
digest, and moto does not emulate it faithfully), so a signing input may be at most 4096
bytes, KMS's limit: a longer one is refused here rather than by AWS alone. KMS returns
ECDSA signatures in DER; JOSE wants ``r || s`` (``shared.jws.der_to_raw``).

Each key's public JWK is read once per process (``GetPublicKey``) and is what the badge
service publishes and keeps, so verifying a token never calls KMS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shared import jws
from shared.adapters import aws

#: KMS refuses a RAW message longer than this.
MAX_RAW_MESSAGE_BYTES = 4096
_KMS_ALGORITHM: dict[str, str] = {"ES256": "ECDSA_SHA_256", "RS256": "RSASSA_PKCS1_V1_5_SHA_256"}


@dataclass
class KmsSigner:
    """One KMS key (id, ARN or ``alias/...``) and the JOSE algorithm it signs with."""

    key_id: str
    alg: jws.Alg
    _jwk: jws.Jwk | None = field(default=None, repr=False)

    def sign(self, message: bytes) -> bytes:
        """The JOSE signature of ``message`` (``r || s`` for ES256)."""
        if len(message) > MAX_RAW_MESSAGE_BYTES:
            raise ValueError(
                f"KMS signs at most {MAX_RAW_MESSAGE_BYTES} bytes raw; this is {len(message)}"
            )
        response = aws.kms().sign(
            KeyId=self.key_id,
            Message=message,
            MessageType="RAW",
            SigningAlgorithm=_KMS_ALGORITHM[self.alg],  # type: ignore[arg-type]
        )
        signature = bytes(response["Signature"])
        return jws.der_to_raw(signature) if self.alg == "ES256" else signature

    def public_jwk(self) -> jws.Jwk:
        """The key's public JWK (with its thumbprint as ``kid``), read from KMS once."""
        if self._jwk is None:
            der = bytes(aws.kms().get_public_key(KeyId=self.key_id)["PublicKey"])
            self._jwk = jws.jwk_from_spki(der, self.alg)
        return self._jwk

    def token(self, payload: Mapping[str, Any], typ: str = "JWT") -> str:
        """A compact JWS of ``payload`` with this key's ``kid``."""
        header = {"alg": self.alg, "kid": self.public_jwk()["kid"], "typ": typ}
        return jws.encode(header, payload, self.sign)
