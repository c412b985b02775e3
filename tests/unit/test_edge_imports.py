"""An API function's cold start imports neither Powertools nor pydantic-settings (issue 21
item 7): the edge, its logging and its settings are ours; Powertools loads when a function
logs or measures something, and for the consumers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
API_HANDLERS = (
    "functions.assessment.handler",
    "functions.directory.handler",
    "functions.review.handler",
    "functions.plan.handler",
    "functions.badge.handler",
    "functions.notify.handler",
    "functions.report.handler",
)
NOT_AT_COLD_START = ("aws_lambda_powertools", "pydantic_settings")

LOADED = """
import json, sys, importlib
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def modules_after_importing(module: str) -> list[str]:
    done = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", LOADED, module],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


@pytest.mark.parametrize("module", API_HANDLERS)
def test_an_api_handler_imports_no_powertools_and_no_pydantic_settings(module: str) -> None:
    loaded = modules_after_importing(module)

    heavy = [name for name in loaded if name.split(".")[0] in NOT_AT_COLD_START]
    assert heavy == [], f"{module} imports {heavy[:5]} at cold start"
    assert module in loaded


def test_the_logger_loads_powertools_when_something_is_logged() -> None:
    code = (
        "import sys; from shared.observability import logger; "
        "before = 'aws_lambda_powertools.logging' in sys.modules; "
        "logger.info('hello', extra={'cycle_id': 'cyc_1'}); "
        "print(before, 'aws_lambda_powertools.logging' in sys.modules)"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    *logged, flags = done.stdout.strip().splitlines()
    assert flags == "False True"
    line = json.loads(logged[-1])
    assert (line["message"], line["cycle_id"], line["level"]) == ("hello", "cyc_1", "INFO")


#: The only part of shared.events each API function loads at import (its logic names its
#: own events); notify's API publishes none, and the report's export (which does) is one of
#: its route modules imported on their first request.
OWN_EVENT_PART = {
    "functions.assessment.handler": "assessment",
    "functions.directory.handler": "directory",
    "functions.review.handler": "review",
    "functions.plan.handler": "plan",
    "functions.badge.handler": "badge",
    "functions.notify.handler": None,
    "functions.report.handler": None,
}


@pytest.mark.parametrize("module", API_HANDLERS)
def test_an_api_handler_loads_no_other_services_events(module: str) -> None:
    """The event catalogue is assembled when it is first read, not at import: a cold start
    loads the events of its own service at most, never every service's models."""
    loaded = modules_after_importing(module)

    parts = {name.split(".")[2] for name in loaded if name.startswith("shared.events.")}
    expected = {"base"} | ({OWN_EVENT_PART[module]} if OWN_EVENT_PART[module] else set())
    assert parts == expected


#: Route modules (and what only they need) a function imports on their first request.
DEFERRED = {
    "functions.assessment.handler": (
        "functions.assessment.evidence_routes",
        "functions.assessment.evidence",
        "functions.assessment.evidence_models",
        "shared.adapters.storage",
    ),
    "functions.report.handler": (
        "functions.report.aggregate_routes",
        "functions.report.aggregates_models",
        "functions.report.export_routes",
        "functions.report.export_models",
    ),
}


@pytest.mark.parametrize("module", sorted(DEFERRED))
def test_an_api_handler_does_not_import_the_route_modules_it_defers(module: str) -> None:
    loaded = set(modules_after_importing(module))

    assert loaded & set(DEFERRED[module]) == set()
