"""Use cases of the badge API's public face: verifying a link, the badge's image, the keys.

Verifying reads the published public keys (kept per process, read again only for a key id not
seen yet), the badge, and what its current status depends on (the program's current cycle):
no KMS call, nothing of the assessment or plan. The status is decided by ``rules.current_status``
as of today, so a link signed years ago tells the truth on the day it is followed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from functions.badge import credential as ob
from functions.badge import listing, records, store
from functions.badge.credential import (
    OB_CONTEXT,
    VC_CONTEXT,
    credential_token,
    open_badge_credential,
)
from functions.badge.issuer import publish_key
from functions.badge.records import BadgeTerms, StoredBadge
from functions.badge.rules import (
    DEFAULT_GRACE_MONTHS,
    BadgeFacts,
    BadgeStatus,
    Level,
    NewerCycle,
    current_status,
)
from functions.badge.view import (
    BadgeView,
    badge_credential_url,
    issuer_revocations_url,
    revocation_list_url,
    signing_key_url,
)
from shared import clock, jws
from shared.access import relations_in_general
from shared.adapters.signing import KmsSigner
from shared.adapters.table import Table
from shared.context import Context
from shared.domain.cycle_states import CycleState
from shared.errors import IllegalTransition, NotFound
from shared.events.badge import BadgeRevoked
from shared.settings import BadgeKeySettings, get_settings
from shared.store import cycles
from shared.store.affiliates import affiliate_exists, read_affiliate
from shared.store.pagination import PageRequest
from shared.store.programs import authorized_program

#: shared.edge.params.id_pattern("bdg"), without importing the API layer (the expiry job uses this).
_BADGE_ID = re.compile(r"^bdg_[0-9a-f]{20}$")
_published: dict[str, jws.Jwk] = {}


def forget_published_keys() -> None:
    """Drop the per-process copy of the public keys (tests start from an empty table)."""
    _published.clear()
    _configured_signers.cache_clear()


def published_keys(table: Table, wanted: str | None = None) -> dict[str, jws.Jwk]:
    """Every public key that ever signed a badge link or credential, by kid. Read once per
    process, and again when a token names a key not seen yet (one added since)."""
    if not _published or (wanted is not None and wanted not in _published):
        _published.update(store.published_signing_keys(table))
    return dict(_published)


@dataclass(frozen=True)
class Verified:
    view: BadgeView
    status: BadgeStatus


def verify(ctx: Context, table: Table, token: str, base_url: str) -> Verified:
    """The badge a link names, if the link is ours and unaltered; its status as of today.
    A malformed, altered or unknown-key token is a 400 saying which; a genuine link to a
    badge that does not exist (deleted data) is a 404."""
    ctx.authorize(relations_in_general(ctx.caller))
    kid = jws.parse(token).header.get("kid")
    parsed = jws.verify(token, published_keys(table, kid if isinstance(kid, str) else None))
    claims: dict[str, Any] = parsed.payload
    badge = _badge(table, str(claims.get("bid", "")))
    if badge.program_id != claims.get("pid") or badge.level.value != claims.get("lvl"):
        raise jws.InvalidToken("The link does not match the badge it names.", reason="mismatch")
    return Verified(view(badge, base_url), status_of(table, badge.terms, clock.now().date()))


def badge_image(ctx: Context, table: Table, badge_id: str, base_url: str) -> Verified:
    ctx.authorize(relations_in_general(ctx.caller))
    badge = _badge(table, badge_id)
    return Verified(view(badge, base_url), status_of(table, badge.terms, clock.now().date()))


def signing_keys(ctx: Context, table: Table) -> list[jws.Jwk]:
    """Every key that ever signed, and the keys configured to sign next: published here the
    first time a process is asked, so a verifier can fetch a key before its first badge."""
    ctx.authorize(relations_in_general(ctx.caller))
    found = published_keys(table)
    for kid in [publish_key(table, signer) for signer in _configured_signers()]:
        found = published_keys(table, kid)
    return list(found.values())


@functools.cache
def _configured_signers() -> tuple[KmsSigner, ...]:
    """The keys this deployment signs with (each reads its public key from KMS once)."""
    settings = get_settings(BadgeKeySettings)
    configured = (
        KmsSigner(settings.badge_link_key_id, "ES256"),
        KmsSigner(settings.badge_credential_key_id, "RS256"),
    )
    return tuple(signer for signer in configured if signer.key_id)


def program_badges(
    ctx: Context, table: Table, program_id: str
) -> list[tuple[StoredBadge, BadgeStatus]]:
    """A program's badges, newest first, each with its status today (for its own staff and
    its affiliates: the links and snippets to publish)."""
    authorized_program(ctx, table, program_id)
    today = clock.now().date()
    ordered = store.badges_of_program(table, program_id)
    current = current_cycle(table, program_id) if ordered else None
    return [
        (badge, status_in(terms, current, today, grace_months_of(table, terms, current, today)))
        for badge, terms in ((b, b.terms) for b in ordered)
    ]


def revoke(ctx: Context, table: Table, badge_id: str, reason: str) -> dict[str, Any]:
    """Take a badge back: the program's affiliates' staff, or national staff with the admin
    grant. Its link, image and listing say "Revoked" from the next request on."""
    badge = store.get_badge(table, badge_id) if _BADGE_ID.match(badge_id) else None
    program = authorized_program(ctx, table, badge.program_id if badge else None, what="Badge")
    assert badge is not None  # authorized_program refuses a missing one
    if badge.revoked:
        raise IllegalTransition(
            f"The badge was already revoked on {str(badge.revoked_at)[:10]}.",
            current_state="revoked",
        )
    user = ctx.caller.user_id or "system"
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    revoked = store.save_badge(
        uow,
        badge,
        {
            "revoked": True,
            "revoked_reason": reason,
            "revoked_by": user,
            "revoked_at": clock.now_iso(),
        },
    )
    stored = listing.stored_badges(table, badge.program_id)
    listing.keep_listed(uow, badge.program_id, listing.as_left(stored, [revoked]))
    # On its issuer's public revocation list (the credential's status) from this commit on.
    uow.create(
        records.revocation_record(badge.affiliate_id, badge_id, revoked["revoked_at"]),
        what="Revocation",
    )
    cycles.audit_change(ctx, uow, badge.program_id, f"badge:{badge_id}")
    revoked_event = BadgeRevoked(badge_id=badge_id, program_id=badge.program_id, revoked_by=user)
    uow.emit(
        cycles.cycle_event(
            ctx, badge.program_id, program.affiliate_ids, badge.cycle_id, revoked_event
        )
    )
    uow.commit()
    return revoked


def credential(ctx: Context, table: Table, badge_id: str, base_url: str) -> str:
    """The badge's Open Badges 3.0 credential as a VC-JWT (RS256, the KMS RSA key). Signed
    once and kept on the badge (for this base URL and credential format); its ``kid`` is the
    URL of its public key, its ``credentialStatus`` the issuer's revocation list."""
    ctx.authorize(relations_in_general(ctx.caller))
    badge = _badge(table, badge_id)
    if (
        badge.credential_jwt
        and badge.credential_base == base_url
        and badge.credential_format == ob.FORMAT
    ):
        return badge.credential_jwt
    shown = view(badge, base_url)
    signer = KmsSigner(get_settings(BadgeKeySettings).badge_credential_key_id, "RS256")
    kid = signing_key_url(base_url, publish_key(table, signer))
    document = open_badge_credential(shown, revocation_list_url(shown))
    token = credential_token(document, signer.sign, kid)
    store.keep_credential(
        table,
        badge_id,
        {"credential_jwt": token, "credential_base": base_url, "credential_format": ob.FORMAT},
    )
    return token


