"""Use cases of the review service: the reviewer, per-item review, reading a review.

Every operation starts from the cycle (``shared.store.cycles.authorized_cycle``: 404 for a cycle
outside the caller's tenancy, 403 for one it may read but not act on). Review actions are
guarded by the cycle's state in their transaction; the first one moves a submitted cycle to
in review (``ReviewStarted``) in that same transaction (``shared.store.cycles.transition_cycle``).
Reads of a review (its notes) are audited, one entry per request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, ParamSpec, TypeVar

from functions.review import records, rules, store
from functions.review.calendar import Person, render_invite
from functions.review.models import (
    Assignment,
    Completion,
    ItemReview,
    ItemReviewIn,
    MeetingIn,
    MeetingView,
    Review,
    ReviewerIn,
    ReviewQueue,
)
from functions.review.records import StoredItemReview, StoredMeeting
from functions.review.rules import (
    REVIEWABLE,
    Meeting,
    check_item_review,
    starts_review,
    state_after_review_action,
)
from shared import clock
from shared.access import (
    Relation,
    relations_in_general,
    relations_to_affiliate,
    relations_to_program,
)
from shared.adapters.retry import Retry
from shared.adapters.table import ConditionFailed, StaleVersion, Table, UnitOfWork
from shared.context import Context
from shared.domain.cycle_states import Action
from shared.domain.instrument import Instrument
from shared.edge.versions import expected_version
from shared.errors import NotFound, RuleViolation, VersionConflict
from shared.events import EventData
from shared.events.review import (
    ItemReviewed,
    ReviewCompleted,
    ReviewerAssigned,
    ReviewMeetingCancelled,
    ReviewMeetingRescheduled,
    ReviewMeetingScheduled,
    ReviewStarted,
)
from shared.settings import MailSettings, get_settings
from shared.store import cycles, review_queue
from shared.store.affiliates import affiliate_exists
from shared.store.audit import audit_entry
from shared.store.clashes import Clash
from shared.store.cycles import CycleRecord, Record
from shared.store.instrument_versions import get_version
from shared.store.pagination import PageRequest
from shared.store.programs import read_program
from shared.store.tenancy import members_of, memberships_among

T = TypeVar("T")
P = ParamSpec("P")

MeetingEvent = (
    type[ReviewMeetingScheduled] | type[ReviewMeetingRescheduled] | type[ReviewMeetingCancelled]
)


#: Why a cycle refuses a review action (``{state}``: the state it is in).
LOCKED = "The cycle is {state}: it is reviewed only once submitted, until the review is completed."


class _StartedMeanwhile(VersionConflict):
    """The cycle changed between the read and the write of a first review action: most often
    another reviewer's first action started the review. :func:`_retried` runs it once more."""


#: A first review action is tried twice: the second attempt finds the review started.
STARTED_MEANWHILE = Retry(attempts=2, first_pause=0.0)


def _retried(action: Callable[P, T]) -> Callable[P, T]:
    """A review action run once more if the review started meanwhile, so two reviewers' first
    actions on a submitted cycle (different items, say) both land: the second attempt reads
    the cycle in review and only checks its state."""

    @functools.wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        return STARTED_MEANWHILE.run(lambda: action(*args, **kwargs), on=(_StartedMeanwhile,))

    return run


