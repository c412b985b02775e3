"""The terminal shows what functions log, briefly, and never their EMF metric lines."""

from __future__ import annotations

import json
import logging

from infra.local.function_logs import render


def test_a_metric_line_is_not_shown() -> None:
    emf = {"_aws": {"Timestamp": 1, "CloudWatchMetrics": []}, "AnswerSaved": [1.0]}
    assert render(json.dumps(emf)) is None


def test_a_powertools_log_line_shows_level_service_message_and_extras() -> None:
    line = {
        "level": "WARNING",
        "location": "save:12",
        "message": "stale answer",
        "timestamp": "2026-11-23 15:00:00,000+0000",
        "service": "assessment",
        "cycle_id": "cyc_1",
        "cold_start": False,
    }
    expected = (logging.WARNING, "assessment", "stale answer cycle_id=cyc_1")
    assert render(json.dumps(line)) == expected


def test_an_exception_is_shown_with_its_traceback() -> None:
    line = {"level": "ERROR", "message": "failed", "service": "outbox", "exception": "Trace\nBoom"}
    level, service, text = render(json.dumps(line)) or (0, None, "")
    assert (level, service) == (logging.ERROR, "outbox")
    assert text == "failed\nTrace\nBoom"


def test_plain_output_is_shown_as_it_is_and_blank_lines_not_at_all() -> None:
    assert render("Traceback (most recent call last):") == (
        logging.INFO,
        None,
        "Traceback (most recent call last):",
    )
    assert render("   ") is None
    assert render("[1, 2]") == (logging.INFO, None, "[1, 2]")
