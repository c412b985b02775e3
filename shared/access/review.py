"""Access rules of the review service. A review's target is its cycle's program.

Staff of the affiliates serving the program review; national staff with the results grant
read; the program's own staff read what is addressed to them (403 on writes).
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.access.rules import READ_RESULTS, R, Rule, rule

#: An affiliate's queue: its own staff; every affiliate's, for national staff with the grant.
QUEUE_READERS = rule(affiliate_staff=[R.AFFILIATE_STAFF], national_staff=[R.NATIONAL_RESULTS])

REVIEWERS = rule(affiliate_staff=[R.SERVING_AFFILIATE_STAFF])

ACCESS: Mapping[str, Rule] = {
    "listReviews": QUEUE_READERS,
    "getReview": READ_RESULTS,
    "getReviewMeetingInvite": READ_RESULTS,
    "assignReviewer": REVIEWERS,
    "reviewItem": REVIEWERS,
    "scheduleReviewMeeting": REVIEWERS,
    "rescheduleReviewMeeting": REVIEWERS,
    "cancelReviewMeeting": REVIEWERS,
    "completeReview": REVIEWERS,
}

ACTIONS: Mapping[str, str] = {
    "listReviews": "read the review queue",
    "getReview": "read this review",
    "getReviewMeetingInvite": "read the review meeting's invite",
    "assignReviewer": "assign a reviewer",
    "reviewItem": "review an item",
    "scheduleReviewMeeting": "schedule the review meeting",
    "rescheduleReviewMeeting": "reschedule the review meeting",
    "cancelReviewMeeting": "cancel the review meeting",
    "completeReview": "complete the review",
}
