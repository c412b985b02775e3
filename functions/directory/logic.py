"""Directory use cases: affiliates, programs, staff memberships.

Each use case takes the request context, the table, and validated input; it decides access
through the access table, writes through one unit of work (state, audit entry and outbox
event in one transaction) and returns an API view.
"""

from __future__ import annotations

from typing import Any

from functions.directory import records, store
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
    MemberScope,
    MembershipView,
    Program,
    ProgramChangesIn,
    ProgramIn,
    ProgramList,
)
from functions.directory.store import InvitationStatus, StoredInvitation
from shared import clock
from shared.access import relations_in_general, relations_to_affiliate
from shared.adapters import users
from shared.adapters.table import (
    ConditionFailed,
    ItemExists,
    ItemMissing,
    StaleVersion,
    Table,
)
from shared.context import Context
from shared.edge.versions import expected_version
from shared.errors import (
    AlreadyExists,
    Conflict,
    IllegalTransition,
    InvalidRequest,
    LastStaffMember,
    NotFound,
    RuleViolation,
)
from shared.events import (
    AffiliateCreated,
    InvitationAccepted,
    InvitationCreated,
    InvitationDeclined,
    MemberInvited,
    MemberRemoved,
    ProgramEnrolled,
    ProgramUpdated,
    new_event,
)
from shared.identity import Grant, Role
from shared.store import program_names, tenancy
from shared.store.affiliates import affiliate_exists
from shared.store.audit import audit_entry
from shared.store.pagination import (
    PageRequest,
    Position,
    decode_cursor,
    encode_cursor,
    invalid_cursor,
    is_start_key,
    refuse_cursor,
)
from shared.store.programs import authorized_program


# --------------------------------------------------------------------------- affiliates
def _authorize_on_affiliate(ctx: Context, table: Table, affiliate_id: str) -> None:
    """Decide on an affiliate: 404 unless the caller may read it, and it exists (looked up
    only for a caller who may read it but not do this, who then gets a 403)."""
    ctx.authorize(
        relations_to_affiliate(ctx.caller, affiliate_id),
        what="Affiliate",
        exists=lambda: affiliate_exists(table, affiliate_id),
    )


def _affiliate_changed(ctx: Context, affiliate_id: str) -> dict[str, Any]:
    """The audit entry of a change to an affiliate's own record."""
    target = f"affiliate:{affiliate_id}"
    return audit_entry(ctx, "change", scope="affiliate", scope_id=affiliate_id, target=target)


def create_affiliate(ctx: Context, table: Table, body: AffiliateIn) -> Affiliate:
    ctx.authorize(relations_in_general(ctx.caller))
    affiliate_id = records.new_id("aff")
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    item = uow.create(records.affiliate_item(affiliate_id, body), what="Affiliate")
    store.hold_name(uow, body.name, affiliate_id)
    uow.append(_affiliate_changed(ctx, affiliate_id))
    uow.emit(
        new_event(
            AffiliateCreated(affiliate_id=affiliate_id),
            actor=ctx.actor,
            correlation_id=ctx.correlation_id,
            affiliate_ids=[affiliate_id],
        )
    )
    uow.commit()
    return records.affiliate_view(item)


def list_affiliates(ctx: Context, table: Table, page: PageRequest) -> AffiliateList:
    ctx.authorize(relations_in_general(ctx.caller))
    if ctx.caller.national_grants and Role.NATIONAL_STAFF in ctx.caller.roles:
        listed = store.affiliates_page(table, page)
        return AffiliateList(
            items=[records.affiliate_view(i) for i in listed.items], next=listed.next
        )
    refuse_cursor(page.cursor)  # the caller's own affiliates are one page
    ids = sorted(ctx.caller.affiliate_ids)
    found = store.affiliates_among(table, ids)
    return AffiliateList(items=[records.affiliate_view(i) for i in found])


