"""Response models of the badge API's public face."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.edge.types import Input, Output


class RevocationIn(Input):
    reason: str = Field(
        min_length=3, max_length=1000, description="Why (kept in the table, not published)."
    )


class Revocation(Output):
    badge_id: str
    status: Literal["revoked"]
    revoked_by: str
    revoked_at: str


class VerifiedBadge(Output):
    badge_id: str
    program_name: str = Field(description="The program's public name.")
    affiliate_name: str = Field(description="The MENTOR affiliate that issued it.")
    level: Literal["step1", "step2"]
    level_name: str = Field(examples=["Initiated in NQMS"])
    issued: date
    valid_until: date
    status: Literal["active", "renewal_in_progress", "expired", "revoked", "superseded"] = Field(
        description="Today's status: active and renewal_in_progress are valid."
    )
    valid: bool = Field(description="Whether a partner may rely on the badge today.")
    image: str = Field(description="The badge's image (SVG).")


class SigningKeys(Output):
    keys: list[dict[str, str]] = Field(description="Public JWKs (RFC 7517) by `kid`.")


class HeldBadge(Output):
    badge_id: str
    level: Literal["step1", "step2"]
    level_name: str
    issued: date
    valid_until: date
    status: Literal["active", "renewal_in_progress", "expired", "revoked", "superseded"]
    valid: bool
    verify_url: str = Field(description="The link partners follow (it never expires).")
    image: str
    embed_html: str = Field(description="Paste into the program's website: image and link.")


class HeldBadges(Output):
    items: list[HeldBadge]


class QualityProgram(Output):
    program_name: str = Field(description="The program's public name.")
    affiliate_id: str
    affiliate_name: str = Field(description="The MENTOR affiliate whose badge it holds.")
    state: str | None = Field(description="The affiliate's two-letter state or territory code.")
    level: Literal["step1", "step2"] = Field(description="Its highest valid badge.")
    level_name: str = Field(examples=["Progressing in NQMS"])
    valid_until: date
    verify_url: str = Field(description="The badge's verification link (public).")


class QualityPrograms(Output):
    items: list[QualityProgram]
    next: str | None = Field(default=None, description="Cursor of the next page, if any.")


class IssuerProfile(Output):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, defer_build=True)

    context: list[str] = Field(alias="@context")
    id: str
    type: list[str]
    name: str


class RevokedCredential(Output):
    id: str = Field(description="The revoked credential's `id`.")


class RevocationList(Output):
    """An issuer's revocation list, in 1EdTech's Revocation List shape."""

    model_config = ConfigDict(populate_by_name=True, defer_build=True)

    id: str
    issuer: str = Field(description="The issuer profile's URL.")
    revoked_credentials: list[RevokedCredential] = Field(alias="revokedCredentials")


class Criteria(Output):
    narrative: str


class AchievementOut(Output):
    """A level as an Open Badges 3.0 `Achievement` (what a credential's achievement id names)."""

    model_config = ConfigDict(populate_by_name=True, defer_build=True)

    context: list[str] = Field(alias="@context")
    id: str
    type: list[str]
    achievement_type: str = Field(alias="achievementType")
    name: str
    description: str
    criteria: Criteria


class SigningKey(BaseModel):
    """One public JWK (RFC 7517): ``kty``, ``kid``, ``alg``, ``use`` and the key's parameters."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    kty: str
    kid: str
