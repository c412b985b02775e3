"""API Gateway REST (v1) Lambda proxy integration: the event in, the response out. Pure.

Chalice's local server builds a partial event (lower-cased headers, no top-level ``path``,
``httpMethod``, ``resource`` or single-value maps); :func:`proxy_event` completes it to the
shape API Gateway sends, and :func:`proxy_response` validates what the function returned.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

#: Where the gateway keeps what Chalice's event lacks (original header case, request id).
LOCAL_KEY = "x-nqms-local"


@dataclass(frozen=True)
class ApiContext:
    """The API the request reached: used for requestContext."""

    api_id: str
    stage: str
    account_id: str
    region: str
    host: str = "127.0.0.1"
    port: int = 0


@dataclass(frozen=True)
class RequestFacts:
    """What the gateway knew when the request arrived (kept in the event under LOCAL_KEY)."""

    headers: Mapping[str, str]
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    epoch_ms: int = field(default_factory=lambda: int(time.time() * 1000))

    def as_dict(self) -> dict[str, Any]:
        return {
            "headers": dict(self.headers),
            "requestId": self.request_id,
            "epochMs": self.epoch_ms,
        }

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> RequestFacts:
        local = event.get(LOCAL_KEY) or {}
        headers = local.get("headers") or event.get("headers") or {}
        if "requestId" in local:
            return cls(headers, str(local["requestId"]), int(local["epochMs"]))
        return cls(headers)


class MalformedProxyResponse(ValueError):
    """The function's result is not a valid proxy response (API Gateway answers 502)."""


@dataclass(frozen=True)
class ProxyResponse:
    status: int
    headers: dict[str, str | list[str]]
    body: str | bytes


def proxy_event(
    chalice_event: Mapping[str, Any],
    *,
    resource: str,
    api: ApiContext,
    claims: Mapping[str, str] | None,
) -> dict[str, Any]:
    """The complete REST proxy event for the request Chalice received."""
    facts = RequestFacts.from_event(chalice_event)
    context = chalice_event.get("requestContext", {})
    method = str(context.get("httpMethod", "GET"))
    path = str(context.get("path", "/"))
    headers = _forwarded_headers(facts.headers, api)
    multi_query = chalice_event.get("multiValueQueryStringParameters") or None
    body, is_base64 = _body(chalice_event)
    path_parameters = path_parameters_of(resource, path)
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": _last_values(multi_query),
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": _request_context(facts, api, method, path, resource, headers, claims),
        "body": body,
        "isBase64Encoded": is_base64,
    }


def _forwarded_headers(headers: Mapping[str, str], api: ApiContext) -> dict[str, str]:
    forwarded = dict(headers)
    present = {name.lower() for name in forwarded}
    added = {
        "X-Forwarded-For": "127.0.0.1",
        "X-Forwarded-Port": str(api.port),
        "X-Forwarded-Proto": "http",
    }
    for name, value in added.items():
        if name.lower() not in present:
            forwarded[name] = value
    return forwarded


def _last_values(multi: Mapping[str, list[str]] | None) -> dict[str, str] | None:
    if not multi:
        return None
    return {name: values[-1] for name, values in multi.items() if values}


def _body(event: Mapping[str, Any]) -> tuple[str | None, bool]:
    body = event.get("body")
    if body is None or body == b"":
        return None, False
    if event.get("isBase64Encoded"):
        return str(body), True
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            return base64.b64encode(body).decode("ascii"), True
    return str(body), False


def path_parameters_of(resource: str, path: str) -> dict[str, str]:
    """``/programs/{programId}`` against ``/programs/p-1`` -> ``{"programId": "p-1"}``."""
    found: dict[str, str] = {}
    for template, actual in zip(resource.split("/"), path.split("/"), strict=False):
        if template.startswith("{") and template.endswith("}"):
            found[template[1:-1].rstrip("+")] = unquote(actual)
    return found


def _request_context(
    facts: RequestFacts,
    api: ApiContext,
    method: str,
    path: str,
    resource: str,
    headers: Mapping[str, str],
    claims: Mapping[str, str] | None,
) -> dict[str, Any]:
    lower = {k.lower(): v for k, v in headers.items()}
    context: dict[str, Any] = {
        "accountId": api.account_id,
        "apiId": api.api_id,
        "domainName": f"{api.host}:{api.port}",
        "domainPrefix": api.api_id,
        "extendedRequestId": facts.request_id,
        "httpMethod": method,
        "identity": _identity(lower.get("user-agent")),
        "path": f"/{api.stage}{path}",
        "protocol": "HTTP/1.1",
        "requestId": facts.request_id,
        "requestTime": _request_time(facts.epoch_ms),
        "requestTimeEpoch": facts.epoch_ms,
        "resourceId": api.api_id[:6],
        "resourcePath": resource,
        "stage": api.stage,
    }
    if claims is not None:
        context["authorizer"] = {"claims": dict(claims)}
    return context


def _identity(user_agent: str | None) -> dict[str, Any]:
    return {
        "accessKey": None,
        "accountId": None,
        "caller": None,
        "cognitoAuthenticationProvider": None,
        "cognitoAuthenticationType": None,
        "cognitoIdentityId": None,
        "cognitoIdentityPoolId": None,
        "principalOrgId": None,
        "sourceIp": "127.0.0.1",
        "user": None,
        "userAgent": user_agent,
        "userArn": None,
    }


def _request_time(epoch_ms: int) -> str:
    """``09/Apr/2015:12:34:56 +0000`` (the CLF format API Gateway uses)."""
    at = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{at:%d}/{months[at.month - 1]}/{at:%Y:%H:%M:%S} +0000"


def proxy_response(result: Any) -> ProxyResponse:
    """Validate a function's proxy result and merge its headers as API Gateway does."""
    if not isinstance(result, Mapping):
        raise MalformedProxyResponse(f"the function returned {type(result).__name__}")
    try:
        status = int(result.get("statusCode", 0))
    except (TypeError, ValueError) as exc:
        raise MalformedProxyResponse("statusCode is not an integer") from exc
    if not 100 <= status <= 599:
        raise MalformedProxyResponse(f"statusCode {status} is not an HTTP status")
    headers = merge_headers(result.get("headers") or {}, result.get("multiValueHeaders") or {})
    body: str | bytes = str(result.get("body") or "")
    if result.get("isBase64Encoded") and body:
        try:
            body = base64.b64decode(str(body), validate=True)
        except ValueError as exc:
            raise MalformedProxyResponse("isBase64Encoded body is not base64") from exc
    return ProxyResponse(status, headers, body)


def merge_headers(
    single: Mapping[str, Any], multi: Mapping[str, list[Any]]
) -> dict[str, str | list[str]]:
    """``headers`` and ``multiValueHeaders`` merged; a pair present in both appears once."""
    merged: dict[str, str | list[str]] = {_header_name(k): str(v) for k, v in single.items()}
    for raw_name, raw_values in multi.items():
        name = _header_name(raw_name)
        values = [str(v) for v in raw_values]
        existing = merged.get(name)
        if isinstance(existing, str) and existing not in values:
            values.insert(0, existing)
        merged[name] = values[0] if len(values) == 1 else values
    return merged


def _header_name(name: str) -> str:
    """Content-Type in one spelling (Chalice's server looks it up case-sensitively)."""
    return "Content-Type" if name.lower() == "content-type" else name