def get_affiliate(ctx: Context, table: Table, affiliate_id: str) -> Affiliate:
    _authorize_on_affiliate(ctx, table, affiliate_id)
    return records.affiliate_view(store.get_affiliate(table, affiliate_id))


def update_affiliate(
    ctx: Context, table: Table, affiliate_id: str, body: AffiliateSettingsIn, if_match: str | None
) -> Affiliate:
    """Change an affiliate's own settings at the version read (a stale one: 409 with the
    current settings, so a colleague's change is not lost)."""
    _authorize_on_affiliate(ctx, table, affiliate_id)
    expected = expected_version(if_match, body.version)
    if expected is None:
        raise InvalidRequest(
            'Send the version you read: If-Match: "<version>" or body.version.', field="If-Match"
        )
    changes = body.model_dump(exclude_none=True, exclude={"version"})
    if not changes:
        raise InvalidRequest("Nothing to change: send at least one setting.")
    stored = store.get_affiliate(table, affiliate_id)
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    saved = uow.replace(
        {**stored, **changes},
        expected_version=expected,
        what="Affiliate",
    )
    uow.append(_affiliate_changed(ctx, affiliate_id))
    try:
        uow.commit()
    except StaleVersion as failed:
        if failed.stored is None:
            raise
        raise failed.showing(
            records.affiliate_view(failed.stored).model_dump(mode="json")
        ) from failed
    return records.affiliate_view(saved)


def invite_affiliate_staff(
    ctx: Context, table: Table, affiliate_id: str, body: MemberIn
) -> tuple[Member, bool]:
    _authorize_on_affiliate(ctx, table, affiliate_id)
    affiliate = store.get_affiliate(table, affiliate_id)
    return _invite(
        ctx,
        table,
        body,
        role=Role.AFFILIATE_STAFF,
        scope="affiliate",
        scope_id=affiliate_id,
        scope_name=affiliate["name"],
        affiliate_ids=[affiliate["affiliate_id"]],
        program_id=None,
    )


def list_affiliate_staff(
    ctx: Context, table: Table, affiliate_id: str, page: PageRequest
) -> MemberList:
    _authorize_on_affiliate(ctx, table, affiliate_id)
    store.get_affiliate(table, affiliate_id)
    return _members_page(table, "affiliate", affiliate_id, page)


# --------------------------------------------------------------------------- programs
def enroll_program(ctx: Context, table: Table, body: ProgramIn) -> Program:
    # Only staff of the primary affiliate enroll; whether it exists is not revealed to others.
    _authorize_on_affiliate(ctx, table, body.primary_affiliate_id)
    if body.primary_affiliate_id in body.secondary_affiliate_ids:
        raise RuleViolation(
            "The primary affiliate cannot also be a secondary affiliate.",
            field="body.secondary_affiliate_ids",
        )
    if body.matching_since > clock.now().date():
        raise RuleViolation(
            "matching_since is in the future: it is the date matching actually started.",
            field="body.matching_since",
        )
    affiliate_ids = [body.primary_affiliate_id, *body.secondary_affiliate_ids]
    program_id = records.new_id("prg")
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    store.require_affiliates(uow, affiliate_ids)
    item = uow.create(
        records.program_item(program_id, body, created_by=ctx.caller.user_id or "system"),
        what="Program",
    )
    for link in records.program_service_items(item):
        uow.create(link, what="Program link")
    uow.append(
        audit_entry(
            ctx, "change", scope="program", scope_id=program_id, target=f"program:{program_id}"
        )
    )
    uow.emit(
        new_event(
            ProgramEnrolled(
                program_id=program_id,
                primary_affiliate_id=body.primary_affiliate_id,
                secondary_affiliate_ids=list(body.secondary_affiliate_ids),
                matching_since=body.matching_since,
            ),
            actor=ctx.actor,
            correlation_id=ctx.correlation_id,
            affiliate_ids=affiliate_ids,
            program_id=program_id,
        )
    )
    try:
        uow.commit()
    except ItemMissing as failed:
        unknown = store.unknown_affiliate(failed, affiliate_ids)
        if unknown is None:
            raise
        raise RuleViolation(
            f"Affiliate {unknown} does not exist.", field="body", affiliate_id=unknown
        ) from failed
    return records.program_view(item)


