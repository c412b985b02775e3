"""Notification API: a user's own notification preferences, an affiliate's suppressed
addresses. Thin routes over ``api``."""

from __future__ import annotations

from functions.notify import api
from functions.notify.models import Preferences, PreferencesIn, SuppressionList
from functions.notify.settings import NotifyApiSettings
from shared.adapters.table import default_table
from shared.edge.api import context, create_app, handler_for, problem_responses
from shared.edge.params import AffiliateId, Limit, Next
from shared.settings import cold_start
from shared.store.pagination import DEFAULT_LIMIT, PageRequest

cold_start(NotifyApiSettings)

app = create_app()
TAGS = ["notify"]


@app.get(
    "/me/notification-preferences",
    operation_id="getMyNotificationPreferences",
    tags=TAGS,
    summary="Your notification preferences (optional messages, time zone)",
    responses=problem_responses(401),
)
def get_preferences() -> Preferences:
    return api.get_preferences(context(app), default_table())


@app.put(
    "/me/notification-preferences",
    operation_id="saveMyNotificationPreferences",
    tags=TAGS,
    summary="Turn reminders off or the weekly digest on; the zone your emails show times in",
    responses=problem_responses(401, 409, 422),
)
def save_preferences(body: PreferencesIn) -> Preferences:
    return api.save_preferences(context(app), default_table(), body)


@app.get(
    "/affiliates/<affiliateId>/mail-suppressions",
    operation_id="listMailSuppressions",
    tags=TAGS,
    summary="Addresses of your staff and your programs' staff that bounced or complained",
    responses=problem_responses(400, 401, 403, 404),
)
def list_suppressions(
    affiliate_id: AffiliateId, limit: Limit = DEFAULT_LIMIT, next_: Next = None
) -> SuppressionList:
    return api.list_suppressions(
        context(app), default_table(), affiliate_id, PageRequest(limit, next_)
    )


lambda_handler = handler_for(app)
