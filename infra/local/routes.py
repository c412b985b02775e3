"""Routes and gateway responses from the REST API's OpenAPI body (as SAM generates it). Pure.

Each path + method of the body is a :class:`Route`: a Lambda proxy integration (the owning
function is found from the integration URI), or a mock integration (SAM's CORS preflight).
Whether the route needs a token comes from its ``security`` and the security definitions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
_ANY_METHOD = "x-amazon-apigateway-any-method"
_LAMBDA_URI = re.compile(r":lambda:path/2015-03-31/functions/(?P<arn>.+)/invocations$")
_COGNITO = "cognito_user_pools"


class RouteError(ValueError):
    """The API body has a route the local gateway cannot serve."""


@dataclass(frozen=True)
class Authorizer:
    """A Cognito user pool authorizer of the API."""

    name: str
    user_pool_arns: tuple[str, ...]
    header: str = "Authorization"


@dataclass(frozen=True)
class Route:
    path: str  # the resource path with {params}, e.g. /programs/{programId}
    method: str
    function_arn: str | None = None  # None for a mock integration
    authorizer: Authorizer | None = None
    #: Mock integrations (CORS preflight): status and static headers of the response.
    mock_status: int = 200
    mock_headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_mock(self) -> bool:
        return self.function_arn is None


@dataclass(frozen=True)
class GatewayResponse:
    """What API Gateway answers by itself (errors it produces), after the template's overrides."""

    status: int
    headers: Mapping[str, str]
    body: str


def routes_of(body: Mapping[str, Any]) -> list[Route]:
    authorizers = authorizers_of(body)
    routes: list[Route] = []
    for path, operations in body.get("paths", {}).items():
        for key, operation in operations.items():
            for method in _methods(key):
                routes.append(_route(path, method, operation, authorizers))
    return routes


def _methods(key: str) -> tuple[str, ...]:
    if key == _ANY_METHOD:
        return HTTP_METHODS
    if key.upper() in HTTP_METHODS:
        return (key.upper(),)
    return ()  # "parameters" and other path-level keys


def authorizers_of(body: Mapping[str, Any]) -> dict[str, Authorizer]:
    found: dict[str, Authorizer] = {}
    for name, definition in body.get("securityDefinitions", {}).items():
        extension = definition.get("x-amazon-apigateway-authorizer", {})
        if extension.get("type") == _COGNITO:
            arns = tuple(str(a) for a in extension.get("providerARNs", []))
            found[name] = Authorizer(name, arns, str(definition.get("name", "Authorization")))
        else:
            raise RouteError(f"authorizer {name} is not emulated (only Cognito user pools)")
    return found


def _route(
    path: str, method: str, operation: Mapping[str, Any], authorizers: Mapping[str, Authorizer]
) -> Route:
    integration = operation.get("x-amazon-apigateway-integration", {})
    authorizer = _authorizer_of(operation, authorizers)
    kind = integration.get("type")
    if kind == "aws_proxy":
        match = _LAMBDA_URI.search(str(integration.get("uri", "")))
        if not match:
            raise RouteError(f"{method} {path}: integration is not a Lambda function")
        return Route(path, method, match.group("arn"), authorizer)
    if kind == "mock":
        status, headers = _mock_response(integration)
        return Route(path, method, None, authorizer, status, headers)
    raise RouteError(f"{method} {path}: integration type {kind!r} is not emulated")


def _authorizer_of(
    operation: Mapping[str, Any], authorizers: Mapping[str, Authorizer]
) -> Authorizer | None:
    for requirement in operation.get("security", []):
        for name in requirement:
            if name in authorizers:
                return authorizers[name]
    return None  # no security, or SAM's {"NONE": []}: a public route


def _mock_response(integration: Mapping[str, Any]) -> tuple[int, dict[str, str]]:
    response = integration.get("responses", {}).get("default", {})
    headers = {
        name.removeprefix("method.response.header."): _static(value)
        for name, value in response.get("responseParameters", {}).items()
        if name.startswith("method.response.header.")
    }
    return int(response.get("statusCode", 200)), headers


def _static(value: Any) -> str:
    """Mapping values in single quotes are literals: "'GET,POST'" -> "GET,POST"."""
    text = str(value)
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == "'" else text


