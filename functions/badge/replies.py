"""The badge API's answers, built from what the use cases found: the handler only routes.

Every URL in them starts from the API's public address, a setting (PUBLIC_API_URL), never the
address a request came in by (its Host header): a link or a credential names the same place
however it was fetched. Without a custom domain the setting is the stage's address with
``{api-id}`` in it (the template cannot name the API in the function that serves it), filled
in from the request context, which API Gateway sets and a client cannot.
"""

from __future__ import annotations

from typing import Any

from functions.badge import logic
from functions.badge.image import badge_svg
from functions.badge.models import (
    HeldBadge,
    HeldBadges,
    QualityProgram,
    QualityPrograms,
    Revocation,
    VerifiedBadge,
)
from functions.badge.page import embed_snippet, verify_page
from functions.badge.records import StoredBadge
from functions.badge.rules import BadgeStatus, Level
from functions.badge.view import image_url, verify_url
from shared.domain.badge_links import verify_link
from shared.settings import PublicUrlSettings, get_settings

API_ID = "{api-id}"


def public_base(api_id: str | None = None) -> str:
    """The API's public address, without a trailing slash (``api_id``: of the request)."""
    configured = get_settings(PublicUrlSettings).public_api_url
    return configured.replace(API_ID, api_id) if api_id and API_ID in configured else configured


def verified_badge(verified: logic.Verified) -> VerifiedBadge:
    view, status = verified.view, verified.status
    return VerifiedBadge(
        badge_id=view.badge_id,
        program_name=view.program_name,
        affiliate_name=view.affiliate_name,
        level=view.level.value,
        level_name=view.level.display_name,
        issued=view.issued,
        valid_until=view.valid_until,
        status=status.value,
        valid=status.is_valid,
        image=image_url(view),
    )


def verified_page(verified: logic.Verified) -> str:
    """The verify link's page for a browser."""
    return verify_page(verified.view, verified.status, image_url(verified.view))


def image(shown: logic.Verified) -> str:
    return badge_svg(shown.view, shown.status)


def held_badges(held: list[tuple[StoredBadge, BadgeStatus]], base: str) -> HeldBadges:
    """A program's badges with the links and snippet its staff publish."""
    items = []
    for badge, status in held:
        view = logic.view(badge, base)
        link, picture = verify_url(view, badge.verify_token), image_url(view)
        items.append(
            HeldBadge(
                badge_id=view.badge_id,
                level=view.level.value,
                level_name=view.level.display_name,
                issued=view.issued,
                valid_until=view.valid_until,
                status=status.value,
                valid=status.is_valid,
                verify_url=link,
                image=picture,
                embed_html=embed_snippet(view, link, picture),
            )
        )
    return HeldBadges(items=items)


def quality_programs(found: logic.DirectoryPage, base: str) -> QualityPrograms:
    """One page of the partner directory: each program's public face only."""
    rows = [
        QualityProgram(
            program_name=row["program_name"],
            affiliate_id=row["affiliate_id"],
            affiliate_name=row["affiliate_name"],
            state=row.get("state"),
            level=row["level"],
            level_name=Level(row["level"]).display_name,
            valid_until=row["valid_until"],
            verify_url=verify_link(base, row["verify_token"]),
        )
        for row in found.listed
    ]
    return QualityPrograms(items=rows, next=found.next)


def revocation(revoked: dict[str, Any]) -> Revocation:
    return Revocation(
        badge_id=revoked["badge_id"],
        status="revoked",
        revoked_by=revoked["revoked_by"],
        revoked_at=revoked["revoked_at"],
    )