def update_program(
    ctx: Context, table: Table, program_id: str, body: ProgramChangesIn, if_match: str | None
) -> Program:
    """Change a program's public name or contact at the version read (a stale one: 409 with
    the current program). A new name reaches every copy in the same transaction (the
    directory's links, the cycles and review queue, the badges and the partner directory:
    ``shared.store.program_names``), so every page and email from now on shows it; a credential
    already signed keeps the name it was signed with."""
    program = authorized_program(ctx, table, program_id)
    expected = expected_version(if_match, body.version)
    if expected is None:
        raise InvalidRequest(
            'Send the version you read: If-Match: "<version>" or body.version.', field="If-Match"
        )
    changes: dict[str, Any] = {}
    if body.name is not None and body.name != program.name:
        changes["name"] = body.name
    if body.contact is not None:
        changes["contact"] = body.contact.model_dump(exclude_none=True)
    if body.name is None and body.contact is None:
        raise InvalidRequest("Nothing to change: send a name or a contact.")
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    saved = uow.replace(
        {**program.item, **changes},
        expected_version=expected,
        what="Program",
    )
    if "name" in changes:
        for key, renamed in records.program_service_renames(saved):
            uow.update_fields(key, set_values=renamed)
        program_names.rename_copies(table, uow, program.program_id, changes["name"])
    uow.append(
        audit_entry(
            ctx, "change", scope="program", scope_id=program_id, target=f"program:{program_id}"
        )
    )
    uow.emit(
        new_event(
            ProgramUpdated(
                program_id=program_id, version=int(saved["version"]), changed=sorted(changes)
            ),
            actor=ctx.actor,
            correlation_id=ctx.correlation_id,
            affiliate_ids=list(program.affiliate_ids),
            program_id=program_id,
        )
    )
    try:
        uow.commit()
    except StaleVersion as failed:
        if failed.stored is None or not store.on_program(failed, program_id):
            raise
        raise failed.showing(
            records.program_view(failed.stored).model_dump(mode="json")
        ) from failed
    return records.program_view(saved)


def get_program(ctx: Context, table: Table, program_id: str) -> Program:
    program = authorized_program(ctx, table, program_id)
    return records.program_view(program.item)


def list_programs(
    ctx: Context, table: Table, page: PageRequest, affiliate_id: str | None
) -> ProgramList:
    """Programs the caller belongs to: those of the affiliates it staffs, then its own.

    With ``affiliate_id``: that affiliate's programs (its staff, or national staff with a
    grant). One cursor runs across the sources in order.
    """
    ctx.authorize(relations_in_general(ctx.caller))
    caller = ctx.caller
    if affiliate_id is not None:
        may_see = affiliate_id in caller.affiliate_ids or (
            Role.NATIONAL_STAFF in caller.roles
            and caller.national_grants & {Grant.ADMIN, Grant.RESULTS}
        )
        if not may_see:
            raise NotFound("Affiliate not found.")
        sources = [affiliate_id]
    else:
        sources = sorted(caller.affiliate_ids)
    scope = f"programs:{caller.user_id}:{affiliate_id or '*'}"
    position = decode_cursor(scope, page.cursor, _is_programs_position) or {"source": 0}
    source: int = position["source"]
    if "key" in position and (
        source >= len(sources) or not store.in_served_programs(position["key"], sources[source])
    ):
        raise invalid_cursor()  # the caller's affiliates changed since the cursor was issued
    items: list[Any] = []
    seen: set[str] = set()
    while len(items) < page.limit and source < len(sources):
        result = store.served_programs(
            table, sources[source], limit=page.limit - len(items), start=position.get("key")
        )
        for link in result.items:
            if link["program_id"] not in seen:
                seen.add(link["program_id"])
                items.append(records.program_summary(link))
        if result.last_key is not None:
            position = {"source": source, "key": result.last_key}
            return ProgramList(items=items, next=encode_cursor(scope, position))
        source += 1
        position = {"source": source}
    own = sorted(caller.program_ids) if affiliate_id is None else []
    offset = source - len(sources)
    if own and len(items) < page.limit and offset < len(own):
        batch = own[offset : offset + page.limit - len(items)]
        for program in store.programs_among(table, batch):
            if program["program_id"] not in seen:
                items.append(records.program_summary(program))
        offset += len(batch)
        source = len(sources) + offset
    more = source < len(sources) + len(own)
    return ProgramList(items=items, next=encode_cursor(scope, {"source": source}) if more else None)


