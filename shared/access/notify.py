"""Access rules of the notification service: a user's own preferences, an affiliate's
suppressed addresses (its staff's and its programs' staff's)."""

from __future__ import annotations

from collections.abc import Mapping

from shared.access.rules import SIGNED_IN, R, Rule, rule

ACCESS: Mapping[str, Rule] = {
    # The caller's own record, keyed by the verified user id: no tenant object decides.
    "getMyNotificationPreferences": SIGNED_IN,
    "saveMyNotificationPreferences": SIGNED_IN,
    "listMailSuppressions": rule(
        affiliate_staff=[R.AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]
    ),
}

ACTIONS: Mapping[str, str] = {
    "getMyNotificationPreferences": "see their notification preferences",
    "saveMyNotificationPreferences": "change their notification preferences",
    "listMailSuppressions": "list this affiliate's suppressed addresses",
}