def _review_action(
    ctx: Context, table: Table, cycle: CycleRecord, fields: Record, *extra: EventData
) -> tuple[UnitOfWork, Record]:
    """A review action's transaction, uncommitted: from submitted, the transition to in review
    (with ``fields`` on the cycle and ``ReviewStarted``); from in review, the cycle written
    with ``fields`` (or, without any, checked) at its state. ``extra`` events are emitted."""
    user = ctx.caller.user_id or "system"
    state_after_review_action(cycle.state)  # 409 naming the state, before any write
    if starts_review(cycle.state):
        uow, updated = cycles.transition_cycle(
            ctx,
            table,
            cycle,
            Action.START_REVIEW,
            {"review_started_at": clock.now_iso(), "review_started_by": user, **fields},
            ReviewStarted(cycle_id=cycle.cycle_id, program_id=cycle.program_id, started_by=user),
        )
    else:
        uow = table.unit_of_work(actor_id=ctx.caller.user_id)
        updated = cycle.item
        if fields:
            updated = cycles.save(uow, cycle, fields, states=REVIEWABLE)
            cycles.audit_change(ctx, uow, cycle.program_id, f"cycle:{cycle.cycle_id}")
        else:
            cycles.guard_state(uow, cycle.cycle_id, REVIEWABLE)
        # The queue's copy of the cycle, refreshed by every review action.
        review_queue.keep_in_line(uow, cycle.state, updated, cycle.affiliate_ids)
    for event in extra:
        uow.emit(
            cycles.cycle_event(ctx, cycle.program_id, cycle.affiliate_ids, cycle.cycle_id, event)
        )
    return uow, updated


def _commit(uow: UnitOfWork, cycle: CycleRecord) -> None:
    """Commit a review action's transaction: the cycle no longer reviewable is the 409 naming
    its state; a cycle changed under a first action (which starts the review) is
    :class:`_StartedMeanwhile`, so :func:`_retried` runs the action once more."""
    try:
        cycles.commit(uow, cycle.cycle_id, reason=LOCKED)
    except StaleVersion as failed:
        stored = cycles.stale(failed, cycle.cycle_id)
        if stored is None or not starts_review(cycle.state):
            raise
        raise _StartedMeanwhile(
            f"The cycle changed while your review action was saved (it is {stored['state']} "
            "now); reload and try again.",
            current_state=stored["state"],
        ) from failed


# =========================================================================== reviewer
@_retried
def assign_reviewer(ctx: Context, table: Table, cycle_id: str, body: ReviewerIn) -> Assignment:
    """Any staff member of an affiliate serving the program may review it (cross-affiliate
    reviewers need nothing else). The assignee's membership is read, never assumed."""
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    state_after_review_action(cycle.state)
    scopes = [("affiliate", a) for a in cycle.affiliate_ids]
    if not memberships_among(table, [body.user_id], scopes):
        raise RuleViolation(
            "The reviewer must be a staff member of an affiliate serving the program.",
            field="body.user_id",
        )
    user = ctx.caller.user_id or "system"
    fields = {
        "reviewer_id": body.user_id,
        "reviewer_assigned_by": user,
        "reviewer_assigned_at": clock.now_iso(),
    }
    assigned = ReviewerAssigned(
        cycle_id=cycle_id, program_id=cycle.program_id, reviewer_id=body.user_id, assigned_by=user
    )
    uow, updated = _review_action(ctx, table, cycle, fields, assigned)
    _commit(uow, cycle)
    reviewer = records.reviewer_view(updated)
    assert reviewer is not None
    return Assignment(cycle_id=cycle_id, state=str(updated["state"]), reviewer=reviewer)


# =========================================================================== queue
@dataclass(frozen=True)
class QueueQuery:
    """What a client asked of the queue: whose, which filters, which page."""

    affiliate_id: str | None
    state: str | None
    assigned_to_me: bool
    overdue: bool
    page: PageRequest


def _queue_scope(ctx: Context, table: Table, affiliate_id: str | None) -> str:
    """The queue to read: the affiliate asked for (its staff, or the results grant: 404 for
    anyone else); without one, the caller's affiliate, or every affiliate's for national staff."""
    caller = ctx.caller
    if affiliate_id is None and len(caller.affiliate_ids) > 1:
        raise RuleViolation(
            "You are staff of several affiliates: name the queue with affiliateId.",
            field="query.affiliateId",
        )
    if affiliate_id is None and caller.affiliate_ids:
        (affiliate_id,) = caller.affiliate_ids
    if affiliate_id is None:
        ctx.authorize(relations_in_general(caller))  # the results grant: the national queue
        return review_queue.NATIONAL
    ctx.authorize(
        relations_to_affiliate(caller, affiliate_id),
        what="Affiliate",
        exists=lambda: affiliate_exists(table, affiliate_id),
    )
    return affiliate_id