def _is_programs_position(position: Position) -> bool:
    """``{"source": n}``, or ``{"source": n, "key": <start key in gsi1>}`` mid-source."""
    source = position.get("source")
    return (
        set(position) <= {"source", "key"}
        and type(source) is int
        and source >= 0
        and ("key" not in position or is_start_key(position["key"], store.PROGRAMS_START_KEY))
    )


def invite_program_member(
    ctx: Context, table: Table, program_id: str, body: MemberIn
) -> tuple[Member, bool]:
    program = authorized_program(ctx, table, program_id)
    return _invite(
        ctx,
        table,
        body,
        role=Role.PROGRAM_STAFF,
        scope="program",
        scope_id=program_id,
        scope_name=program.name,
        affiliate_ids=list(program.affiliate_ids),
        program_id=program_id,
    )


def list_program_members(
    ctx: Context, table: Table, program_id: str, page: PageRequest
) -> MemberList:
    authorized_program(ctx, table, program_id)
    return _members_page(table, "program", program_id, page)


# --------------------------------------------------------------------------- members
def _invite(
    ctx: Context,
    table: Table,
    body: MemberIn,
    *,
    role: Role,
    scope: MemberScope,
    scope_id: str,
    scope_name: str,
    affiliate_ids: list[str],
    program_id: str | None,
) -> tuple[Member, bool]:
    """Create (or find) the user in the pool, then add the membership and its event.

    A new account (Cognito emails it the invitation) becomes a member at once. An account
    that already belongs somewhere is never silently added to another tenant or role group:
    it gets a pending invitation its holder accepts (:func:`accept_invitation`). An account
    without any membership (left by an invitation that failed halfway) counts as new.
    Returns the member and whether the user account was new.
    """
    pool_user = users.find_or_create_user(body.email, body.name)
    if not pool_user.created:
        memberships = tenancy.memberships_of_user(table, pool_user.user_id)
        if any(m.scope == scope and m.scope_id == scope_id for m in memberships):
            raise AlreadyExists(f"{body.email} is already a member here.")
        if memberships:
            pending = _invite_existing(
                ctx,
                table,
                body,
                user_id=pool_user.user_id,
                role=role,
                scope=scope,
                scope_id=scope_id,
                scope_name=scope_name,
                affiliate_ids=affiliate_ids,
                program_id=program_id,
            )
            return pending, False
    users.add_to_group(body.email, role.value)
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    item = uow.create(
        records.membership_item(
            user_id=pool_user.user_id,
            email=body.email,
            name=body.name,
            role=role.value,
            scope=scope,
            scope_id=scope_id,
            invited_by=ctx.caller.user_id or "system",
        ),
        what="Membership",
    )
    uow.append(
        audit_entry(
            ctx, "change", scope=scope, scope_id=scope_id, target=f"member:{pool_user.user_id}"
        )
    )
    uow.emit(
        new_event(
            MemberInvited(
                user_id=pool_user.user_id,
                role=role.value,
                scope=scope,
                scope_id=scope_id,
                new_user=pool_user.created,
            ),
            actor=ctx.actor,
            correlation_id=ctx.correlation_id,
            affiliate_ids=affiliate_ids,
            program_id=program_id,
        )
    )
    try:
        uow.commit()
    except ItemExists as failed:
        raise AlreadyExists(f"{body.email} is already a member here.") from failed
    return records.member_view(item), pool_user.created


