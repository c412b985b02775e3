"""The kit every event consumer uses (badge issuer, notifier): rule -> queue (with a DLQ) ->
function, partial batch failures, and an inbox that applies each event's effect once.

A consumer's handler is a few lines::

    inbox = Inbox(default_table(), "badge-issuer")

    def on_plan_finalized(event: Envelope) -> None:
        inbox.run_once(event, lambda uow: issue_step_one(uow, event))

    def handler(event, context):
        return process_queue_batch(event, by_type({"PlanFinalized": on_plan_finalized}), context)
"""

from shared.consumers.batch import (
    EventHandler as EventHandler,
)
from shared.consumers.batch import (
    UnhandledEventType as UnhandledEventType,
)
from shared.consumers.batch import (
    by_type as by_type,
)
from shared.consumers.batch import (
    data_or_skip as data_or_skip,
)
from shared.consumers.batch import (
    process_queue_batch as process_queue_batch,
)
from shared.consumers.inbox import Effect as Effect
from shared.consumers.inbox import Inbox as Inbox
from shared.consumers.parsing import BusEvent as BusEvent
from shared.consumers.parsing import EventRecord as EventRecord
from shared.consumers.parsing import parse_bus_event as parse_bus_event
from shared.consumers.parsing import parse_queue_batch as parse_queue_batch