# ---------------------------------------------------------------- gateway responses
#: Default status codes of API Gateway's response types (None: the status of the error).
DEFAULT_STATUS: dict[str, int | None] = {
    "ACCESS_DENIED": 403,
    "API_CONFIGURATION_ERROR": 500,
    "AUTHORIZER_CONFIGURATION_ERROR": 500,
    "AUTHORIZER_FAILURE": 500,
    "BAD_REQUEST_BODY": 400,
    "BAD_REQUEST_PARAMETERS": 400,
    "DEFAULT_4XX": None,
    "DEFAULT_5XX": None,
    "EXPIRED_TOKEN": 403,
    "INTEGRATION_FAILURE": 504,
    "INTEGRATION_TIMEOUT": 504,
    "INVALID_API_KEY": 403,
    "INVALID_SIGNATURE": 403,
    "MISSING_AUTHENTICATION_TOKEN": 403,
    "QUOTA_EXCEEDED": 429,
    "REQUEST_TOO_LARGE": 413,
    "RESOURCE_NOT_FOUND": 404,
    "THROTTLED": 429,
    "UNAUTHORIZED": 401,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "WAF_FILTERED": 403,
}

#: API Gateway's own messages when the template does not override a response.
DEFAULT_MESSAGES: dict[str, str] = {
    "ACCESS_DENIED": "User is not authorized to access this resource",
    "AUTHORIZER_CONFIGURATION_ERROR": "Authorizer configuration error",
    "MISSING_AUTHENTICATION_TOKEN": "Missing Authentication Token",
    "REQUEST_TOO_LARGE": "Request Too Long",
    "UNAUTHORIZED": "Unauthorized",
    "DEFAULT_5XX": "Internal server error",
}

_REQUEST_HEADER = "method.request.header."

#: A Lambda function that fails (or answers a malformed proxy response) gives a 502.
LAMBDA_ERROR_STATUS = 502


class GatewayResponses:
    """The API's ``x-amazon-apigateway-gateway-responses``, applied as API Gateway does."""

    def __init__(self, body: Mapping[str, Any]) -> None:
        self._overrides: Mapping[str, Any] = body.get("x-amazon-apigateway-gateway-responses", {})

    def render(
        self,
        response_type: str,
        *,
        status: int | None = None,
        request_id: str = "",
        request_headers: Mapping[str, str] | None = None,
    ) -> GatewayResponse:
        """The response for ``response_type``; ``status`` is the error's own status, if any.

        A header mapped from ``method.request.header.<name>`` takes the request's header (any
        case), and is left out when the request has none, as API Gateway does.
        """
        default_status = DEFAULT_STATUS.get(response_type) or status or 500
        family = "DEFAULT_4XX" if default_status < 500 else "DEFAULT_5XX"
        override = self._overrides.get(response_type) or self._overrides.get(family)
        message = DEFAULT_MESSAGES.get(response_type, DEFAULT_MESSAGES["DEFAULT_5XX"])
        if override is None:
            body = json.dumps({"message": message})
            return GatewayResponse(default_status, {"Content-Type": "application/json"}, body)
        final_status = int(override.get("statusCode") or default_status)
        received = {k.lower(): v for k, v in (request_headers or {}).items()}
        headers: dict[str, str] = {}
        for name, value in override.get("responseParameters", {}).items():
            if not name.startswith("gatewayresponse.header."):
                continue
            source = str(value)
            if source.lower().startswith(_REQUEST_HEADER):
                found = received.get(source[len(_REQUEST_HEADER) :].lower())
                if found is None:
                    continue
                source = f"'{found}'"
            headers[name.removeprefix("gatewayresponse.header.")] = _static(source)
        headers.setdefault("Content-Type", "application/json")
        templates = override.get("responseTemplates", {})
        template = templates.get("application/json") or json.dumps({"message": message})
        context = {
            "$context.error.messageString": json.dumps(message),
            "$context.error.message": message,
            "$context.error.responseType": response_type,
            "$context.requestId": request_id,
        }
        for variable, value in context.items():
            template = template.replace(variable, value)
        return GatewayResponse(final_status, headers, template)
