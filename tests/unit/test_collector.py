"""The garbage collector across a cold start (``shared.collector``): paused while a function
is imported in an execution environment, resumed (with the cold start's objects frozen) once
its entry point's first invocation returns, and never touched in tests and tools."""

from __future__ import annotations

import gc
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.template import load_template
from shared import collector
from tests.support.apigw import api_event
from tests.unit.test_settings import REGION, environment_of

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter: import the notify API, then answer twice (a route that needs no AWS).
CHILD = """
import gc, json, sys
import functions.notify.handler as api
seen = {"after import": gc.isenabled()}
event = json.loads(sys.argv[1])
first = api.lambda_handler(event, None)
seen |= {"after first": gc.isenabled(), "frozen": gc.get_freeze_count()}
seen["status"] = first["statusCode"]
api.lambda_handler(event, None)
seen |= {"after second": gc.isenabled(), "frozen again": gc.get_freeze_count()}
print(json.dumps(seen))
"""


def _cold_start(in_lambda: bool) -> dict[str, Any]:
    template = load_template(region=REGION, account_id="123456789012", stack_name="unit")
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = base | environment_of(template, "NotifyApiFunction") | {"PYTHONPATH": str(ROOT)}
    if in_lambda:
        env["AWS_LAMBDA_FUNCTION_NAME"] = "unit"
    event = api_event("GET", "/no-such-route")
    done = subprocess.run(  # noqa: S603 - our own interpreter, our own module
        [sys.executable, "-c", CHILD, json.dumps(event)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen: dict[str, Any] = json.loads(done.stdout)
    return seen


def test_in_lambda_the_collector_waits_for_the_first_answer_then_skips_the_cold_start() -> None:
    seen = _cold_start(in_lambda=True)
    assert seen["status"] == 404
    assert seen["after import"] is False  # paused while the function loads
    assert seen["after first"] is True  # resumed once the first invocation returned
    assert seen["frozen"] > 20_000  # the cold start's objects
    assert seen["after second"] is True
    assert seen["frozen again"] <= seen["frozen"]  # frozen once, not again


def test_outside_lambda_the_collector_is_left_alone() -> None:
    seen = _cold_start(in_lambda=False)
    assert seen["after import"] is True
    assert seen["after first"] is True
    assert seen["frozen"] == 0


def test_every_entry_point_of_the_template_resumes_the_collector() -> None:
    template = load_template(region=REGION, account_id="123456789012", stack_name="unit")
    handlers = [
        str(resource["Properties"]["Handler"])
        for resource in template.resources.values()
        if resource["Type"] == "AWS::Lambda::Function"
    ]
    assert len(handlers) == 16
    for handler in handlers:
        module, name = handler.rsplit(".", 1)
        entry = getattr(importlib.import_module(module), name)
        assert getattr(entry, "is_entry_point", False), f"{handler} is not an entry_point"


@pytest.fixture
def paused(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process as a cold start would leave it: paused by ``functions``' import."""
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "unit")
    monkeypatch.setattr(collector, "_paused", False)
    collector.pause_for_cold_start()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_job_resumes_the_collector_before_its_first_invocation_runs(paused: None) -> None:
    @collector.entry_point
    def job() -> bool:  # an export or a reminder run may be large: collected throughout
        return gc.isenabled()

    assert not gc.isenabled()
    assert job() is True
    assert job() is True


def test_an_api_function_answers_its_first_request_before_the_collector_resumes(
    paused: None,
) -> None:
    @collector.request_entry_point
    def answer() -> bool:
        return gc.isenabled()

    assert answer() is False  # the first request: nothing collected while a person waits
    assert gc.isenabled()
    assert answer() is True
