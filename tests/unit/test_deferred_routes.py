"""Route modules an API function imports on their first request (issue 21 item 7): the app
lists their routes (method, rule, operation id); the module declares them with the decorators.
A cold start pays only for the route modules its request uses."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

from shared.edge.api import read_json_body
from shared.edge.router import App, Declared
from tests.unit.test_edge_imports import API_HANDLERS

ROOT = Path(__file__).resolve().parents[2]

FIRST_REQUEST = """
import json, sys
from functions.report.handler import lambda_handler
from tests.support.apigw import api_event

def loaded():
    return sorted(m for m in sys.modules if m.startswith("functions.report."))

before = loaded()
# Matched by path (no resource): a request no deferred route answers loads none of them.
preflight = {"httpMethod": "OPTIONS", "path": "/research-exports", "headers": {}}
unanswered = lambda_handler(preflight, None)["statusCode"]
after_preflight = loaded()
answer = lambda_handler(api_event("GET", "/aggregates", claims=None), None)
print(json.dumps({"before": before, "after_preflight": after_preflight, "after": loaded(),
                  "unanswered": unanswered, "status": answer["statusCode"],
                  "body": json.loads(answer["body"])}))
"""


def test_a_route_module_is_imported_on_its_first_request_and_answers_as_before() -> None:
    done = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", FIRST_REQUEST],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(done.stdout)

    assert "functions.report.aggregate_routes" not in seen["before"]
    assert seen["after_preflight"] == seen["before"]
    assert seen["unanswered"] == 404
    assert "functions.report.aggregate_routes" in seen["after"]
    assert "functions.report.export_routes" not in seen["after"]
    # The route was found and its parameters validated: the required query is missing.
    assert seen["status"] == 422
    assert {e["field"] for e in seen["body"]["errors"]} >= {"query.instrumentVersion"}


def test_an_app_whose_list_differs_from_the_module_fails_naming_the_difference() -> None:
    app = App(read_json=read_json_body)
    app.include_router_of(
        "functions.report.export_routes",
        [
            Declared("POST", "/research-exports", "requestResearchExport"),
            Declared("GET", "/research-exports/<id>", "getResearchExport"),
        ],
    )

    with pytest.raises(RuntimeError, match="getResearchExport") as raised:
        app.all_routes()
    assert "/research-exports/<exportId>" in str(raised.value)


@pytest.mark.parametrize("module", API_HANDLERS)
def test_every_api_app_lists_its_route_modules_routes_exactly(module: str) -> None:
    app: App = import_module(module).app

    routes = app.all_routes()

    operation_ids = [route.operation_id for route in routes]
    assert len(operation_ids) == len(set(operation_ids))
    assert all(operation_ids)