def list_reviews(ctx: Context, table: Table, query: QueueQuery) -> ReviewQueue:
    """One page of a queue, oldest submission first: one query of its sparse index partition,
    filtered there; the instruments' item counts come from the per-process instrument cache."""
    scope = _queue_scope(ctx, table, query.affiliate_id)
    today = clock.now().date()
    me = ctx.caller.user_id if query.assigned_to_me else None
    where = records.queue_filter(query.state, me, today if query.overdue else None)
    cursor_scope = (
        f"reviews:{ctx.caller.user_id}:{scope}:{query.state}:{query.assigned_to_me}:{query.overdue}"
    )
    page = review_queue.read_queue(table, scope, query.page, cursor_scope=cursor_scope, where=where)
    # A page of the queue names programs and their progress: one audit entry per page.
    kind: Literal["national", "affiliate"] = (
        "national" if scope == review_queue.NATIONAL else "affiliate"
    )
    table.append(audit_entry(ctx, "read", scope=kind, scope_id=scope, target="reviews"))
    rows = [
        records.queue_row(
            entry, get_version(table, entry["instrument_version"], entry["instrument_key"]), today
        )
        for entry in page.items
    ]
    return ReviewQueue(items=rows, next=page.next)


# =========================================================================== per-item review
@_retried
def review_item(
    ctx: Context,
    table: Table,
    cycle_id: str,
    item_code: str,
    body: ItemReviewIn,
    if_match: str | None,
) -> ItemReview:
    """One transaction: the cycle still under review (or starting it), the item's review at
    the version read. Without a version the write only creates; a stale one is a 409 with the
    item's current review. The program's answer is never written."""
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    instrument = get_version(table, cycle.instrument_version, cycle.instrument_key)
    item = instrument.item_by_code(item_code)
    if item is None:
        raise NotFound(f"Item {item_code} is not in this cycle's instrument.")
    status = check_item_review(body.status, body.note_to_program, body.internal_note)
    expected = expected_version(if_match, body.version) or 0
    state_after_review_action(cycle.state)

    record = records.item_review_record(
        cycle_id=cycle_id,
        item=item,
        status=status,
        body=body,
        reviewed_by=ctx.caller.user_id or "system",
        reviewed_at=clock.now_iso(),
    )
    reviewed = ItemReviewed(
        cycle_id=cycle_id,
        program_id=cycle.program_id,
        item_key=item.key,
        status=status.value,
        version=expected + 1,
    )
    uow, _ = _review_action(ctx, table, cycle, {}, reviewed)
    review_queue.record_item_status(uow, cycle_id, cycle.affiliate_ids, item.key, status.value)
    saved = store.save_item_review(uow, record, expected_version=expected)
    cycles.audit_change(ctx, uow, cycle.program_id, f"cycle:{cycle_id}/review:{item.key}")
    try:
        try:
            _commit(uow, cycle)
        except ConditionFailed as failed:
            clash = store.item_review_clash(failed, cycle_id, item.key)
            if clash is not None:
                raise _review_conflict(item.code, clash, instrument) from failed
            raise
    except VersionConflict as conflict:
        if conflict.extensions.get("current") is not None:
            # The 409 shows a colleague's notes: a read, audited before it is served.
            cycles.audit_read(ctx, table, cycle.program_id, f"cycle:{cycle_id}/review:{item.key}")
        raise
    return records.item_review_view(saved, instrument, internal=True)


def _review_conflict(
    code: str, clash: Clash[StoredItemReview], instrument: Instrument
) -> VersionConflict:
    """A save at a version the item's review is not at: the 409 shows it as stored."""
    return clash.conflict(
        unsaved=f"Item {code} has no review yet; send it without a version.",
        changed=lambda stored: (
            f"Item {code}'s review changed since you read it: it is at version "
            f"{stored.version}, saved at {stored.reviewed_at}. Resend with that version."
        ),
        view=lambda stored: records.item_review_view(stored, instrument, internal=True),
    )


# =========================================================================== reading
def get_review(ctx: Context, table: Table, cycle_id: str) -> Review:
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    instrument = get_version(table, cycle.instrument_version, cycle.instrument_key)
    # The whole review with one query of its partition (at most one item per instrument item).
    reviews, meeting = store.read_review(table, cycle_id)
    cycles.audit_read(ctx, table, cycle.program_id, f"cycle:{cycle_id}/review")
    # Internal notes only for the affiliates' and national staff, never the program's.
    held = relations_to_program(ctx.caller, cycle.program_id, cycle.affiliate_ids)
    internal = bool(held & {Relation.SERVING_AFFILIATE_STAFF, Relation.NATIONAL_RESULTS})
    items = [
        records.item_review_view(reviews[item.key], instrument, internal=internal)
        for item in instrument.items
        if item.key in reviews
    ]
    return Review(
        cycle_id=cycle.cycle_id,
        program_id=cycle.program_id,
        state=cycle.state.value,
        reviewer=records.reviewer_view(cycle.item),
        progress=records.progress_view(
            instrument, {key: review.status.value for key, review in reviews.items()}
        ),
        items=items,
        meeting=records.meeting_view(meeting) if meeting else None,
        completion=records.completion_view(cycle.item),
    )


# =========================================================================== completion
def complete_review(ctx: Context, table: Table, cycle_id: str) -> Completion:
    """Record that the review meeting was held: the cycle moves to review completed with its
    review date (``rules.review_date``: the meeting's local date in its zone). The meeting is
    checked at the version read, so a reschedule racing the completion refuses it."""
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    stored = store.get_meeting(table, cycle_id)
    meeting = stored.meeting if stored is not None else None
    review_date = rules.complete_review(cycle.state, meeting, clock.now())
    assert stored is not None  # complete_review refuses a review without a meeting
    assert meeting is not None
    user = ctx.caller.user_id or "system"
    uow, updated = cycles.transition_cycle(
        ctx,
        table,
        cycle,
        Action.COMPLETE_REVIEW,
        {
            "review_date": review_date.isoformat(),
            "review_completed_by": user,
            "review_completed_at": clock.now_iso(),
            "review_meeting_uid": meeting.uid,
        },
        ReviewCompleted(
            cycle_id=cycle_id,
            program_id=cycle.program_id,
            review_date=review_date,
            completed_by=user,
            meeting_uid=meeting.uid,
        ),
    )
    store.require_meeting_unchanged(uow, stored)
    try:
        uow.commit()
    except ConditionFailed as failed:
        clash = store.meeting_clash(failed, cycle_id)
        if clash is None:
            raise
        current = clash.stored
        raise VersionConflict(
            "The review meeting changed while the review was being completed; reload it.",
            current=records.meeting_view(current).model_dump(mode="json") if current else None,
            current_version=current.version if current else 0,
        ) from failed
    completion = records.completion_view(updated)
    assert completion is not None
    return completion


# =========================================================================== meeting
def _eligible_staff(table: Table, cycle: CycleRecord, body: MeetingIn) -> set[str]:
    """The program's and every serving affiliate's members (read only when staff are listed;
    a person invited and not yet a member is not one of them)."""
    if not body.attendees.staff:
        return set()
    return {
        member.user_id
        for scope, scope_id in _staff_scopes(cycle)
        for member in members_of(table, scope, scope_id)
    }


def _staff_scopes(cycle: CycleRecord) -> list[tuple[str, str]]:
    """The program's and every serving affiliate's scope: where a review's staff belong."""
    return [("program", cycle.program_id)] + [("affiliate", a) for a in cycle.affiliate_ids]


def _meeting_event(kind: MeetingEvent, cycle: CycleRecord, record: Record) -> EventData:
    return kind(
        cycle_id=cycle.cycle_id,
        program_id=cycle.program_id,
        uid=record["uid"],
        sequence=record["sequence"],
        start=record["start"],
        end=record["end"],
        time_zone=record["time_zone"],
    )


def _save_meeting(
    ctx: Context,
    table: Table,
    cycle: CycleRecord,
    meeting: Meeting,
    stored: StoredMeeting | None,
    kind: MeetingEvent,
) -> MeetingView:
    """The meeting written at the version read, in a review action's transaction."""
    record = records.meeting_record(
        cycle.cycle_id, meeting, ctx.caller.user_id or "system", clock.now_iso()
    )
    uow, _ = _review_action(ctx, table, cycle, {}, _meeting_event(kind, cycle, record))
    saved = store.save_meeting(uow, record, stored)
    cycles.audit_change(ctx, uow, cycle.program_id, f"cycle:{cycle.cycle_id}/meeting")
    try:
        _commit(uow, cycle)
    except StaleVersion as failed:
        clash = store.meeting_clash(failed, cycle.cycle_id)
        if clash is None or clash.stored is None:
            raise
        raise failed.showing(records.meeting_view(clash.stored).model_dump(mode="json")) from failed
    return records.meeting_view(saved)


def _stored_meeting(table: Table, cycle_id: str, expected: int | None) -> StoredMeeting | None:
    stored = store.get_meeting(table, cycle_id)
    if stored is not None and expected and stored.version != expected:
        raise VersionConflict(
            f"The review meeting changed since you read it: it is at version {stored.version}.",
            current=records.meeting_view(stored).model_dump(mode="json"),
            current_version=stored.version,
        )
    return stored


@_retried
def schedule_meeting(ctx: Context, table: Table, cycle_id: str, body: MeetingIn) -> MeetingView:
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    stored = _stored_meeting(table, cycle_id, body.version)
    meeting = rules.schedule_meeting(
        cycle_id,
        body,
        state=cycle.state,
        existing=stored.meeting if stored else None,
        now=clock.now(),
        eligible_staff=_eligible_staff(table, cycle, body),
    )
    return _save_meeting(ctx, table, cycle, meeting, stored, ReviewMeetingScheduled)


def reschedule_meeting(
    ctx: Context, table: Table, cycle_id: str, body: MeetingIn, if_match: str | None
) -> MeetingView:
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    stored = _stored_meeting(table, cycle_id, expected_version(if_match, body.version))
    if stored is None:
        raise NotFound("This review has no meeting yet; schedule one.")
    meeting = rules.reschedule_meeting(
        stored.meeting,
        body,
        state=cycle.state,
        now=clock.now(),
        eligible_staff=_eligible_staff(table, cycle, body),
    )
    return _save_meeting(ctx, table, cycle, meeting, stored, ReviewMeetingRescheduled)


def cancel_meeting(ctx: Context, table: Table, cycle_id: str) -> MeetingView:
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    stored = _stored_meeting(table, cycle_id, None)
    if stored is None:
        raise NotFound("This review has no meeting.")
    meeting = rules.cancel_meeting(stored.meeting, state=cycle.state)
    return _save_meeting(ctx, table, cycle, meeting, stored, ReviewMeetingCancelled)


def meeting_invite(ctx: Context, table: Table, cycle_id: str) -> bytes:
    """The meeting as an RFC 5545 calendar (REQUEST, or CANCEL once cancelled): the same
    invite the notification service sends. Its agenda and attendees are read, so audited."""
    cycle = cycles.authorized_cycle(ctx, table, cycle_id)
    stored = store.get_meeting(table, cycle_id)
    if stored is None:
        raise NotFound("This review has no meeting.")
    meeting = stored.meeting
    program = read_program(table, cycle.program_id)
    members = memberships_among(table, meeting.staff, _staff_scopes(cycle))
    people = {m.user_id: Person(m.email, m.item.get("name")) for m in members}
    cycles.audit_read(ctx, table, cycle.program_id, f"cycle:{cycle_id}/meeting")
    return render_invite(
        meeting,
        program_name=(program.name if program is not None else "") or cycle.program_id,
        organizer=Person(get_settings(MailSettings).mail_from, "NQMS review"),
        attendees=[people[user] for user in meeting.staff if user in people]
        + [Person(guest, required=False) for guest in meeting.guests],
        now=clock.now(),
    )
