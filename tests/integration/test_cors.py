"""CORS with several allowed origins, through the template's API as the local gateway serves it.

API Gateway's own CORS sends one fixed origin; the template routes every preflight to the
path's function instead, whose resolver (shared.edge.api) echoes an Origin on the allow-list, and
the gateway's own error responses echo the Origin too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.local.authorizer import CognitoTokenVerifier, InvalidToken
from infra.local.aws import ACCOUNT_ID
from infra.local.gateway import GatewayApp, GatewaySetup, HttpResult, InProcessClient
from infra.local.proxy import ApiContext
from shared.edge.api import create_app
from tests.support import aws as support
from tests.support.lambdas import LambdaContext

ORIGINS = ("https://app.example.org", "https://admin.example.org")


class NoKeys:
    """No token is valid: every request to an authorized route is the gateway's 401."""

    def key_for(self, token: str) -> Any:
        raise InvalidToken("no keys")


@pytest.fixture
def client(aws_env: support.Resources, monkeypatch: pytest.MonkeyPatch) -> InProcessClient:
    """The template's API in front of a function built with a two-origin allow-list."""
    monkeypatch.setenv("ALLOWED_ORIGINS", ",".join(ORIGINS))  # AllowedOrigins, joined
    app = create_app()

    @app.get("/programs")
    def _programs() -> dict[str, Any]:
        return {"items": []}

    def invoke(arn: str, event: dict[str, Any]) -> Any:
        aws_env.stack.function_by_name_or_arn(arn)  # a function of the template
        return app.resolve(event, LambdaContext())

    (api,) = aws_env.stack.rest_apis
    verifier = CognitoTokenVerifier(issuer="https://nowhere", audiences=[], keys=NoKeys())
    setup = GatewaySetup(
        body=api.body,
        api=ApiContext(api.api_id, api.stage, ACCOUNT_ID, support.REGION),
        verifiers={"CognitoAuthorizer": verifier},
        invoke=invoke,
        serve_docs=False,
    )
    return InProcessClient(GatewayApp(setup))


def preflight(client: InProcessClient, origin: str) -> HttpResult:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    return client.request("OPTIONS", "/programs", headers)


@pytest.mark.parametrize("origin", ORIGINS)
def test_a_preflight_from_each_allowed_origin_gets_that_origin_back(
    client: InProcessClient, origin: str
) -> None:
    response = preflight(client, origin)

    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert response.headers["Vary"] == "Origin"  # a cache keeps one answer per origin
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"]


def test_a_preflight_from_another_origin_is_not_allowed(client: InProcessClient) -> None:
    response = preflight(client, "https://evil.example")

    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_gateway_401_is_readable_by_the_calling_origin_and_says_401(
    client: InProcessClient,
) -> None:
    response = client.request("GET", "/programs", {"Origin": ORIGINS[1]})

    assert response.status == 401
    assert response.headers["Access-Control-Allow-Origin"] == ORIGINS[1]
    assert response.headers["Vary"] == "Origin"
    assert json.loads(response.body)["status"] == 401
