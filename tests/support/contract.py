"""Every response a test gets through a handler, held to the committed contract.

``openapi.json`` is what client generators read: a route that answers a success status it
does not document (201 where the contract says 200), or sends ``ETag``, ``Location`` or
``Retry-After`` the contract does not declare (or leaves out one it declares as always sent),
breaks generated clients while every hand-written test passes. :func:`check` is called by
``tests.support.lambdas.invoke`` on every response, so each test that reaches a route checks
its real answer against the document; the end-to-end flows' client
(:class:`CheckedClient`) does the same over HTTP.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from infra.local.http import ApiClient, ApiResponse

ROOT = Path(__file__).resolve().parents[2]
#: Headers the contract documents per response (shared.edge.api.RESPONSE_HEADERS).
CHECKED_HEADERS = ("ETag", "Location", "Retry-After")


@cache
def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "openapi.json").read_text())
    return loaded


class ContractBroken(AssertionError):
    """A real response the committed contract does not describe."""


def check(method: str, resource: str, status: int, headers: Mapping[str, str]) -> None:
    """Fail when this answer of ``method resource`` is not what the contract documents; a
    resource the contract does not have (a test's own handler) is not checked."""
    operation = _document()["paths"].get(resource, {}).get(method.lower())
    if operation is None:
        return
    responses: dict[str, Any] = operation["responses"]
    where = f"{method} {resource}"
    if 200 <= status < 300 and str(status) not in responses:
        documented = sorted(s for s in responses if s.startswith("2"))
        raise ContractBroken(f"{where} answered {status}; openapi.json documents {documented}")
    response = responses.get(str(status))
    if response is None:
        return  # an undocumented error status: the fuzzer's conformance checks hold those
    declared = response.get("headers", {})
    present = {name.lower() for name, value in headers.items() if value}
    sent = {name for name in CHECKED_HEADERS if name.lower() in present}
    undeclared = sent - set(declared)
    if undeclared:
        raise ContractBroken(f"{where} {status} sends {sorted(undeclared)}, not in openapi.json")
    missing = {n for n, h in declared.items() if h.get("required") and n.lower() not in present}
    if missing:
        raise ContractBroken(f"{where} {status} documents {sorted(missing)} but did not send it")


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """Each path of the contract as a pattern (a ``{name}`` is one segment), fewest
    parameters first, so ``/me/invitations`` wins over a template that would also match."""
    paths = sorted(_document()["paths"], key=lambda p: (p.count("{"), p))
    return [
        (re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(p)) + "$"), p) for p in paths
    ]


def resource_of(path: str) -> str | None:
    """The contract's path template a request path belongs to (``None``: not the API's)."""
    bare = urlsplit(path).path
    return next((template for pattern, template in _templates() if pattern.match(bare)), None)


class CheckedClient(ApiClient):
    """The local API client, holding every answer to the contract (the end-to-end flows)."""

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        response = super().request(method, path, body, headers)
        resource = resource_of(path)
        if resource is not None:
            check(method, resource, response.status, response.headers)
        return response


def checked(client: ApiClient) -> CheckedClient:
    return CheckedClient(client.base_url, client.token, client.timeout)
