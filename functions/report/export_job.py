"""The research export's job: an SQS batch of ``ResearchExportRequested`` (routed from the bus
by a rule, with a DLQ), each export made once (``export_logic.run_export``)."""

from __future__ import annotations

from typing import Any

from functions.report import export_logic
from functions.report.settings import ResearchExportSettings
from shared.adapters.secrets import secret_string
from shared.adapters.table import default_table
from shared.collector import entry_point
from shared.consumers import by_type, process_queue_batch
from shared.events import Envelope
from shared.settings import cold_start, get_settings

cold_start(ResearchExportSettings)


def on_requested(event: Envelope) -> None:
    settings = get_settings(ResearchExportSettings)
    secret = secret_string(settings.pseudonym_key_secret).encode()
    export_logic.run_export(default_table(), event, settings.reports_bucket, secret)


HANDLERS = by_type({"ResearchExportRequested": on_requested})


@entry_point
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_queue_batch(event, HANDLERS, context)
