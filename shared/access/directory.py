"""Access rules of the directory service (affiliates, programs, members, invitations)."""

from __future__ import annotations

from collections.abc import Mapping

from shared.access.rules import SIGNED_IN, R, Rule, rule

ACCESS: Mapping[str, Rule] = {
    "getMe": SIGNED_IN,
    # The caller's own invitations (pending memberships): found in its own records only.
    "listMyInvitations": SIGNED_IN,
    "acceptInvitation": SIGNED_IN,
    "declineInvitation": SIGNED_IN,
    "createAffiliate": rule(national_staff=[R.NATIONAL_ADMIN]),
    "listAffiliates": SIGNED_IN,
    "getAffiliate": rule(
        affiliate_staff=[R.AFFILIATE_STAFF],
        national_staff=[R.NATIONAL_ADMIN, R.NATIONAL_RESULTS],
    ),
    "updateAffiliate": rule(affiliate_staff=[R.AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]),
    "inviteAffiliateStaff": rule(
        affiliate_staff=[R.AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]
    ),
    "listAffiliateStaff": rule(
        affiliate_staff=[R.AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]
    ),
    "enrollProgram": rule(affiliate_staff=[R.AFFILIATE_STAFF]),
    "listPrograms": SIGNED_IN,
    "getProgram": rule(
        program_staff=[R.PROGRAM_MEMBER],
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF],
        national_staff=[R.NATIONAL_RESULTS, R.NATIONAL_ADMIN],
    ),
    "updateProgram": rule(
        program_staff=[R.PROGRAM_MEMBER],
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF],
        national_staff=[R.NATIONAL_ADMIN],
    ),
    "inviteProgramMember": rule(
        program_staff=[R.PROGRAM_MEMBER], affiliate_staff=[R.SERVING_AFFILIATE_STAFF]
    ),
    "listProgramMembers": rule(
        program_staff=[R.PROGRAM_MEMBER],
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF],
        national_staff=[R.NATIONAL_ADMIN],
    ),
    # Offboarding: the scope's own staff (a member may leave), national admins; a program's
    # serving affiliates too, as they invite its staff (a one-person program's coordinator
    # who left can only be removed by them).
    "removeAffiliateStaff": rule(
        affiliate_staff=[R.AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]
    ),
    "removeProgramMember": rule(
        program_staff=[R.PROGRAM_MEMBER],
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF],
        national_staff=[R.NATIONAL_ADMIN],
    ),
}

#: Reads open to the results grant that return directory records (names, contacts), not a
#: program's results: not audited as confidential reads.
NOT_AUDITED: frozenset[str] = frozenset({"getProgram", "getAffiliate"})

#: The kind of target -> the operation that reads it (see ``READ_OPERATION``).
READ_OPERATION: Mapping[str, str] = {"Program": "getProgram", "Affiliate": "getAffiliate"}

#: What each operation does, for the detail of a 403 ("... may not <action>").
ACTIONS: Mapping[str, str] = {
    "getMe": "see their own profile",
    "listMyInvitations": "list their invitations",
    "acceptInvitation": "accept an invitation",
    "declineInvitation": "decline an invitation",
    "createAffiliate": "create an affiliate",
    "listAffiliates": "list affiliates",
    "getAffiliate": "read this affiliate",
    "updateAffiliate": "change this affiliate's settings",
    "inviteAffiliateStaff": "invite staff to this affiliate",
    "listAffiliateStaff": "list this affiliate's staff",
    "enrollProgram": "enroll a program for this affiliate",
    "listPrograms": "list programs",
    "getProgram": "read this program",
    "updateProgram": "change this program's name or contact",
    "inviteProgramMember": "invite staff to this program",
    "listProgramMembers": "list this program's staff",
    "removeAffiliateStaff": "remove staff from this affiliate",
    "removeProgramMember": "remove staff from this program",
}
