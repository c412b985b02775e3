"""The Open Badges 3.0 credential of a badge, and its VC-JWT. Pure (the signer is given).

Shape: an ``OpenBadgeCredential`` in the VC Data Model 2.0 (``@context`` credentials/v2 and the
OB 3.0.3 context; ``validFrom``/``validUntil``, not 1.1's ``issuanceDate``/``expirationDate``).
The affiliate is the issuer (a ``Profile`` at a resolvable URL), the program is the subject
(an organisation earns it), and the achievement is the level, with criteria that say what the
step means (``Level.criteria``); its id answers that achievement publicly. ``credentialStatus``
is a ``1EdTechRevocationList`` entry whose id is the issuer's revocation list (its
``revokedCredentials`` name every revoked credential by id), and ``credentialSchema`` names
1EdTech's OB 3.0 JSON schema (``tests/fixtures/openbadges`` vendors it for the tests).

VC-JWT choice: OB 3.0.3 (for VCDM 2.0) makes the JWT payload the credential itself with the
registered claims beside its members: ``iss`` = ``issuer.id``, ``jti`` = ``id``, ``sub`` =
``credentialSubject.id``, ``nbf`` = ``validFrom``, ``exp`` = ``validUntil`` (and ``iat`` =
``nbf``, allowed as an additional claim). The older ``vc`` claim wrapper belongs to VCDM 1.1
and is not used. The JOSE header is ``alg`` RS256 (the minimum the spec requires), ``kid``
(a URL that answers the public JWK, ``view.signing_key_url``) and ``typ`` "JWT" (the only
value OB 3.0 allows; it forbids other headers, so not ``vc+jwt``).

The signing input must fit in 4096 bytes, the most KMS signs raw; a credential that would not
fit fails here, before any KMS call.
"""

from __future__ import annotations

from calendar import timegm
from datetime import date, datetime, time, timedelta
from typing import Any

from functions.badge.rules import Level
from functions.badge.view import (
    BadgeView,
    credential_url,
    image_url,
    issuer_url,
    level_achievement_url,
    subject_url,
)
from shared import jws

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#: The OB 3.0 JSON schema a credential validates against, as the specification names it.
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
#: Bumped when the credential's shape changes: a credential kept on a badge in an older
#: format is signed again on its next download.
FORMAT = 2
#: The most KMS signs with ``MessageType=RAW`` (``shared/adapters/signing.py`` enforces it too).
MAX_SIGNING_INPUT_BYTES = 4096

Credential = dict[str, Any]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0, 0))


def _end_of(day: date) -> datetime:
    # A badge is valid through its valid_until day (rules.py): the credential ends at its last
    # second, not at its first.
    return datetime.combine(day + timedelta(days=1), time(0, 0, 0)) - timedelta(seconds=1)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def open_badge_credential(view: BadgeView, status_url: str) -> Credential:
    """The credential a program downloads; ``status_url`` is where its revocation shows."""
    issuer: dict[str, Any] = {
        "id": issuer_url(view),
        "type": ["Profile"],
        "name": view.affiliate_name,
    }
    if view.affiliate_url:
        issuer["url"] = view.affiliate_url
    title = view.level.display_name
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_url(view),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        # The level alone: the program's name is the subject's, and a second copy would cost
        # a tenth of the 4096 bytes KMS signs.
        "name": title,
        "issuer": issuer,
        "validFrom": _iso(_start_of(view.issued)),
        "validUntil": _iso(_end_of(view.valid_until)),
        "credentialSubject": {
            "id": subject_url(view),
            "type": ["AchievementSubject"],
            "name": view.program_name,
            "achievement": {
                **achievement(view.level, view.base_url),
                "image": {"id": image_url(view), "type": "Image", "caption": title},
            },
        },
        "credentialSchema": [SCHEMA],
        "credentialStatus": {"id": status_url, "type": "1EdTechRevocationList"},
    }


def achievement(level: Level, base_url: str) -> dict[str, Any]:
    """A level as an Open Badges ``Achievement``: in every credential of that level, and at its
    own URL (its ``id``), so a verifier that follows the id finds what the credential names."""
    title = level.display_name
    return {
        "id": level_achievement_url(base_url, level),
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": title,
        "description": (
            f"{title}: a step of the National Quality Mentoring System, MENTOR's quality "
            "improvement process for mentoring programs. Not a score, a certification or a "
            "ranking."
        ),
        "criteria": {"narrative": level.criteria},
    }


def jwt_claims(credential: Credential) -> dict[str, Any]:
    """The JWT payload: the credential with the registered claims that mirror it."""
    valid_from = _seconds(credential["validFrom"])
    return {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": valid_from,
        "iat": valid_from,
        "exp": _seconds(credential["validUntil"]),
    }


def _seconds(iso: str) -> int:
    return timegm(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").timetuple())


class CredentialTooLarge(ValueError):
    """The signing input exceeds what KMS signs raw; shorten what the credential carries."""


def credential_token(credential: Credential, sign: jws.Sign, kid: str) -> str:
    """The credential as a compact JWS (VC-JWT), signed by ``sign`` (RS256) under ``kid``: the
    URL that answers the public key (its last segment is the key's id in the JWKS)."""

    def sign_within_limit(signing_input: bytes) -> bytes:
        if len(signing_input) > MAX_SIGNING_INPUT_BYTES:
            raise CredentialTooLarge(
                f"the signing input is {len(signing_input)} bytes; KMS signs at most "
                f"{MAX_SIGNING_INPUT_BYTES} raw"
            )
        return sign(signing_input)

    header = {"alg": "RS256", "kid": kid, "typ": "JWT"}
    return jws.encode(header, jwt_claims(credential), sign_within_limit)
