"""The API contract: code, committed openapi.json and the SAM template agree."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.openapi import build, render, template_routes

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_openapi_document_is_what_the_code_generates() -> None:
    assert (ROOT / "openapi.json").read_text() == render(build()), "run `make openapi`"


def test_every_operation_is_a_template_route_and_every_route_an_operation() -> None:
    document = json.loads((ROOT / "openapi.json").read_text())
    operations = {(m.upper(), p) for p, item in document["paths"].items() for m in item}
    routes = {(r.method, r.path) for r in template_routes()}
    assert operations - routes == set(), "operations missing from infra/template.yaml"
    assert routes - operations == set(), "template routes with no handler route"


def test_every_operation_has_an_id_and_documents_its_problems() -> None:
    document = json.loads((ROOT / "openapi.json").read_text())
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("operationId"), f"{method} {path}"
            problem = operation["responses"]["422"]["content"]
            assert "application/problem+json" in problem, f"{method} {path}"


def test_every_function_handler_in_the_template_imports() -> None:
    import importlib

    from cfnlint.decode import decode

    template, _ = decode(str(ROOT / "infra" / "template.yaml"))
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            module, attribute = resource["Properties"]["Handler"].rsplit(".", 1)
            assert callable(getattr(importlib.import_module(module), attribute)), logical_id
