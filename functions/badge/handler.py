"""Badge API, public face: verification links, badge images, the signing keys (no login).

Thin routes: each one parses the request, calls one use case in ``logic`` and answers what
``replies`` builds of it. Links name the API's public address (PUBLIC_API_URL).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel

from functions.badge import logic, replies
from functions.badge.models import (
    AchievementOut,
    HeldBadges,
    IssuerProfile,
    QualityPrograms,
    Revocation,
    RevocationIn,
    RevocationList,
    SigningKey,
    SigningKeys,
    VerifiedBadge,
)
from functions.badge.page import invalid_link_page
from functions.badge.settings import BadgeApiSettings
from shared import jws
from shared.adapters.table import default_table
from shared.edge.api import (
    context,
    create_app,
    document_responses,
    handler_for,
    problem_responses,
)
from shared.edge.http import Response
from shared.edge.params import AffiliateId, Limit, Next, Path, ProgramId, Query, id_pattern
from shared.errors import NotFound
from shared.settings import cold_start
from shared.store.pagination import DEFAULT_LIMIT, PageRequest

cold_start(BadgeApiSettings)

app = create_app()
BADGES = ["badges"]

# Any text: a link cut short or altered is told as such (400, and a page for a browser) by
# the token's own checks, not refused by the route's validation.
Token = Annotated[
    str,
    Path(min_length=1, description="The badge's verification link token (a compact JWS)."),
]
BadgeId = Annotated[str, Path(alias="badgeId", pattern=id_pattern("bdg"))]
CACHE_PUBLIC = "public, max-age=300"


def _base() -> str:
    """The API's public address (the setting; without a custom domain, for this stage)."""
    request_context = app.current_event.get("requestContext") or {}
    return replies.public_base(request_context.get("apiId"))


def _public(body: BaseModel, cache: str = CACHE_PUBLIC) -> Response[Any]:
    """A public JSON document (by its aliases: ``@context``), cacheable unless told not."""
    dumped: Any = body.model_dump(mode="json", by_alias=True)
    return Response(200, "application/json", dumped, {"Cache-Control": cache})


def _with_page(responses: dict[int, Any], *statuses: int) -> dict[int, Any]:
    """``responses`` where ``statuses`` also answer a browser with an HTML page."""
    html = {"text/html": {"schema": {"type": "string"}}}
    return {
        status: {**entry, "content": {**entry["content"], **html}} if status in statuses else entry
        for status, entry in responses.items()
    }


def _wants_html() -> bool:
    accept = str(app.current_event.headers.get("Accept") or "")
    return "text/html" in accept and "application/json" not in accept.split(",")[0]


@app.get(
    "/verify/<token>",
    operation_id="verifyBadge",
    tags=BADGES,
    summary="Verify a badge (public): who holds it, its level and dates, its status today",
    description="JSON, or a small accessible HTML page when the client asks for `text/html` "
    "(a browser). A link never expires by itself; the status says whether the badge is valid "
    "today. A malformed, altered or unknown-key link is a 400 problem (for a browser, a page "
    "that says the link is not valid and what to do, still 400); a genuine link to a badge "
    "that is gone is a 404 (the same for a browser).",
    responses={
        200: {
            "description": "The badge as partners see it.",
            "content": {
                "application/json": {"model": VerifiedBadge},
                "text/html": {"schema": {"type": "string"}},
            },
        },
        **_with_page(problem_responses(400, 404, 422), 400, 404),
    },
)
def verify_badge(token: Token) -> Response[Any]:
    try:
        verified = logic.verify(context(app), default_table(), token, _base())
    except (jws.InvalidToken, NotFound) as refused:
        if not _wants_html():
            raise  # problem+json, as for every JSON client
        code, kind = (
            (400, "invalid") if isinstance(refused, jws.InvalidToken) else (404, "not_found")
        )
        page = invalid_link_page(kind)
        return Response(code, "text/html; charset=utf-8", page, {"Cache-Control": "no-store"})
    if _wants_html():
        page = replies.verified_page(verified)
        return Response(200, "text/html; charset=utf-8", page, {"Cache-Control": "no-store"})
    body = replies.verified_badge(verified).model_dump_json()
    return Response(200, "application/json", body, {"Cache-Control": "no-store"})


@app.get(
    "/badges/<badgeId>/image.svg",
    operation_id="getBadgeImage",
    tags=BADGES,
    summary="The badge's image (public SVG): level, program, valid-until, or Expired/Revoked",
    responses={
        **document_responses("image/svg+xml", "The image."),
        **problem_responses(404, 422),
    },
)
def get_badge_image(badge_id: BadgeId) -> Response[str]:
    shown = logic.badge_image(context(app), default_table(), badge_id, _base())
    svg = replies.image(shown)
    return Response(200, "image/svg+xml; charset=utf-8", svg, {"Cache-Control": CACHE_PUBLIC})


@app.get(
    "/.well-known/jwks.json",
    operation_id="getSigningKeys",
    tags=BADGES,
    summary="The public keys that sign badge links and credentials (JWKS)",
    description="Every key that ever signed one, so links signed before a rotation verify.",
    responses=problem_responses(),
)
def get_signing_keys() -> Response[SigningKeys]:
    return _public(SigningKeys(keys=logic.signing_keys(context(app), default_table())))


