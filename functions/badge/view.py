"""What a badge shows the world, and where each of its public pieces lives. Pure.

The credential, the image and the verify page are all drawn from one :class:`BadgeView`, so
they cannot disagree; it holds only what a partner may see (nothing of the assessment or plan).
URLs are built from the API's base URL in one place, so the issuer profile, the achievement and
the image a credential names are the routes that answer them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from functions.badge.rules import BadgeStatus, Level
from shared.domain.badge_links import image_link, public_url, verify_link


@dataclass(frozen=True)
class BadgeView:
    badge_id: str
    level: Level
    program_id: str
    program_name: str
    affiliate_id: str
    affiliate_name: str
    affiliate_url: str | None  # the affiliate's own website, when it has one
    issued: date
    valid_until: date
    base_url: str  # the public API's base, e.g. https://api.nqms.example (no trailing slash)


def credential_url(view: BadgeView) -> str:
    return badge_credential_url(view.base_url, view.badge_id)


def badge_credential_url(base_url: str, badge_id: str) -> str:
    """A badge's credential: also its ``id``, by which a revocation list names it."""
    return public_url(base_url, "badges", badge_id, "credential")


def image_url(view: BadgeView) -> str:
    return image_link(view.base_url, view.badge_id)


def issuer_url(view: BadgeView) -> str:
    """The affiliate's issuer profile (Open Badges ``Profile``), resolvable by verifiers."""
    return public_url(view.base_url, "issuers", view.affiliate_id)


def achievement_url(view: BadgeView) -> str:
    """One achievement per level, shared by every badge of that level."""
    return level_achievement_url(view.base_url, view.level)


def revocation_list_url(view: BadgeView) -> str:
    """The issuer's revocation list (1EdTech Revocation List), the credential's status."""
    return issuer_revocations_url(view.base_url, view.affiliate_id)


def issuer_revocations_url(base_url: str, affiliate_id: str) -> str:
    return public_url(base_url, "issuers", affiliate_id, "revocations")


def level_achievement_url(base_url: str, level: Level) -> str:
    return public_url(base_url, "achievements", level.value)


def signing_key_url(base_url: str, kid: str) -> str:
    """Where one public key answers as a JWK: the ``kid`` of a credential's JOSE header, a URI
    that dereferences to the key (as OB 3.0's VC-JWT proof asks)."""
    return public_url(base_url, "keys", kid)


def subject_url(view: BadgeView) -> str:
    return public_url(view.base_url, "programs", view.program_id)


def verify_url(view: BadgeView, token: str) -> str:
    return verify_link(view.base_url, token)


#: A status in the words a partner reads.
STATUS_WORDS: dict[BadgeStatus, str] = {
    BadgeStatus.ACTIVE: "Active",
    BadgeStatus.RENEWAL_IN_PROGRESS: "Renewal in progress",
    BadgeStatus.EXPIRED: "Expired",
    BadgeStatus.REVOKED: "Revoked",
    BadgeStatus.SUPERSEDED: "Superseded",
}
