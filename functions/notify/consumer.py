"""The notifier's Lambda: an SQS batch of the events in ``messages.MESSAGES`` (routed by a rule,
with a DLQ); each record sends what it still owes (see ``logic``), and a record that fails is
reported alone (partial batch failure) and redelivered."""

from __future__ import annotations

from typing import Any

from functions.notify import logic
from functions.notify.content import Links
from functions.notify.messages import event_types
from functions.notify.settings import NotifySettings, notify_settings
from shared.adapters.mail import Mailer
from shared.adapters.table import default_table
from shared.collector import entry_point
from shared.consumers import by_type, process_queue_batch
from shared.events import Envelope
from shared.settings import cold_start

cold_start(NotifySettings)


def on_event(event: Envelope) -> None:
    settings = notify_settings()
    logic.notify(
        default_table(),
        Mailer(settings.mail_from, settings.configuration_set),
        event,
        Links(
            app_url=settings.app_url,
            api_url=settings.public_api_url,
            reports_bucket=settings.reports_bucket,
        ),
    )


HANDLERS = by_type(dict.fromkeys(event_types(), on_event))


@entry_point
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_queue_batch(event, HANDLERS, context)
