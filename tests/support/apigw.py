"""API Gateway REST (v1) proxy events, shaped as a Cognito-authorized request really is."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any


def claims_for(
    sub: str, email: str, groups: list[str], *, client_id: str = "client"
) -> dict[str, str]:
    """Claims as API Gateway's Cognito authorizer hands them over: every value a string."""
    now = int(time.time())
    return {
        "sub": sub,
        "email": email,
        "email_verified": "true",
        "cognito:groups": ",".join(groups),
        "cognito:username": sub,
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test",
        "aud": client_id,
        "token_use": "id",
        "auth_time": str(now),
        "iat": str(now),
        "exp": time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(now + 3600)),
    }


def api_event(
    method: str,
    resource: str,
    path_params: dict[str, str] | None = None,
    *,
    body: Any = None,
    claims: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    path_params = path_params or {}
    path = re.sub(r"\{(\w+)\}", lambda m: path_params[m.group(1)], resource)
    all_headers = {"Content-Type": "application/json", "Host": "api.example", **(headers or {})}
    request_context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "abc123",
        "resourceId": "r1",
        "resourcePath": resource,
        "httpMethod": method,
        "path": f"/prod{path}",
        "stage": "prod",
        "protocol": "HTTP/1.1",
        "requestId": str(uuid.uuid4()),
        "requestTimeEpoch": int(time.time() * 1000),
        "identity": {"sourceIp": "127.0.0.1", "userAgent": "pytest"},
    }
    if claims is not None:
        request_context["authorizer"] = {"claims": claims}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": path_params or None,
        "stageVariables": None,
        "requestContext": request_context,
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }
