"""Review API: the queue, the reviewer, per-item review, the meeting and the completion.

Thin routes: each one parses the request and calls one use case in ``logic``.
"""

from __future__ import annotations

from typing import Annotated

from functions.review import logic
from functions.review.models import (
    Assignment,
    Completion,
    ItemReview,
    ItemReviewIn,
    MeetingIn,
    MeetingView,
    QueueState,
    Review,
    ReviewerIn,
    ReviewQueue,
)
from functions.review.settings import ReviewSettings
from shared.adapters.table import default_table
from shared.edge.api import (
    context,
    create_app,
    document_responses,
    handler_for,
    problem_responses,
    success,
)
from shared.edge.http import Response
from shared.edge.params import CycleId, IfMatch, ItemCode, Limit, Next, Query, id_pattern
from shared.edge.versions import versioned
from shared.settings import cold_start
from shared.store.pagination import DEFAULT_LIMIT, PageRequest

cold_start(ReviewSettings)

app = create_app()
REVIEW = ["review"]


QueueAffiliate = Annotated[
    str | None,
    Query(
        alias="affiliateId",
        pattern=id_pattern("aff"),
        description="Whose queue (default: your affiliate's; national staff: every affiliate's).",
    ),
]


@app.get(
    "/reviews",
    operation_id="listReviews",
    tags=REVIEW,
    summary="The review queue: submitted assessments waiting or in review, oldest first",
    description="Each row has the program's name, submitted and due dates, the reviewer and "
    "the review's progress. Filters narrow a page (it may come back short, with `next`).",
    responses=problem_responses(400, 403, 404, 422),
)
def list_reviews(
    affiliate_id: QueueAffiliate = None,
    state: Annotated[QueueState | None, Query(description="Only this state.")] = None,
    assigned_to_me: Annotated[
        bool, Query(alias="assignedToMe", description="Only reviews assigned to you.")
    ] = False,
    overdue: Annotated[bool, Query(description="Only cycles past their due date.")] = False,
    limit: Limit = DEFAULT_LIMIT,
    next_: Next = None,
) -> ReviewQueue:
    page = PageRequest(limit, next_)
    query = logic.QueueQuery(affiliate_id, state, assigned_to_me, overdue, page)
    return logic.list_reviews(context(app), default_table(), query)


@app.get(
    "/cycles/<cycleId>/review",
    operation_id="getReview",
    tags=REVIEW,
    summary="The review: state, reviewer, progress and every item's status",
    description="The program's staff see statuses and notes addressed to them, never "
    "internal notes.",
    responses=problem_responses(404),
)
def get_review(cycle_id: CycleId) -> Review:
    return logic.get_review(context(app), default_table(), cycle_id)


@app.put(
    "/cycles/<cycleId>/review/reviewer",
    operation_id="assignReviewer",
    tags=REVIEW,
    summary="Assign the reviewer: staff of any affiliate serving the program",
    description="The first review action moves a submitted cycle to in review.",
    responses=problem_responses(403, 404, 409, 422),
)
def assign_reviewer(cycle_id: CycleId, body: ReviewerIn) -> Assignment:
    return logic.assign_reviewer(context(app), default_table(), cycle_id, body)


@app.put(
    "/cycles/<cycleId>/review/items/<itemCode>",
    operation_id="reviewItem",
    tags=REVIEW,
    summary="Review one item: status, a note to the program, an internal note",
    description="Send the version you read in `If-Match` (or `version` in the body); without "
    "one the write only creates. A stale write gets 409 with the current review in "
    "`current`. The program's answer is never changed.",
    responses={**success(200, "ETag"), **problem_responses(400, 403, 404, 409, 422)},
)
def review_item(
    cycle_id: CycleId, item_code: ItemCode, body: ItemReviewIn, if_match: IfMatch = None
) -> Response[ItemReview]:
    saved = logic.review_item(context(app), default_table(), cycle_id, item_code, body, if_match)
    return versioned(saved, saved.version)


@app.post(
    "/cycles/<cycleId>/review/complete",
    operation_id="completeReview",
    tags=REVIEW,
    summary="Record that the review meeting was held: the review is completed",
    description="Affiliate staff only, once the meeting's start has passed. The review date "
    "is the meeting's local calendar date in its time zone.",
    responses=problem_responses(403, 404, 409),
)
def complete_review(cycle_id: CycleId) -> Completion:
    return logic.complete_review(context(app), default_table(), cycle_id)


# =========================================================================== meeting
@app.post(
    "/cycles/<cycleId>/review/meeting",
    operation_id="scheduleReviewMeeting",
    tags=REVIEW,
    summary="Schedule the review meeting (or schedule a cancelled one again, same UID)",
    description="Start and end are wall times in `time_zone` (IANA). A meeting already held "
    "may be recorded after the fact.",
    responses=problem_responses(403, 404, 409, 422),
)
def schedule_meeting(cycle_id: CycleId, body: MeetingIn) -> MeetingView:
    return logic.schedule_meeting(context(app), default_table(), cycle_id, body)


@app.put(
    "/cycles/<cycleId>/review/meeting",
    operation_id="rescheduleReviewMeeting",
    tags=REVIEW,
    summary="Move the review meeting or change its details (same UID, SEQUENCE + 1)",
    responses=problem_responses(400, 403, 404, 409, 422),
)
def reschedule_meeting(cycle_id: CycleId, body: MeetingIn, if_match: IfMatch = None) -> MeetingView:
    return logic.reschedule_meeting(context(app), default_table(), cycle_id, body, if_match)


@app.post(
    "/cycles/<cycleId>/review/meeting/cancel",
    operation_id="cancelReviewMeeting",
    tags=REVIEW,
    summary="Cancel the review meeting (SEQUENCE + 1; its invite becomes a CANCEL)",
    responses=problem_responses(403, 404, 409),
)
def cancel_meeting(cycle_id: CycleId) -> MeetingView:
    return logic.cancel_meeting(context(app), default_table(), cycle_id)


@app.get(
    "/cycles/<cycleId>/review/meeting.ics",
    operation_id="getReviewMeetingInvite",
    tags=REVIEW,
    summary="The review meeting as a calendar invite (RFC 5545)",
    description="METHOD REQUEST while scheduled, CANCEL once cancelled; the same UID for "
    "the meeting's whole life and a SEQUENCE that grows on every change.",
    responses={
        **document_responses("text/calendar", "The calendar."),
        **problem_responses(404),
    },
)
def get_meeting_invite(cycle_id: CycleId) -> Response[str]:
    invite = logic.meeting_invite(context(app), default_table(), cycle_id)
    return Response(
        status_code=200,
        body=invite.decode("utf-8"),
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="review-meeting.ics"'},
    )


lambda_handler = handler_for(app)