def _invite_existing(
    ctx: Context,
    table: Table,
    body: MemberIn,
    *,
    user_id: str,
    role: Role,
    scope: MemberScope,
    scope_id: str,
    scope_name: str,
    affiliate_ids: list[str],
    program_id: str | None,
) -> Member:
    """A pending invitation (one per account and tenant): inviting again returns it."""
    existing = store.get_invitation(table, user_id, scope, scope_id)
    if existing is not None and existing.status is InvitationStatus.PENDING:
        return records.pending_member_view(existing.item)
    item = records.invitation_item(
        user_id=user_id,
        email=body.email,
        name=body.name,
        role=role.value,
        scope=scope,
        scope_id=scope_id,
        scope_name=scope_name,
        invited_by=ctx.caller.user_id or "system",
        affiliate_ids=affiliate_ids,
        program_id=program_id,
    )
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    # Declined before (or accepted, then left): invited anew over the one stored.
    item = store.save_invitation(uow, item, existing, now=clock.now_iso())
    membership = tenancy.membership_key(user_id, scope, scope_id)
    uow.check_absent(membership, what="Membership")  # accepted meanwhile: a member now
    uow.append(_invitation_audit(ctx, scope, scope_id, item["invitation_id"]))
    uow.emit(_invitation_event(InvitationCreated, item, ctx))
    try:
        uow.commit()
    except ConditionFailed as failed:
        if failed.on(membership):
            raise AlreadyExists(f"{body.email} is already a member here.") from failed
        if not store.on_invitation(failed, user_id, scope, scope_id) or isinstance(
            failed, ItemMissing
        ):
            raise
        # Invited concurrently: the one invitation is the answer.
        current = store.get_invitation(table, user_id, scope, scope_id)
        if current is None or current.status is not InvitationStatus.PENDING:
            if isinstance(failed, ItemExists):
                raise Conflict("Invited concurrently.") from failed
            raise
        return records.pending_member_view(current.item)
    return records.pending_member_view(item)


def _invitation_audit(
    ctx: Context, scope: MemberScope, scope_id: str, invitation_id: str
) -> dict[str, Any]:
    """The tenant's audit entry of an invitation made, answered or withdrawn."""
    return audit_entry(
        ctx, "change", scope=scope, scope_id=scope_id, target=f"invitation:{invitation_id}"
    )


def _invitation_event(
    kind: type[InvitationCreated], invitation: dict[str, Any], ctx: Context
) -> Any:
    return new_event(
        kind(
            invitation_id=invitation["invitation_id"],
            user_id=invitation["user_id"],
            role=invitation["role"],
            scope=invitation["scope"],
            scope_id=invitation["scope_id"],
        ),
        actor=ctx.actor,
        correlation_id=ctx.correlation_id,
        affiliate_ids=list(invitation["affiliate_ids"]),
        program_id=invitation.get("program_id"),
    )


# --------------------------------------------------------------------------- invitations
def list_my_invitations(ctx: Context, table: Table) -> InvitationList:
    """The caller's pending invitations: only ever its own partition."""
    ctx.authorize(relations_in_general(ctx.caller))
    pending = [i for i in _my_invitations(ctx, table) if i.status is InvitationStatus.PENDING]
    pending.sort(key=lambda i: (i.created_at, i.invitation_id))
    return InvitationList(items=[records.invitation_view(i.item) for i in pending])


