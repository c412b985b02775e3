"""The API contract: code, committed openapi.json and the SAM template agree."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scripts.openapi import build, render, template_routes
from shared.edge.params import USER_ID_PATTERN

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


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = json.loads((ROOT / "openapi.json").read_text())
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_every_operation_documents_its_success_status_and_body() -> None:
    for method, path, operation in _operations():
        success = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        assert len(success) == 1, f"{method} {path} documents no (or several) success responses"
        [(status, response)] = success.items()
        if status == "204":
            assert "content" not in response, f"{method} {path}: a 204 has no body"
        elif path.endswith(".ics"):  # a calendar file (RFC 5545), not JSON
            assert response["content"]["text/calendar"]["schema"] == {"type": "string"}, path
        elif path.endswith("/credential"):  # a VC-JWT
            assert response["content"]["application/jwt"]["schema"] == {"type": "string"}, path
        elif path.endswith(".svg"):  # an image
            assert response["content"]["image/svg+xml"]["schema"] == {"type": "string"}, path
        else:
            schema = response["content"]["application/json"]["schema"]
            assert schema.get("$ref", "").startswith("#/components/schemas/"), f"{method} {path}"


def test_the_idempotency_key_documents_its_pattern_and_the_400_it_gets() -> None:
    from shared.store.idempotency import KEY_PATTERN

    keyed = 0
    for method, path, operation in _operations():
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "header" and parameter["name"].lower() == "idempotency-key":
                keyed += 1
                assert parameter["schema"]["pattern"] == KEY_PATTERN.pattern, f"{method} {path}"
                problem = operation["responses"]["400"]["content"]
                assert "application/problem+json" in problem, f"{method} {path}"
    assert keyed >= 7


def test_every_id_in_a_path_or_query_carries_its_pattern() -> None:
    for method, path, operation in _operations():
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            if parameter["in"] in ("path", "query") and (name.endswith("Id") or name == "with"):
                pattern = parameter["schema"].get("pattern") or next(
                    (s.get("pattern") for s in parameter["schema"].get("anyOf", [])), None
                )
                assert pattern is not None, f"{method} {path}: {name}"
                minted = re.fullmatch(r"\^[a-z]{3}_\[0-9a-f\]\{20\}\$", pattern)
                assert minted or pattern == USER_ID_PATTERN, pattern  # ours, or Cognito's sub


def _examples(node: Any, at: str = "") -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """Every example in the document, with where it is and the schema it illustrates."""
    if isinstance(node, dict):
        for example in node.get("examples", []) if isinstance(node.get("examples"), list) else []:
            yield at, example, node
        for key, value in node.items():
            yield from _examples(value, f"{at}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(value, f"{at}/{index}")


def test_every_example_is_valid_for_its_schema_and_names_real_items() -> None:
    import jsonschema_rs

    from shared.domain.instrument import load_instrument

    document = json.loads((ROOT / "openapi.json").read_text())
    found = list(_examples(document))
    assert len(found) >= 8
    for where, example, schema in found:
        subject = {k: v for k, v in schema.items() if k != "examples"}
        errors = jsonschema_rs.Draft202012Validator(
            {**subject, "components": document["components"]}
        ).iter_errors(example)
        assert [e.message for e in errors] == [], f"the example at {where}"
    instrument = load_instrument()
    links = document["components"]["schemas"]["EvidenceLinksIn"]["properties"]["items"]
    for example in links["examples"]:
        for reference in example:
            item = instrument.item_by_code(reference) or instrument.item_by_key(reference)
            assert item is not None, f"EvidenceLinksIn example names {reference}, not an item"