def signing_key(ctx: Context, table: Table, kid: str) -> jws.Jwk:
    """One published public key (what a credential's ``kid`` URL answers)."""
    ctx.authorize(relations_in_general(ctx.caller))
    found = published_keys(table, kid).get(kid)
    if found is None:
        raise NotFound("No such signing key.")
    return found


def achievement(ctx: Context, level: str, base_url: str) -> dict[str, Any]:
    """A level's Open Badges achievement (what a credential's achievement id names)."""
    ctx.authorize(relations_in_general(ctx.caller))
    if level not in {lv.value for lv in Level}:
        raise NotFound("No such achievement.")
    return {"@context": [VC_CONTEXT, OB_CONTEXT], **ob.achievement(Level(level), base_url)}


def revocation_list(ctx: Context, table: Table, affiliate_id: str, base_url: str) -> dict[str, Any]:
    """The issuer's revocation list in 1EdTech's shape (Revocation List Status Method): the
    id of every credential it revoked. The reason stays in the table (it is the affiliate's
    text about a program)."""
    ctx.authorize(relations_in_general(ctx.caller))
    if not affiliate_exists(table, affiliate_id):
        raise NotFound("Issuer not found.")
    revoked = store.revocations_of(table, affiliate_id)
    base = base_url.rstrip("/")
    return {
        "id": issuer_revocations_url(base, affiliate_id),
        "issuer": f"{base}/issuers/{affiliate_id}",
        "revokedCredentials": [
            {"id": badge_credential_url(base, str(r["badge_id"]))}
            for r in sorted(revoked, key=lambda r: str(r["revoked_at"]))
        ],
    }


