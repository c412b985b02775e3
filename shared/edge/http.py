"""The request and the response at the edge: API Gateway's REST proxy event in, its proxy
response out (``multiValueHeaders``), with nothing but the standard library.

``Response`` and the two validation errors keep the shapes Powertools' had (the same
constructor, ``errors()`` and ``body``), so routes and error mapping read as before.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cached_property
from typing import Any, Generic, TypeVar

T = TypeVar("T")

JSON = "application/json"


class Response(Generic[T]):
    """What a route answers: status, media type, body and headers. ``Response[Model]`` as a
    route's return annotation says which model the body is (validated, serialised by alias,
    and documented)."""

    def __init__(
        self,
        status_code: int,
        content_type: str | None = None,
        body: Any = None,
        headers: Mapping[str, str | list[str]] | None = None,
    ) -> None:
        self.status_code = int(status_code)
        self.body = body
        self.headers: dict[str, str | list[str]] = dict(headers) if headers else {}
        self.content_type = content_type
        if content_type:
            self.headers.setdefault("Content-Type", content_type)

    def is_json(self) -> bool:
        content_type = self.headers.get("Content-Type", "")
        if isinstance(content_type, list):
            content_type = content_type[0]
        return content_type.startswith(JSON)


class Headers(dict[str, Any]):
    """Request headers by any casing of their name (RFC 9110)."""

    def __init__(self, raw: Mapping[str, Any] | None) -> None:
        super().__init__((str(k).lower(), v) for k, v in (raw or {}).items())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(str(key).lower())


class RequestValidationError(Exception):
    """Input that is not what the route declares (422): pydantic-shaped errors (``loc``,
    ``type``, ``msg``) and, for a body that is not JSON, the body's text."""

    def __init__(self, errors: list[dict[str, Any]], *, body: Any = None) -> None:
        super().__init__("request validation failed")
        self._errors = errors
        self.body = body

    def errors(self) -> list[dict[str, Any]]:
        return self._errors


class UnsupportedMediaType(Exception):
    """A body of another media type than JSON (415)."""


class Request:
    """A REST (v1) proxy event, read the way the edge and the routes need it."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    @property
    def path(self) -> str:
        return str(self.raw["path"])

    @property
    def http_method(self) -> str:
        return str(self.raw["httpMethod"])

    @property
    def resource(self) -> str | None:
        resource = self.raw.get("resource")
        return None if resource is None else str(resource)

    @cached_property
    def headers(self) -> Headers:
        return Headers(self.raw.get("headers"))

    @cached_property
    def multi_value_headers(self) -> Headers:
        return Headers(self.raw.get("multiValueHeaders"))

    @property
    def body(self) -> str | None:
        body = self.raw.get("body")
        return None if body is None else str(body)

    @property
    def is_base64_encoded(self) -> bool:
        return bool(self.raw.get("isBase64Encoded"))

    @property
    def path_parameters(self) -> dict[str, str]:
        return dict(self.raw.get("pathParameters") or {})

    def query_values(self) -> dict[str, list[str]]:
        """Each query parameter's values: the multi-value ones win, the single ones (split at
        commas, as API Gateway's single map joins them) fill in."""
        single = {
            k: str(v).split(",") for k, v in (self.raw.get("queryStringParameters") or {}).items()
        }
        multi = self.raw.get("multiValueQueryStringParameters") or {}
        return {**single, **multi} if multi else single

    def multi_value_query_names(self) -> set[str]:
        return set(self.raw.get("multiValueQueryStringParameters") or {})


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(body: Any) -> str:
    """A JSON body as the API has always sent it: compact, ASCII-escaped."""
    return json.dumps(body, separators=(",", ":"), default=_encode)


def proxy_response(response: Response[Any]) -> dict[str, Any]:
    """The Lambda proxy result API Gateway expects of a REST integration."""
    body = response.body
    if response.is_json() and not isinstance(body, str):
        body = to_json(body)
    base64_encoded = False
    if isinstance(body, bytes):
        base64_encoded = True
        body = base64.b64encode(body).decode()
    headers: dict[str, list[str]] = {}
    for name, values in response.headers.items():
        if values is None:
            continue
        headers.setdefault(name, []).extend([values] if isinstance(values, str) else values)
    return {
        "statusCode": response.status_code,
        "body": body,
        "isBase64Encoded": base64_encoded,
        "multiValueHeaders": headers,
    }


class CORSConfig:
    """Cross-origin answers: the request's Origin echoed when it is allowed, with the allowed
    request headers, the exposed response headers and how long a preflight holds."""

    _REQUIRED_HEADERS = (
        "Authorization",
        "Content-Type",
        "X-Amz-Date",
        "X-Api-Key",
        "X-Amz-Security-Token",
    )

    def __init__(
        self,
        allow_origin: str = "*",
        extra_origins: list[str] | None = None,
        allow_headers: list[str] | None = None,
        expose_headers: list[str] | None = None,
        max_age: int | None = None,
    ) -> None:
        self.allowed_origins = [allow_origin, *(extra_origins or [])]
        self.allow_headers = set(self._REQUIRED_HEADERS) | set(allow_headers or [])
        self.expose_headers = expose_headers or []
        self.max_age = max_age

    def allowed_origin(self, origin: str | None) -> str | None:
        if origin in self.allowed_origins:
            return origin
        if origin is not None and "*" in self.allowed_origins:
            return "*"
        return None

    def to_dict(self, origin: str | None) -> dict[str, str]:
        if not origin:
            return {}
        if origin not in self.allowed_origins and "*" not in self.allowed_origins:
            return {}
        headers = {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Headers": ",".join(sorted(self.allow_headers)),
        }
        if self.expose_headers:
            headers["Access-Control-Expose-Headers"] = ",".join(self.expose_headers)
        if self.max_age is not None:
            headers["Access-Control-Max-Age"] = str(self.max_age)
        return headers