def accept_invitation(ctx: Context, table: Table, invitation_id: str) -> Invitation:
    """The membership becomes effective (and the account joins the role group). Accepting
    again changes nothing; a declined invitation stays declined (409)."""
    ctx.authorize(relations_in_general(ctx.caller))
    invitation = _my_invitation(ctx, table, invitation_id)
    if invitation.status is InvitationStatus.DECLINED:
        raise IllegalTransition("You declined this invitation; ask for a new one.")
    # Before the membership: a retry after a failure here finds the invitation pending.
    users.add_to_group(invitation.email, invitation.role)
    if invitation.status is InvitationStatus.ACCEPTED:
        return records.invitation_view(invitation.item)
    return _settle(ctx, table, invitation, InvitationStatus.ACCEPTED)


def decline_invitation(ctx: Context, table: Table, invitation_id: str) -> Invitation:
    """No membership, no group; declining again changes nothing."""
    ctx.authorize(relations_in_general(ctx.caller))
    invitation = _my_invitation(ctx, table, invitation_id)
    if invitation.status is InvitationStatus.ACCEPTED:
        raise IllegalTransition("You accepted this invitation already.")
    if invitation.status is InvitationStatus.DECLINED:
        return records.invitation_view(invitation.item)
    return _settle(ctx, table, invitation, InvitationStatus.DECLINED)


def _my_invitations(ctx: Context, table: Table) -> list[StoredInvitation]:
    return store.invitations_of(table, ctx.caller.user_id or "")


def _my_invitation(ctx: Context, table: Table, invitation_id: str) -> StoredInvitation:
    """Found in the caller's own partition only: someone else's invitation is a 404."""
    for invitation in _my_invitations(ctx, table):
        if invitation.invitation_id == invitation_id:
            return invitation
    raise NotFound("Invitation not found.")


def _settle(
    ctx: Context, table: Table, invitation: StoredInvitation, status: InvitationStatus
) -> Invitation:
    scope, scope_id = invitation.scope, invitation.scope_id
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    settled = store.settle_invitation(uow, invitation, status)
    if status is InvitationStatus.ACCEPTED:
        uow.create(
            records.membership_item(
                user_id=invitation.user_id,
                email=invitation.email,
                name=invitation.name,
                role=invitation.role,
                scope=scope,
                scope_id=scope_id,
                invited_by=invitation.invited_by,
            ),
            what="Membership",
        )
    uow.append(_invitation_audit(ctx, scope, scope_id, invitation.invitation_id))
    kind = InvitationAccepted if status is InvitationStatus.ACCEPTED else InvitationDeclined
    uow.emit(_invitation_event(kind, invitation.item, ctx))
    try:
        uow.commit()
    except ItemExists as failed:  # the membership: there already
        raise AlreadyExists("You are already a member here.") from failed
    except Conflict:  # accepted or declined concurrently: the same request twice is fine
        current = _my_invitation(ctx, table, invitation.invitation_id)
        if current.status is not status:
            raise
        return records.invitation_view(current.item)
    return records.invitation_view(settled)


def remove_affiliate_staff(
    ctx: Context, table: Table, affiliate_id: str, user_id: str, *, confirm_no_staff: bool
) -> None:
    _authorize_on_affiliate(ctx, table, affiliate_id)
    store.get_affiliate(table, affiliate_id)
    _remove_member(
        ctx,
        table,
        scope="affiliate",
        scope_id=affiliate_id,
        user_id=user_id,
        affiliate_ids=[affiliate_id],
        program_id=None,
        confirm_no_staff=confirm_no_staff,
    )


def remove_program_member(
    ctx: Context, table: Table, program_id: str, user_id: str, *, confirm_no_staff: bool
) -> None:
    program = authorized_program(ctx, table, program_id)
    _remove_member(
        ctx,
        table,
        scope="program",
        scope_id=program_id,
        user_id=user_id,
        affiliate_ids=list(program.affiliate_ids),
        program_id=program_id,
        confirm_no_staff=confirm_no_staff,
    )


