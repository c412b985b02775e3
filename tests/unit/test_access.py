"""The access table: every operation decided for every role; deny by default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.access import (
    ACCESS,
    ACTIONS,
    AUDITED_READS,
    READ_OPERATION,
    Relation,
    decide,
    may_read,
    refusal_detail,
    relations_to_affiliate,
    relations_to_program,
    required_relations,
    roles_without_entry,
)
from shared.identity import Caller, Membership, Role

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = sorted(
    operation["operationId"]
    for item in json.loads((ROOT / "openapi.json").read_text())["paths"].values()
    for operation in item.values()
)


@pytest.mark.parametrize("operation_id", OPERATIONS)
@pytest.mark.parametrize("role", list(Role))
def test_every_operation_has_an_entry_for_every_role(operation_id: str, role: Role) -> None:
    assert operation_id in ACCESS, (
        f"{operation_id} has no entry in shared/access/<service>.py ACCESS"
    )
    assert role not in roles_without_entry(operation_id), f"{operation_id}: no decision for {role}"


def test_the_table_has_no_entries_for_operations_that_do_not_exist() -> None:
    assert set(ACCESS) - set(OPERATIONS) == set()


def test_an_unknown_operation_is_denied_to_everyone() -> None:
    assert not decide("dropEverything", list(Role), list(Relation))


def staff_of(affiliate_id: str) -> Caller:
    return Caller(
        user_id="u1",
        roles=frozenset({Role.AFFILIATE_STAFF}),
        memberships=(Membership("affiliate", affiliate_id),),
    )


def test_affiliate_staff_reach_a_program_only_through_an_affiliate_serving_it() -> None:
    caller = staff_of("aff_va")
    served = relations_to_program(caller, "prg_1", ["aff_ne", "aff_va"])
    not_served = relations_to_program(caller, "prg_2", ["aff_ne"])
    assert decide("getProgram", caller.roles, served)
    assert not decide("getProgram", caller.roles, not_served)


def test_program_membership_without_the_program_staff_role_grants_nothing() -> None:
    caller = Caller(user_id="u2", roles=frozenset(), memberships=(Membership("program", "prg_1"),))
    assert not decide("getProgram", caller.roles, relations_to_program(caller, "prg_1", []))


def test_national_staff_need_an_explicit_grant() -> None:
    plain = Caller(user_id="n1", roles=frozenset({Role.NATIONAL_STAFF}), memberships=())
    granted = Caller(
        user_id="n2",
        roles=frozenset({Role.NATIONAL_STAFF}),
        memberships=(Membership("national", None, frozenset({"results"})),),
    )
    assert not decide("getProgram", plain.roles, relations_to_program(plain, "prg_1", ["a"]))
    assert decide("getProgram", granted.roles, relations_to_program(granted, "prg_1", ["a"]))
    assert not decide("createAffiliate", granted.roles, relations_to_affiliate(granted, "a"))


# --------------------------------------------------------------------------- issue #7 rules
#: The kind of target each operation on a tenant's object decides on (the ``what`` its use
#: case passes to ``Context.authorize``).
TARGETS = {
    "Program": [
        "getProgram",
        "updateProgram",
        "inviteProgramMember",
        "listProgramMembers",
        "removeProgramMember",
        "openCycle",
        "listCycles",
        "createEvidenceUpload",
        "confirmEvidence",
        "linkEvidence",
        "deleteEvidence",
        "listEvidence",
        "downloadEvidence",
        "listProgramBadges",
        "getProgramProgress",
    ],
    "Badge": ["revokeBadge"],
    "Cycle": [
        "getCycle",
        "getAssessment",
        "saveAnswer",
        "getReadiness",
        "submitAssessment",
        "returnAssessment",
        "archiveCycle",
        "compareCycles",
        "getReview",
        "assignReviewer",
        "reviewItem",
        "scheduleReviewMeeting",
        "rescheduleReviewMeeting",
        "cancelReviewMeeting",
        "getReviewMeetingInvite",
        "completeReview",
        "getPlan",
        "savePlanText",
        "addGoal",
        "updateGoal",
        "retireGoal",
        "finalizePlan",
        "postGoalProgress",
        "completeGoal",
        "verifyGoal",
        "sendBackGoal",
        "getAssessmentPdf",
        "getAssessmentCsv",
        "getPlanPdf",
        "getGoalsCsv",
    ],
    "Affiliate": [
        "removeAffiliateStaff",
        "getAffiliate",
        "updateAffiliate",
        "inviteAffiliateStaff",
        "listAffiliateStaff",
        "enrollProgram",
        "listMailSuppressions",
        "listReviews",  # an affiliate's queue (the national one: no tenant object)
        "getAffiliateAggregate",
    ],
}
DOCUMENT = json.loads((ROOT / "openapi.json").read_text())


def documented_statuses(operation_id: str) -> set[str]:
    for item in DOCUMENT["paths"].values():
        for operation in item.values():
            if operation["operationId"] == operation_id:
                return set(operation["responses"])
    raise AssertionError(f"{operation_id} is not in openapi.json")


def may_answer_403(what: str, operation_id: str) -> bool:
    """Some role holds a relation that reads the target but does not allow the operation."""
    read = ACCESS[READ_OPERATION[what]]
    return any(
        not decide(operation_id, [role], {relation, Relation.SIGNED_IN})
        for role, relations in read.items()
        for relation in relations
    )


def test_confidential_reads_are_the_results_reads_and_audited() -> None:
    assert {
        "listCycles",
        "getCycle",
        "getAssessment",
        "getReadiness",
        "compareCycles",
        "listEvidence",
        "downloadEvidence",
        "getReview",  # the review's notes
        "getReviewMeetingInvite",  # the meeting's agenda and attendees
        "listReviews",  # the queue: programs under review and their progress
        "getPlan",  # the plan's text, goals and history
        # a program's documents (every download) and its progress across cycles
        "getAssessmentPdf",
        "getAssessmentCsv",
        "getPlanPdf",
        "getGoalsCsv",
        "getProgramProgress",
        # aggregate findings (de-identified and suppressed, still read by whom)
        "getAffiliateAggregate",
        "getNationalAggregate",
        # the research export: requesting it and reading its state (its links)
        "requestResearchExport",
        "getResearchExport",
    } == AUDITED_READS


@pytest.mark.parametrize("operation_id", ["listEvidence", "downloadEvidence", "getReadiness"])
def test_the_results_grant_reads_evidence_and_readiness(operation_id: str) -> None:
    results = Caller(
        user_id="n1",
        roles=frozenset({Role.NATIONAL_STAFF}),
        memberships=(Membership("national", None, frozenset({"results"})),),
    )
    assert decide(operation_id, results.roles, relations_to_program(results, "prg_1", ["a"]))


def test_the_results_grant_only_reads() -> None:
    allowed = {
        op for op, rule in ACCESS.items() if Relation.NATIONAL_RESULTS in rule[Role.NATIONAL_STAFF]
    }
    assert allowed == AUDITED_READS | {"getProgram", "getAffiliate", "listProgramBadges"}


@pytest.mark.parametrize(
    ("what", "operation_id"), [(what, op) for what, ops in TARGETS.items() for op in ops]
)
def test_an_operation_that_may_answer_403_documents_it(what: str, operation_id: str) -> None:
    if may_answer_403(what, operation_id):
        assert "403" in documented_statuses(operation_id), operation_id


def test_every_operation_on_a_tenant_object_is_listed_with_its_target() -> None:
    listed = {op for ops in TARGETS.values() for op in ops}
    untargeted = {
        "getMe",
        "getMyNotificationPreferences",  # the caller's own record
        "saveMyNotificationPreferences",
        "listMyInvitations",  # the caller's own invitations: found in its own records only
        "acceptInvitation",
        "declineInvitation",
        "createAffiliate",
        "listAffiliates",
        "listPrograms",
        "listInstruments",
        "getInstrument",
        "publishInstrument",
        # the badges' public face: anyone, no tenant object decides
        "verifyBadge",
        "getBadgeImage",
        "getSigningKeys",
        "getBadgeCredential",
        "getBadgeIssuer",
        "getIssuerRevocations",
        "getSigningKey",
        "getAchievement",
        "listQualityPrograms",
        "getNationalAggregate",  # the country's: national staff with the results grant only
        "requestResearchExport",  # the country's cycles: the results grant only
        "getResearchExport",
    }
    assert listed | untargeted == set(OPERATIONS)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_operation_says_what_it_does_for_a_403(operation_id: str) -> None:
    assert operation_id in ACTIONS


def test_a_refusal_names_who_may_not_do_what_and_who_may() -> None:
    assert refusal_detail("returnAssessment", [Role.PROGRAM_STAFF]) == (
        "Program staff may not return an assessment; this needs affiliate staff serving the "
        "program."
    )
    assert refusal_detail("archiveCycle", [Role.PROGRAM_STAFF]) == (
        "Program staff may not archive a cycle; this needs affiliate staff serving the program "
        "or national staff with the admin grant."
    )
    assert required_relations("listEvidence") == [
        Relation.PROGRAM_MEMBER,
        Relation.SERVING_AFFILIATE_STAFF,
        Relation.NATIONAL_RESULTS,
    ]


def test_may_read_follows_the_read_operation_of_the_target_kind() -> None:
    member = {Relation.SIGNED_IN, Relation.PROGRAM_MEMBER}
    assert may_read("Cycle", [Role.PROGRAM_STAFF], member)
    assert not may_read("Cycle", [Role.AFFILIATE_STAFF], member)  # the relation needs the role
    assert not may_read("Evidence document", [Role.PROGRAM_STAFF], member)  # no read: 404
