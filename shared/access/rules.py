"""The vocabulary every service's access part uses: relations, and a rule per role."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from shared.identity import Role


class Relation(StrEnum):
    ANYONE = "anyone"  # public: no token needed
    SIGNED_IN = "signed_in"  # any verified caller (what they see is then filtered)
    PROGRAM_MEMBER = "program_member"  # member of this program
    SERVING_AFFILIATE_STAFF = "serving_affiliate_staff"  # staff of an affiliate serving it
    AFFILIATE_STAFF = "affiliate_staff"  # staff of this affiliate
    NATIONAL_ADMIN = "national_admin"  # national staff with the explicit admin grant
    NATIONAL_RESULTS = "national_results"  # national staff with the explicit results grant


DENY: frozenset[Relation] = frozenset()
R = Relation
ALL_ROLES = (Role.PROGRAM_STAFF, Role.AFFILIATE_STAFF, Role.NATIONAL_STAFF, Role.ANONYMOUS)

#: role -> relations that allow an operation. Empty means denied for that role.
Rule = Mapping[Role, frozenset[Relation]]


def rule(
    *,
    program_staff: Iterable[Relation] = (),
    affiliate_staff: Iterable[Relation] = (),
    national_staff: Iterable[Relation] = (),
    anonymous: Iterable[Relation] = (),
) -> Rule:
    return {
        Role.PROGRAM_STAFF: frozenset(program_staff),
        Role.AFFILIATE_STAFF: frozenset(affiliate_staff),
        Role.NATIONAL_STAFF: frozenset(national_staff),
        Role.ANONYMOUS: frozenset(anonymous),
    }


#: Any signed-in user (what they see is then filtered by their memberships).
SIGNED_IN = rule(
    program_staff=[R.SIGNED_IN], affiliate_staff=[R.SIGNED_IN], national_staff=[R.SIGNED_IN]
)

#: Confidential results of a program: its staff, the affiliates serving it, national staff
#: with the results grant.
READ_RESULTS = rule(
    program_staff=[R.PROGRAM_MEMBER],
    affiliate_staff=[R.SERVING_AFFILIATE_STAFF],
    national_staff=[R.NATIONAL_RESULTS],
)