def _remove_member(
    ctx: Context,
    table: Table,
    *,
    scope: MemberScope,
    scope_id: str,
    user_id: str,
    affiliate_ids: list[str],
    program_id: str | None,
    confirm_no_staff: bool,
) -> None:
    """Take a member off a program or an affiliate.

    Access ends with the membership record (tenancy is read from the records on every
    request, so the member's next request, with the same token, finds nothing). Its Cognito
    sessions are signed out first, so no new token is issued on a refresh: a removal that
    then fails (a concurrent change, a 409) has only signed out someone who signs in again.
    The last member is kept unless ``confirm_no_staff``: a 409 says why; the transaction
    checks that the colleague who remains is still there, so two staff removing each other
    at once do not both succeed.
    """
    membership = tenancy.get_membership(table, user_id, scope, scope_id)
    if membership is None:
        _withdraw_invitation(ctx, table, scope=scope, scope_id=scope_id, user_id=user_id)
        return
    others = [m for m in tenancy.members_of(table, scope, scope_id) if m.user_id != user_id]
    if not others and not confirm_no_staff:
        raise _last_staff(scope)
    users.sign_out_everywhere(membership.email)
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    uow.delete(membership.key, expected_version=membership.version, what="Membership")
    remaining = None
    if others and not confirm_no_staff:
        remaining = others[0].key
        uow.check_exists(remaining, what="Membership")
    uow.append(
        audit_entry(ctx, "change", scope=scope, scope_id=scope_id, target=f"member:{user_id}")
    )
    uow.emit(
        new_event(
            MemberRemoved(
                user_id=user_id,
                role=membership.role,
                scope=scope,
                scope_id=scope_id,
                left=user_id == ctx.caller.user_id,
            ),
            actor=ctx.actor,
            correlation_id=ctx.correlation_id,
            affiliate_ids=affiliate_ids,
            program_id=program_id,
        )
    )
    try:
        uow.commit()
    except ItemMissing as failed:
        if remaining is not None and failed.on(remaining):  # they left meanwhile
            raise _last_staff(scope) from failed
        raise


def _withdraw_invitation(
    ctx: Context, table: Table, *, scope: MemberScope, scope_id: str, user_id: str
) -> None:
    """Someone invited and not yet a member: the invitation is withdrawn, so its holder no
    longer sees it; accepted meanwhile, the 409 says so (then remove the member)."""
    invitation = store.get_invitation(table, user_id, scope, scope_id)
    if invitation is None or invitation.status is not InvitationStatus.PENDING:
        raise NotFound("Member not found.")
    uow = table.unit_of_work(actor_id=ctx.caller.user_id)
    store.withdraw_invitation(uow, invitation)
    uow.append(_invitation_audit(ctx, scope, scope_id, invitation.invitation_id))
    try:
        uow.commit()
    except ConditionFailed as failed:
        raise Conflict("The invitation was answered meanwhile; reload the members.") from failed


def _last_staff(scope: str) -> LastStaffMember:
    return LastStaffMember(
        f"This is the {scope}'s last staff member: removing them would leave the {scope} with "
        "nobody to run it. Invite the person who takes over first, or send "
        "confirmNoStaff=true to remove them anyway.",
        scope=scope,
    )


def _members_page(table: Table, scope: str, scope_id: str, page: PageRequest) -> MemberList:
    found = store.members_page(table, scope, scope_id, page)
    return MemberList(items=[records.member_view(i) for i in found.items], next=found.next)


def get_me(ctx: Context) -> Me:
    ctx.authorize(relations_in_general(ctx.caller))
    caller = ctx.caller
    return Me(
        user_id=caller.user_id or "",
        email=caller.email,
        roles=sorted(r.value for r in caller.roles),
        memberships=[
            MembershipView(scope=m.scope, scope_id=m.scope_id, grants=sorted(m.grants))
            for m in caller.memberships
        ],
    )
