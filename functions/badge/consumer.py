"""The badge issuer's Lambda: an SQS batch of ``PlanFinalized`` and ``GoalVerified`` events
(routed from the bus by a rule, with a DLQ), each applied once through the inbox; a record
that fails is reported alone (partial batch failure) and redelivered."""

from __future__ import annotations

from typing import Any

from functions.badge import issuer
from functions.badge.settings import BadgeIssuerSettings
from shared.adapters.table import default_table
from shared.collector import entry_point
from shared.consumers import Inbox, by_type, data_or_skip, process_queue_batch
from shared.events import Envelope
from shared.events.plan import GoalVerified, PlanFinalized
from shared.settings import cold_start

cold_start(BadgeIssuerSettings)


def on_cycle_event(event: Envelope, model: type[PlanFinalized] | type[GoalVerified]) -> None:
    """The event's cycle (read from its typed data) earns the badges its facts show. The facts
    decide, not the event: an event whose data does not fit its type is consumed quietly."""
    data = data_or_skip(event, model)
    if data is None:
        return
    cycle_id = data.cycle_id
    table = default_table()
    signer = issuer.link_signer()
    Inbox(table, issuer.CONSUMER).run_once(
        event,
        lambda uow: issuer.issue_earned(table, uow, cycle_id, signer, event.correlation_id),
    )


HANDLERS = by_type(
    {
        "PlanFinalized": lambda event: on_cycle_event(event, PlanFinalized),
        "GoalVerified": lambda event: on_cycle_event(event, GoalVerified),
    }
)


@entry_point
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_queue_batch(event, HANDLERS, context)
