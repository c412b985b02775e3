"""Who may call what: one table, one pure decision function, deny by default.

Every OpenAPI operation (by ``operationId``) has an entry that names, for every role, the
relations to the target that allow the call. A relation is computed from the caller's
membership records and the target record (a program's affiliates, an affiliate id), never
from the request body. An operation without an entry, or a role not listed, is denied; a test
fails when an operation of the OpenAPI document has no entry for some role.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from shared.identity import Caller, Grant, Role


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
_ALL_ROLES = (Role.PROGRAM_STAFF, Role.AFFILIATE_STAFF, Role.NATIONAL_STAFF, Role.ANONYMOUS)


def _rule(
    *,
    program_staff: Iterable[Relation] = (),
    affiliate_staff: Iterable[Relation] = (),
    national_staff: Iterable[Relation] = (),
    anonymous: Iterable[Relation] = (),
) -> dict[Role, frozenset[Relation]]:
    return {
        Role.PROGRAM_STAFF: frozenset(program_staff),
        Role.AFFILIATE_STAFF: frozenset(affiliate_staff),
        Role.NATIONAL_STAFF: frozenset(national_staff),
        Role.ANONYMOUS: frozenset(anonymous),
    }


#: Confidential results of a program: its staff, the affiliates serving it, national staff
#: with the results grant.
_READ_RESULTS = _rule(
    program_staff=[R.PROGRAM_MEMBER],
    affiliate_staff=[R.SERVING_AFFILIATE_STAFF],
    national_staff=[R.NATIONAL_RESULTS],
)

#: operationId -> role -> relations that allow it. Empty means denied for that role.
ACCESS: Mapping[str, Mapping[Role, frozenset[Relation]]] = {
    # directory ------------------------------------------------------------------------
    "getMe": _rule(
        program_staff=[R.SIGNED_IN], affiliate_staff=[R.SIGNED_IN], national_staff=[R.SIGNED_IN]
    ),
    # The caller's own invitations (pending memberships): found in its own records only.
    "listMyInvitations": _rule(
        program_staff=[R.SIGNED_IN], affiliate_staff=[R.SIGNED_IN], national_staff=[R.SIGNED_IN]
    ),
    "acceptInvitation": _rule(
        program_staff=[R.SIGNED_IN], affiliate_staff=[R.SIGNED_IN], national_staff=[R.SIGNED_IN]
    ),
    "declineInvitation": _rule(
        program_staff=[R.SIGNED_IN], affiliate_staff=[R.SIGNED_IN], national_staff=[R.SIGNED_IN]
    ),
    "createAffiliate": _rule(national_staff=[R.NATIONAL_ADMIN]),
    "listAffiliates": _rule(
        program_staff=[R.SIGNED_IN], affiliate_staff=[R.SIGNED_IN], national_staff=[R.SIGNED_IN]
    ),
    "getAffiliate": _rule(
        affiliate_staff=[R.AFFILIATE_STAFF],
        national_staff=[R.NATIONAL_ADMIN, R.NATIONAL_RESULTS],
    ),
    "inviteAffiliateStaff": _rule(
        affiliate_staff=[R.AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]
    ),
    "listAffiliateStaff": _rule(
        affiliate_staff=[R.AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]
    ),
    "enrollProgram": _rule(affiliate_staff=[R.AFFILIATE_STAFF]),
    "listPrograms": _rule(
        program_staff=[R.SIGNED_IN], affiliate_staff=[R.SIGNED_IN], national_staff=[R.SIGNED_IN]
    ),
    "getProgram": _rule(
        program_staff=[R.PROGRAM_MEMBER],
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF],
        national_staff=[R.NATIONAL_RESULTS, R.NATIONAL_ADMIN],
    ),
    "inviteProgramMember": _rule(
        program_staff=[R.PROGRAM_MEMBER], affiliate_staff=[R.SERVING_AFFILIATE_STAFF]
    ),
    "listProgramMembers": _rule(
        program_staff=[R.PROGRAM_MEMBER],
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF],
        national_staff=[R.NATIONAL_ADMIN],
    ),
    # assessment: instruments ---------------------------------------------------------
    "listInstruments": _rule(
        program_staff=[R.SIGNED_IN], affiliate_staff=[R.SIGNED_IN], national_staff=[R.SIGNED_IN]
    ),
    "getInstrument": _rule(
        program_staff=[R.SIGNED_IN], affiliate_staff=[R.SIGNED_IN], national_staff=[R.SIGNED_IN]
    ),
    "publishInstrument": _rule(national_staff=[R.NATIONAL_ADMIN]),
    # assessment: cycles and answers (a cycle's target is its program) ----------------
    "openCycle": _rule(affiliate_staff=[R.SERVING_AFFILIATE_STAFF]),
    "listCycles": _READ_RESULTS,
    "getCycle": _READ_RESULTS,
    "getAssessment": _READ_RESULTS,
    "saveAnswer": _rule(program_staff=[R.PROGRAM_MEMBER]),
    "getReadiness": _rule(
        program_staff=[R.PROGRAM_MEMBER], affiliate_staff=[R.SERVING_AFFILIATE_STAFF]
    ),
    "submitAssessment": _rule(program_staff=[R.PROGRAM_MEMBER]),
    "returnAssessment": _rule(affiliate_staff=[R.SERVING_AFFILIATE_STAFF]),
    "archiveCycle": _rule(
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]
    ),
    "compareCycles": _READ_RESULTS,
    # assessment: evidence (program documents; never national) -----------------------
    "createEvidenceUpload": _rule(program_staff=[R.PROGRAM_MEMBER]),
    "confirmEvidence": _rule(program_staff=[R.PROGRAM_MEMBER]),
    "linkEvidence": _rule(program_staff=[R.PROGRAM_MEMBER]),
    "deleteEvidence": _rule(program_staff=[R.PROGRAM_MEMBER]),
    "listEvidence": _rule(
        program_staff=[R.PROGRAM_MEMBER], affiliate_staff=[R.SERVING_AFFILIATE_STAFF]
    ),
    "downloadEvidence": _rule(
        program_staff=[R.PROGRAM_MEMBER], affiliate_staff=[R.SERVING_AFFILIATE_STAFF]
    ),
}


def decide(operation_id: str, roles: Iterable[Role], relations: Iterable[Relation]) -> bool:
    """True when one of the caller's roles allows the operation through one of its relations."""
    rule = ACCESS.get(operation_id)
    if rule is None:
        return False
    held = frozenset(relations)
    return any(rule.get(role, DENY) & held for role in roles)


