"""A small JSON-over-HTTP client for the local gateway (seed, CLI, end-to-end tests)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self


@dataclass(frozen=True)
class ApiResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def content_type(self) -> str:
        return self.header("Content-Type") or ""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


class ApiClient:
    """Requests against ``base_url``; ``token`` becomes ``Authorization: Bearer ...``."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30) -> None:
        if not base_url.startswith(("http://127.0.0.1", "http://localhost")):
            raise ValueError(f"the local API client only talks to loopback, not {base_url}")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def as_user(self, token: str | None) -> Self:
        """The same client (and kind of client) with ``token``."""
        return type(self)(self.base_url, token, self.timeout)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Accept": "application/json"} | dict(headers or {})
        if data is not None:
            all_headers.setdefault("Content-Type", "application/json")
        if self.token:
            all_headers.setdefault("Authorization", f"Bearer {self.token}")
        request = urllib.request.Request(  # noqa: S310 - loopback only, checked above
            self.base_url + path, data=data, headers=all_headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return ApiResponse(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return ApiResponse(error.code, dict(error.headers), error.read())

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> ApiResponse:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, body: Any, headers: Mapping[str, str] | None = None) -> ApiResponse:
        return self.request("POST", path, body, headers)
