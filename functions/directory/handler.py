"""Directory API: affiliates, programs and staff memberships. Thin routes over logic."""

from __future__ import annotations

from typing import Annotated, Any

from functions.directory import logic
from functions.directory.models import (
    Affiliate,
    AffiliateIn,
    AffiliateList,
    AffiliateSettingsIn,
    Invitation,
    InvitationList,
    Me,
    Member,
    MemberIn,
    MemberList,
    Program,
    ProgramChangesIn,
    ProgramIn,
    ProgramList,
)
from functions.directory.settings import DirectorySettings
from shared.adapters.table import default_table
from shared.edge.api import (
    context,
    create_app,
    handler_for,
    problem_responses,
    respond_once,
    success,
)
from shared.edge.http import Response
from shared.edge.params import (
    AffiliateId,
    IdempotencyKey,
    IfMatch,
    InvitationId,
    Limit,
    Next,
    ProgramId,
    Query,
    UserId,
    id_pattern,
)
from shared.edge.versions import versioned
from shared.settings import cold_start
from shared.store.pagination import DEFAULT_LIMIT, PageRequest

cold_start(DirectorySettings)

app = create_app()
TAGS = ["directory"]


def _created(key: str | None, body: Any, location: str, make: Any) -> Response[Any]:
    """A create that clients may retry with an Idempotency-Key: 201 with Location, once."""
    return respond_once(
        app, idempotency_key=key, body=body, status=201, make=make, location=location
    )


@app.get(
    "/me",
    operation_id="getMe",
    tags=TAGS,
    summary="Who am I: roles and memberships",
    responses=problem_responses(401),
)
def get_me() -> Me:
    return logic.get_me(context(app))


@app.get(
    "/me/invitations",
    operation_id="listMyInvitations",
    tags=TAGS,
    summary="Your pending invitations to more programs or affiliates",
    responses=problem_responses(401),
)
def list_my_invitations() -> InvitationList:
    return logic.list_my_invitations(context(app), default_table())


@app.post(
    "/me/invitations/<invitationId>/accept",
    operation_id="acceptInvitation",
    tags=TAGS,
    summary="Accept an invitation: the membership becomes effective",
    responses=problem_responses(401, 404, 409, 422),
)
def accept_invitation(invitation_id: InvitationId) -> Invitation:
    return logic.accept_invitation(context(app), default_table(), invitation_id)


@app.post(
    "/me/invitations/<invitationId>/decline",
    operation_id="declineInvitation",
    tags=TAGS,
    summary="Decline an invitation",
    responses=problem_responses(401, 404, 409, 422),
)
def decline_invitation(invitation_id: InvitationId) -> Invitation:
    return logic.decline_invitation(context(app), default_table(), invitation_id)


@app.post(
    "/affiliates",
    operation_id="createAffiliate",
    tags=TAGS,
    summary="Create an affiliate (national admins)",
    status_code=201,
    responses={
        **success(201, "Location", description="Created.", model=Affiliate),
        **problem_responses(400, 401, 403, 409, 422),
    },
)
def create_affiliate(
    body: AffiliateIn, idempotency_key: IdempotencyKey = None
) -> Response[Affiliate]:
    return _created(
        idempotency_key,
        body.model_dump(mode="json"),
        "/affiliates/{affiliate_id}",
        lambda ctx: logic.create_affiliate(ctx, default_table(), body),
    )


@app.get(
    "/affiliates",
    operation_id="listAffiliates",
    tags=TAGS,
    summary="Affiliates you belong to (all of them for national staff)",
    responses=problem_responses(400, 401),
)
def list_affiliates(limit: Limit = DEFAULT_LIMIT, next_: Next = None) -> AffiliateList:
    return logic.list_affiliates(context(app), default_table(), PageRequest(limit, next_))


@app.get(
    "/affiliates/<affiliateId>",
    operation_id="getAffiliate",
    tags=TAGS,
    summary="One affiliate",
    responses=problem_responses(401, 404),
)
def get_affiliate(affiliate_id: AffiliateId) -> Affiliate:
    return logic.get_affiliate(context(app), default_table(), affiliate_id)


@app.patch(
    "/affiliates/<affiliateId>",
    operation_id="updateAffiliate",
    tags=TAGS,
    summary="Change an affiliate's settings (its staff, or national admins)",
    description="Contact email, default due weeks, renewal grace months: only the fields "
    "sent change. Send the version you read (If-Match or body.version); a stale one is a 409 "
    "with the current settings.",
    responses=problem_responses(400, 401, 403, 404, 409, 422),
)
def update_affiliate(
    affiliate_id: AffiliateId, body: AffiliateSettingsIn, if_match: IfMatch = None
) -> Affiliate:
    return logic.update_affiliate(context(app), default_table(), affiliate_id, body, if_match)


@app.post(
    "/affiliates/<affiliateId>/members",
    operation_id="inviteAffiliateStaff",
    tags=TAGS,
    summary="Invite a staff member of an affiliate",
    status_code=201,
    responses={
        **success(201, "Location", description="Invited.", model=Member),
        **problem_responses(400, 401, 403, 404, 409, 422),
    },
)
def invite_affiliate_staff(
    affiliate_id: AffiliateId, body: MemberIn, idempotency_key: IdempotencyKey = None
) -> Response[Member]:
    return _created(
        idempotency_key,
        body.model_dump(mode="json"),
        f"/affiliates/{affiliate_id}/members/{{user_id}}",
        lambda ctx: logic.invite_affiliate_staff(ctx, default_table(), affiliate_id, body)[0],
    )


