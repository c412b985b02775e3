"""The append-only audit log of reads, exports and changes of confidential data.

Entries are keyed per tenant and day with a unique sort key and written with
``attribute_not_exists``, so nothing overwrites one. Changes are audited inside the same
transaction as the change; reads and exports with one extra write before data is returned
(if the audit cannot be written, the data is not served). Which operations read
confidential data is decided in ``shared.access`` (``AUDITED_READS``); ``shared.edge.api`` refuses
to answer one of them without an entry.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from shared import clock, keys
from shared.context import Context

AuditAction = Literal["read", "export", "change"]


def audit_entry(
    ctx: Context,
    action: AuditAction,
    *,
    scope: Literal["program", "affiliate", "national"],
    scope_id: str,
    target: str,
) -> dict[str, Any]:
    at = clock.now_iso()
    if action != "change":
        ctx.read_audited = True  # built to be written before the data is served
    return {
        "pk": keys.audit_partition(scope, scope_id, at[:10]),
        "sk": f"{at}#{uuid.uuid4()}",
        "type": "audit",
        "action": action,
        "operation": ctx.operation_id,
        "target": target,
        "actor_id": ctx.caller.user_id or "system",
        "correlation_id": ctx.correlation_id,
        "at": at,
    }
