"""The aggregates' Lambda: an SQS batch of the events that change what a cycle contributes
(``AssessmentSubmitted``, ``AssessmentReturned``, ``CycleArchived``; routed from the bus by a
rule, with a DLQ), each applied once through the inbox; a record that fails is reported alone
(partial batch failure) and redelivered.

A new cycle (``CycleOpened``) changes nothing counted: the cycle it supersedes becomes
historical, which still counts (it was submitted, and it is not archived).
"""

from __future__ import annotations

from typing import Any

from functions.report.aggregates_store import CONSUMER, refresh_contribution
from shared.adapters.table import default_table
from shared.collector import entry_point
from shared.consumers import Inbox, by_type, data_or_skip, process_queue_batch
from shared.events import Envelope
from shared.events.assessment import AssessmentReturned, AssessmentSubmitted, CycleArchived
from shared.settings import FunctionSettings, cold_start

cold_start(FunctionSettings)

CycleEvent = type[AssessmentSubmitted] | type[AssessmentReturned] | type[CycleArchived]


def on_cycle_event(event: Envelope, model: CycleEvent) -> None:
    """The cycle's contribution brought in line with its state now: the state decides, not
    the event, so a late or repeated event changes nothing."""
    data = data_or_skip(event, model)
    if data is None:
        return
    cycle_id = data.cycle_id
    table = default_table()
    Inbox(table, CONSUMER).run_once(event, lambda uow: refresh_contribution(table, uow, cycle_id))


HANDLERS = by_type(
    {
        "AssessmentSubmitted": lambda event: on_cycle_event(event, AssessmentSubmitted),
        "AssessmentReturned": lambda event: on_cycle_event(event, AssessmentReturned),
        "CycleArchived": lambda event: on_cycle_event(event, CycleArchived),
    }
)


@entry_point
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_queue_batch(event, HANDLERS, context)