@app.get(
    "/affiliates/<affiliateId>/members",
    operation_id="listAffiliateStaff",
    tags=TAGS,
    summary="Staff of an affiliate",
    responses=problem_responses(400, 401, 403, 404),
)
def list_affiliate_staff(
    affiliate_id: AffiliateId, limit: Limit = DEFAULT_LIMIT, next_: Next = None
) -> MemberList:
    return logic.list_affiliate_staff(
        context(app), default_table(), affiliate_id, PageRequest(limit, next_)
    )


@app.post(
    "/programs",
    operation_id="enrollProgram",
    tags=TAGS,
    summary="Enroll a mentoring program (staff of its primary affiliate)",
    status_code=201,
    responses={
        **success(201, "Location", description="Enrolled.", model=Program),
        **problem_responses(400, 401, 403, 404, 409, 422),
    },
)
def enroll_program(body: ProgramIn, idempotency_key: IdempotencyKey = None) -> Response[Program]:
    return _created(
        idempotency_key,
        body.model_dump(mode="json"),
        "/programs/{program_id}",
        lambda ctx: logic.enroll_program(ctx, default_table(), body),
    )


@app.get(
    "/programs",
    operation_id="listPrograms",
    tags=TAGS,
    summary="Programs you belong to, or those of one affiliate",
    responses=problem_responses(400, 401, 404),
)
def list_programs(
    limit: Limit = DEFAULT_LIMIT,
    next_: Next = None,
    affiliate_id: Annotated[
        str | None, Query(alias="affiliateId", pattern=id_pattern("aff"))
    ] = None,
) -> ProgramList:
    return logic.list_programs(
        context(app), default_table(), PageRequest(limit, next_), affiliate_id
    )


@app.get(
    "/programs/<programId>",
    operation_id="getProgram",
    tags=TAGS,
    summary="One program",
    responses=problem_responses(401, 404),
)
def get_program(program_id: ProgramId) -> Program:
    return logic.get_program(context(app), default_table(), program_id)


@app.patch(
    "/programs/<programId>",
    operation_id="updateProgram",
    tags=TAGS,
    summary="Change a program's public name or contact (its staff, its affiliates)",
    description="Only the fields sent change. Send the version you read (If-Match or "
    "body.version); a stale one is a 409 with the current program. A new name shows at once "
    "everywhere the program is shown: the review queue, the badge's verify page and image, the "
    "partner directory, emails; a credential already signed keeps the name it was signed with.",
    responses={**success(200, "ETag"), **problem_responses(400, 401, 403, 404, 409, 422)},
)
def update_program(
    program_id: ProgramId, body: ProgramChangesIn, if_match: IfMatch = None
) -> Response[Program]:
    saved = logic.update_program(context(app), default_table(), program_id, body, if_match)
    return versioned(saved, saved.version)


@app.post(
    "/programs/<programId>/members",
    operation_id="inviteProgramMember",
    tags=TAGS,
    summary="Invite a staff member of a program",
    status_code=201,
    responses={
        **success(201, "Location", description="Invited.", model=Member),
        **problem_responses(400, 401, 403, 404, 409, 422),
    },
)
def invite_program_member(
    program_id: ProgramId, body: MemberIn, idempotency_key: IdempotencyKey = None
) -> Response[Member]:
    return _created(
        idempotency_key,
        body.model_dump(mode="json"),
        f"/programs/{program_id}/members/{{user_id}}",
        lambda ctx: logic.invite_program_member(ctx, default_table(), program_id, body)[0],
    )


@app.get(
    "/programs/<programId>/members",
    operation_id="listProgramMembers",
    tags=TAGS,
    summary="Staff of a program",
    responses=problem_responses(400, 401, 403, 404),
)
def list_program_members(
    program_id: ProgramId, limit: Limit = DEFAULT_LIMIT, next_: Next = None
) -> MemberList:
    return logic.list_program_members(
        context(app), default_table(), program_id, PageRequest(limit, next_)
    )


ConfirmNoStaff = Annotated[
    bool,
    Query(
        alias="confirmNoStaff",
        description="Remove the last staff member anyway (without it, that is a 409).",
    ),
]
_REMOVAL = (
    "The member's access ends with this request: their next request, even with a token "
    "issued before, is answered as for anyone outside. Their sessions are signed out (a "
    "refresh gets no new token). The last staff member stays unless `confirmNoStaff=true` "
    "(a 409 `last-staff-member` says so). Audited, with a `MemberRemoved` event."
)


@app.delete(
    "/affiliates/<affiliateId>/members/<userId>",
    operation_id="removeAffiliateStaff",
    tags=TAGS,
    summary="Remove a staff member from an affiliate (its staff, or national admins)",
    description=_REMOVAL,
    status_code=204,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def remove_affiliate_staff(
    affiliate_id: AffiliateId, user_id: UserId, confirm_no_staff: ConfirmNoStaff = False
) -> Response[None]:
    logic.remove_affiliate_staff(
        context(app), default_table(), affiliate_id, user_id, confirm_no_staff=confirm_no_staff
    )
    return Response(status_code=204)


@app.delete(
    "/programs/<programId>/members/<userId>",
    operation_id="removeProgramMember",
    tags=TAGS,
    summary="Remove a staff member from a program (its staff, its affiliates, national admins)",
    description=_REMOVAL,
    status_code=204,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def remove_program_member(
    program_id: ProgramId, user_id: UserId, confirm_no_staff: ConfirmNoStaff = False
) -> Response[None]:
    logic.remove_program_member(
        context(app), default_table(), program_id, user_id, confirm_no_staff=confirm_no_staff
    )
    return Response(status_code=204)


lambda_handler = handler_for(app)
