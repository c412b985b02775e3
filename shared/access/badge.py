"""Access rules of the badge service: partners verify badges without an account."""

from __future__ import annotations

from collections.abc import Mapping

from shared.access.rules import R, Rule, rule

#: Anyone, signed in or not: a badge's public face (nothing of the assessment or plan).
PUBLIC = rule(
    program_staff=[R.ANYONE],
    affiliate_staff=[R.ANYONE],
    national_staff=[R.ANYONE],
    anonymous=[R.ANYONE],
)

ACCESS: Mapping[str, Rule] = {
    # The links and snippets a program publishes: its staff, its affiliates, national staff
    # with the results grant (they read what a serving affiliate reads) or the admin grant.
    "listProgramBadges": rule(
        program_staff=[R.PROGRAM_MEMBER],
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF],
        national_staff=[R.NATIONAL_RESULTS, R.NATIONAL_ADMIN],
    ),
    "revokeBadge": rule(
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]
    ),
    "verifyBadge": PUBLIC,
    "getBadgeImage": PUBLIC,
    "getSigningKeys": PUBLIC,
    "getBadgeCredential": PUBLIC,
    "getBadgeIssuer": PUBLIC,
    "getIssuerRevocations": PUBLIC,
    "getSigningKey": PUBLIC,
    "getAchievement": PUBLIC,
    "listQualityPrograms": PUBLIC,
}

#: A badge is read through its program's list (whoever may see that may know it exists).
READ_OPERATION: Mapping[str, str] = {"Badge": "listProgramBadges"}

ACTIONS: Mapping[str, str] = {
    "listProgramBadges": "list this program's badges",
    "revokeBadge": "revoke a badge",
    "verifyBadge": "verify a badge",
    "getBadgeImage": "see a badge's image",
    "getSigningKeys": "read the badge signing keys",
    "getBadgeCredential": "download a badge's credential",
    "getBadgeIssuer": "read an issuer's profile",
    "getIssuerRevocations": "read an issuer's revocation list",
    "getSigningKey": "read a badge signing key",
    "getAchievement": "read a badge level's achievement",
    "listQualityPrograms": "list the programs holding a valid badge",
}

#: A program's badges are its public face (links, images, snippets), not its results: the
#: results grant reads them without an audit entry.
NOT_AUDITED = frozenset({"listProgramBadges"})