def roles_without_entry(operation_id: str) -> list[Role]:
    """The roles an operation's entry does not decide for (a test keeps this empty)."""
    rule = ACCESS.get(operation_id, {})
    return [role for role in _ALL_ROLES if role not in rule]


def base_relations(caller: Caller) -> set[Relation]:
    """Relations every target shares: being signed in, national grants."""
    held = {Relation.ANYONE}
    if caller.is_anonymous:
        return held
    held.add(Relation.SIGNED_IN)
    grants = caller.national_grants
    if Role.NATIONAL_STAFF in caller.roles:
        if Grant.ADMIN in grants:
            held.add(Relation.NATIONAL_ADMIN)
        if Grant.RESULTS in grants:
            held.add(Relation.NATIONAL_RESULTS)
    return held


def relations_to_program(
    caller: Caller, program_id: str, affiliate_ids: Iterable[str]
) -> frozenset[Relation]:
    held = base_relations(caller)
    if program_id in caller.program_ids:
        held.add(Relation.PROGRAM_MEMBER)
    if caller.affiliate_ids & frozenset(affiliate_ids):
        held.add(Relation.SERVING_AFFILIATE_STAFF)
    return frozenset(held)


def relations_to_affiliate(caller: Caller, affiliate_id: str) -> frozenset[Relation]:
    held = base_relations(caller)
    if affiliate_id in caller.affiliate_ids:
        held.add(Relation.AFFILIATE_STAFF)
    return frozenset(held)


def relations_in_general(caller: Caller) -> frozenset[Relation]:
    return frozenset(base_relations(caller))
