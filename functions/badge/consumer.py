"""The badge issuer's Lambda: an SQS batch of ``PlanFinalized`` and ``GoalVerified`` events
(routed from the bus by a rule, with a DLQ), each applied once through the inbox; a record
that fails is reported alone (partial batch failure) and redelivered."""

from __future__ import annotations

from typing import Any

from functions.badge import issuer
from functions.badge.settings import BadgeIssuerSettings
from shared.adapters.table import default_table
from shared.consumers import Inbox, by_type, process_queue_batch
from shared.events import Envelope
from shared.settings import cold_start

cold_start(BadgeIssuerSettings)


def on_cycle_event(event: Envelope) -> None:
    cycle_id = event.cycle_id
    if cycle_id is None:
        return
    table = default_table()
    signer = issuer.link_signer()
    Inbox(table, issuer.CONSUMER).run_once(
        event,
        lambda uow: issuer.issue_earned(table, uow, cycle_id, signer, event.correlation_id),
    )


HANDLERS = by_type({"PlanFinalized": on_cycle_event, "GoalVerified": on_cycle_event})


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_queue_batch(event, HANDLERS, context)
