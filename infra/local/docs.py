"""API docs on the local gateway: the committed openapi.json and Swagger UI, no CDN.

Swagger UI's assets come from the copy bundled with aws-lambda-powertools.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

OPENAPI_PATH = Path(__file__).resolve().parents[2] / "openapi.json"
OPENAPI_ROUTE = "/openapi.json"
DOCS_ROUTE = "/docs"
SWAGGER_JS_ROUTE = "/docs/swagger-ui-bundle.min.js"
SWAGGER_CSS_ROUTE = "/docs/swagger-ui.min.css"
_SWAGGER_PACKAGE = "aws_lambda_powertools.event_handler.openapi.swagger_ui"


@cache
def swagger_asset(name: str) -> str:
    return (resources.files(_SWAGGER_PACKAGE) / name).read_text(encoding="utf-8")


def openapi_document(path: Path = OPENAPI_PATH) -> str | None:
    """The committed OpenAPI document, or None before ``make openapi`` wrote it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def docs_page(title: str = "NQMS Cloud API (local)") -> str:
    options = {
        "url": OPENAPI_ROUTE,
        "dom_id": "#swagger-ui",
        "deepLinking": True,
        "persistAuthorization": True,
        "docExpansion": "list",
    }
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" href="{SWAGGER_CSS_ROUTE}">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{SWAGGER_JS_ROUTE}"></script>
  <script>
    window.ui = SwaggerUIBundle({json.dumps(options)});
  </script>
</body>
</html>
"""
