"""Build the merged OpenAPI document from the code of every API function, strictly.

    python -m scripts.openapi --write   # regenerate openapi.json
    python -m scripts.openapi --check   # exit 1 when openapi.json differs from the code

The functions come from infra/template.yaml (every function with Api events). A handler that
fails to import, an operation defined twice, or a component defined twice with different
schemas is an error, not a warning.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "infra" / "template.yaml"
DOCUMENT = ROOT / "openapi.json"
TITLE = "NQMS Cloud API"
VERSION = "0.1.0"
DESCRIPTION = (
    "The National Quality Mentoring System backend. Authenticate with the Cognito ID token "
    "as `Authorization: Bearer <token>`. Errors are `application/problem+json` (RFC 9457). "
    "Lists page with `limit` and the opaque `next` cursor. Retry-safe writes accept an "
    "`Idempotency-Key` header. For client developers: docs/clients.md (signing in, "
    "conflicts and If-Match, idempotency keys, paging)."
)


#: The operations' tags in the order of the NQMS cycle (a generated client and the docs page
#: list them so), each with what it covers. An operation with a tag not here fails the build.
TAGS: tuple[tuple[str, str], ...] = (
    (
        "directory",
        "Who is who: your profile and invitations, affiliates, programs and their staff "
        "(invite, remove), a program's public name and contact.",
    ),
    (
        "instruments",
        "The NQMS self-assessment instrument: its versions and 92 items (national admins "
        "publish a new version).",
    ),
    (
        "cycles",
        "A program's assessment cycle: opened by its affiliate, then readiness, submission, "
        "return for changes, archive, and the comparison with earlier cycles.",
    ),
    (
        "answers",
        "The program's answers to the items of an open cycle, saved one item at a time (If-Match).",
    ),
    ("evidence", "Documents the program uploads to its evidence library and links to items."),
    (
        "review",
        "The affiliate's review: the queue, a status and notes per item, the review meeting "
        "and its calendar invite, and completing the review.",
    ),
    (
        "plan",
        "The Improvement and Innovation Plan written after the meeting: strengths and areas "
        "for improvement, 3 to 5 goals, their progress and verification.",
    ),
    (
        "reports",
        "A program's documents (its assessment and plan as printable PDF and CSV files, "
        "downloaded through short-lived links) and its own progress across its cycles.",
    ),
    (
        "badges",
        "Badges earned by the cycle (Step 1, Step 2): a program's badges, revocation, and "
        "their public face (verify links, images, Open Badges credentials, signing keys, the "
        "partner directory), open to anyone.",
    ),
    (
        "notify",
        "Email notifications: your preferences and time zone, and the addresses of an "
        "affiliate's people that bounced.",
    ),
)


class OpenAPIBuildError(RuntimeError):
    pass


@dataclass(frozen=True)
class TemplateRoute:
    method: str
    path: str
    function: str  # logical id
    handler: str  # dotted module.attribute
    public: bool


def template_routes(template_path: Path = TEMPLATE) -> list[TemplateRoute]:
    """The API routes the SAM template declares, per function."""
    from cfnlint.decode import decode

    template, errors = decode(str(template_path))
    if errors or template is None:
        raise OpenAPIBuildError(f"cannot read {template_path}: {errors}")
    routes: list[TemplateRoute] = []
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource.get("Properties", {})
        for event in (properties.get("Events") or {}).values():
            if event.get("Type") != "Api":
                continue
            spec = event["Properties"]
            if str(spec["Method"]).upper() == "OPTIONS":
                continue  # a CORS preflight: the resolver's CORSConfig answers, not an operation
            auth = spec.get("Auth") or {}
            routes.append(
                TemplateRoute(
                    method=str(spec["Method"]).upper(),
                    path=str(spec["Path"]),
                    function=str(logical_id),
                    handler=str(properties["Handler"]),
                    public=auth.get("Authorizer") == "NONE",
                )
            )
    return routes


def _resolver_of(handler: str) -> Any:
    module_name = handler.rsplit(".", 1)[0]
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise OpenAPIBuildError(f"{module_name} failed to import: {exc!r}") from exc
    from scripts.openapi_bridge import resolver_for
    from shared.edge.router import App

    app = getattr(module, "app", None)
    if not isinstance(app, App):
        raise OpenAPIBuildError(f"{module_name} has no edge app (shared.edge.api) named `app`")
    return resolver_for(app)


def build(template_path: Path = TEMPLATE) -> dict[str, Any]:
    from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge
    from aws_lambda_powertools.event_handler.openapi.models import (
        HTTPBearer,
    )

    routes = template_routes(template_path)
    public = {(r.method.lower(), r.path) for r in routes if r.public}
    merge = OpenAPIMerge(
        title=TITLE,
        version=VERSION,
        description=DESCRIPTION,
        on_conflict="error",
        security_schemes={"cognito": HTTPBearer(bearerFormat="JWT")},
        security=[{"cognito": []}],
    )
    components: dict[str, dict[str, Any]] = {}
    for handler in sorted({r.handler for r in routes}):
        schema = json.loads(_resolver_of(handler).get_openapi_json_schema())
        for kind, entries in schema.get("components", {}).items():
            seen = components.setdefault(kind, {})
            for name, definition in entries.items():
                if name in seen and seen[name] != definition:
                    raise OpenAPIBuildError(f"component {kind}/{name} differs between services")
                seen[name] = definition
        merge.add_schema(schema)
    try:
        document: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    except Exception as exc:
        raise OpenAPIBuildError(str(exc)) from exc
    known = [name for name, _ in TAGS]
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            unknown = set(operation.get("tags", [])) - set(known)
            if unknown:
                raise OpenAPIBuildError(f"{method} {path}: tags {sorted(unknown)} not in TAGS")
            if (method, path) in public:
                operation["security"] = []
            for response in operation.get("responses", {}).values():
                if response.get("content") == {}:
                    del response["content"]  # a 204: no body, so no media type at all
    document["tags"] = [{"name": name, "description": text} for name, text in TAGS]
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = render(build())
    if args.write:
        DOCUMENT.write_text(text)
        print(f"wrote {DOCUMENT.relative_to(ROOT)}")
        return 0
    if not DOCUMENT.exists() or DOCUMENT.read_text() != text:
        print("openapi.json differs from the code: run `make openapi`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