@app.get(
    "/programs/<programId>/badges",
    operation_id="listProgramBadges",
    tags=BADGES,
    summary="A program's badges with their verify links, images and embed snippets",
    description="Newest first, each with its status today. For the program's staff and its "
    "affiliates' staff.",
    responses=problem_responses(403, 404),
)
def list_program_badges(program_id: ProgramId) -> HeldBadges:
    return replies.held_badges(
        logic.program_badges(context(app), default_table(), program_id), _base()
    )


@app.get(
    "/directory/quality-programs",
    operation_id="listQualityPrograms",
    tags=BADGES,
    summary="Programs holding a valid badge (public): for referral search and partner pages",
    description="By program name. Each row: the program's public name, its affiliate, its "
    "highest valid level, valid-until and the verify link; nothing else about it. Filter by "
    "affiliate (the programs it serves) and by state (the affiliate's).",
    responses=problem_responses(400, 422),
)
def list_quality_programs(
    affiliate_id: Annotated[
        str | None,
        Query(alias="affiliateId", pattern=id_pattern("aff"), description="Only its programs."),
    ] = None,
    state: Annotated[
        str | None,
        Query(pattern=r"^[A-Z]{2}$", description="Only affiliates in this state.", examples=["VA"]),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    next_: Next = None,
) -> Response[QualityPrograms]:
    query = logic.DirectoryQuery(affiliate_id, state, PageRequest(limit, next_))
    found = logic.quality_programs(context(app), default_table(), query)
    body: Any = replies.quality_programs(found, _base()).model_dump(mode="json")
    return Response(200, "application/json", body, {"Cache-Control": CACHE_PUBLIC})


@app.post(
    "/badges/<badgeId>/revoke",
    operation_id="revokeBadge",
    tags=BADGES,
    summary="Revoke a badge, with a reason (the program's affiliates, or the admin grant)",
    description="Its link, image and the program's list say revoked from the next request.",
    responses=problem_responses(403, 404, 409, 422),
)
def revoke_badge(badge_id: BadgeId, body: RevocationIn) -> Revocation:
    return replies.revocation(logic.revoke(context(app), default_table(), badge_id, body.reason))


@app.get(
    "/badges/<badgeId>/credential",
    operation_id="getBadgeCredential",
    tags=BADGES,
    summary="The badge as an Open Badges 3.0 credential (VC-JWT, RS256), public",
    description="An `OpenBadgeCredential` (VC Data Model 2.0) signed as a JWT: the affiliate "
    "issues it, the program is its subject; its `credentialStatus` is the issuer's revocation "
    "list (`/issuers/{affiliateId}/revocations`), its `credentialSchema` 1EdTech's OB 3.0 JSON "
    "schema. Its `kid` is the URL of its public key (`/keys/{kid}`, also in "
    "`/.well-known/jwks.json`).",
    responses={
        **document_responses("application/jwt", "The compact JWT."),
        **problem_responses(404, 422),
    },
)
def get_badge_credential(badge_id: BadgeId) -> Response[str]:
    token = logic.credential(context(app), default_table(), badge_id, _base())
    return Response(200, "application/jwt", token, {"Cache-Control": CACHE_PUBLIC})


@app.get(
    "/issuers/<affiliateId>",
    operation_id="getBadgeIssuer",
    tags=BADGES,
    summary="An affiliate as an Open Badges issuer profile (public)",
    responses=problem_responses(404, 422),
)
def get_badge_issuer(affiliate_id: AffiliateId) -> Response[IssuerProfile]:
    profile = logic.issuer_profile(context(app), default_table(), affiliate_id, _base())
    return _public(IssuerProfile.model_validate(profile))


@app.get(
    "/issuers/<affiliateId>/revocations",
    operation_id="getIssuerRevocations",
    tags=BADGES,
    summary="An issuer's revocation list (public): every credential it revoked",
    description="1EdTech's Revocation List shape (`revokedCredentials`, each by the "
    "credential's `id`): what a credential's `credentialStatus` (`1EdTechRevocationList`) "
    "points at. Not cached, so a revocation shows on the next request.",
    responses=problem_responses(404, 422),
)
def get_issuer_revocations(affiliate_id: AffiliateId) -> Response[RevocationList]:
    found = logic.revocation_list(context(app), default_table(), affiliate_id, _base())
    return _public(RevocationList.model_validate(found), cache="no-store")


@app.get(
    "/keys/<kid>",
    operation_id="getSigningKey",
    tags=BADGES,
    summary="One public signing key as a JWK (public): what a credential's `kid` names",
    responses=problem_responses(404, 422),
)
def get_signing_key(
    kid: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,100}$", description="The key's id.")],
) -> Response[SigningKey]:
    return _public(SigningKey.model_validate(logic.signing_key(context(app), default_table(), kid)))


@app.get(
    "/achievements/<level>",
    operation_id="getAchievement",
    tags=BADGES,
    summary="A badge level as an Open Badges achievement (public)",
    description="What a credential's achievement `id` names: the level, what it means, and "
    "its criteria.",
    responses=problem_responses(404, 422),
)
def get_achievement(
    level: Annotated[str, Path(pattern=r"^[a-z0-9]{1,20}$", examples=["step1"])],
) -> Response[AchievementOut]:
    return _public(AchievementOut.model_validate(logic.achievement(context(app), level, _base())))


lambda_handler = handler_for(app)