def issuer_profile(ctx: Context, table: Table, affiliate_id: str, base_url: str) -> dict[str, Any]:
    """The affiliate as an Open Badges issuer ``Profile`` (what a credential's issuer id names):
    its public name only."""
    ctx.authorize(relations_in_general(ctx.caller))
    affiliate = read_affiliate(table, affiliate_id)
    if affiliate is None:
        raise NotFound("Issuer not found.")
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"{base_url.rstrip('/')}/issuers/{affiliate_id}",
        "type": ["Profile"],
        "name": affiliate.name,
    }


@dataclass(frozen=True)
class DirectoryQuery:
    affiliate_id: str | None
    state: str | None
    page: PageRequest


@dataclass(frozen=True)
class DirectoryPage:
    listed: list[dict[str, Any]]  # listing records (``listing.LISTED_FIELDS``)
    next: str | None


def quality_programs(ctx: Context, table: Table, query: DirectoryQuery) -> DirectoryPage:
    """One page of the partner directory (public), by program name: one query of a sparse
    index partition. A program whose badge is past its valid-until is shown only while the
    renewal rule keeps it valid (its current cycle is read, for those rows only)."""
    ctx.authorize(relations_in_general(ctx.caller))
    page = store.directory_page(table, query.affiliate_id, query.state, query.page)
    today = clock.now().date()
    listed = [
        row
        for row in page.items
        if row["valid_until"] >= today.isoformat()
        # past its date: renewal in progress?
        or status_of(table, BadgeTerms.of_item(row), today).is_valid
    ]
    return DirectoryPage(listed=listed, next=page.next)


def _badge(table: Table, badge_id: str) -> StoredBadge:
    valid = _BADGE_ID.match(badge_id)
    badge = store.get_badge(table, badge_id, consistent=False) if valid else None
    if badge is None:
        raise NotFound("Badge not found.")
    return badge


@dataclass(frozen=True)
class CurrentCycle:
    """The program's current cycle, as the renewal rule sees it from any of its badges."""

    cycle_id: str
    facts: NewerCycle


def current_cycle(table: Table, program_id: str) -> CurrentCycle | None:
    """The program's current cycle (its guard, then the cycle): read once per program."""
    guard = cycles.read_guard(table, program_id, consistent=False)
    cycle = cycles.read(table, guard.current_cycle_id, consistent=False) if guard else None
    if cycle is None:
        return None
    return CurrentCycle(
        cycle_id=cycle.cycle_id,
        facts=NewerCycle(
            opened_on=date.fromisoformat(str(cycle.opened_at)[:10]),
            archived=cycle.state is CycleState.ARCHIVED,
            step_1_issued=False,  # its Step 1 marks the older badges superseded instead
        ),
    )


def status_in(
    badge: BadgeTerms,
    current: CurrentCycle | None,
    as_of: date,
    grace_months: int = DEFAULT_GRACE_MONTHS,
) -> BadgeStatus:
    """The renewal rule (``rules.current_status``) on a badge's stored facts and its program's
    current cycle, which counts only when it is not the badge's own."""
    newer = current.facts if current and current.cycle_id != badge.cycle_id else None
    facts = BadgeFacts(
        valid_until=badge.valid_until, revoked=badge.revoked, superseded=badge.superseded
    )
    return current_status(facts, newer, as_of, grace_months)


def grace_months_of(
    table: Table, badge: BadgeTerms, current: CurrentCycle | None, as_of: date
) -> int:
    """The badge's affiliate's renewal grace period, read only when it can matter: a newer
    cycle runs and the badge is past its date."""
    renewing = current is not None and current.cycle_id != badge.cycle_id
    if not renewing or as_of <= badge.valid_until:
        return DEFAULT_GRACE_MONTHS
    affiliate = read_affiliate(table, badge.affiliate_id)
    grace = affiliate.renewal_grace_months if affiliate is not None else None
    return DEFAULT_GRACE_MONTHS if grace is None else grace


def status_of(table: Table, badge: BadgeTerms, as_of: date) -> BadgeStatus:
    """One badge's status on ``as_of``: reads its program's current cycle (and, past the
    badge's date while a newer cycle runs, its affiliate's grace period)."""
    current = current_cycle(table, badge.program_id)
    return status_in(badge, current, as_of, grace_months_of(table, badge, current, as_of))


def view(badge: StoredBadge, base_url: str) -> BadgeView:
    return BadgeView(
        badge_id=badge.badge_id,
        level=badge.level,
        program_id=badge.program_id,
        program_name=badge.program_name,
        affiliate_id=badge.affiliate_id,
        affiliate_name=badge.affiliate_name,
        affiliate_url=badge.affiliate_url,
        issued=badge.valid_from,
        valid_until=badge.valid_until,
        base_url=base_url,
    )
