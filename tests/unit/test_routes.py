"""Routes and gateway responses read from an API body as SAM generates it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.local.routes import GatewayResponses, RouteError, authorizers_of, routes_of

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:nqms-directory"
POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool"


def proxy(function_arn: str = FUNCTION) -> dict[str, Any]:
    return {
        "type": "aws_proxy",
        "httpMethod": "POST",
        "uri": f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
        f"{function_arn}/invocations",
    }


def body(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "paths": paths,
        "securityDefinitions": {
            "CognitoAuthorizer": {
                "type": "apiKey",
                "name": "Authorization",
                "in": "header",
                "x-amazon-apigateway-authtype": "cognito_user_pools",
                "x-amazon-apigateway-authorizer": {
                    "type": "cognito_user_pools",
                    "providerARNs": [POOL],
                },
            }
        },
        **extra,
    }


def test_each_method_routes_to_its_function_with_its_authorizer() -> None:
    api = body(
        {
            "/programs/{programId}": {
                "parameters": [{"name": "programId", "in": "path"}],
                "get": {
                    "security": [{"CognitoAuthorizer": []}],
                    "x-amazon-apigateway-integration": proxy(),
                },
            },
            "/health": {
                "get": {"security": [{"NONE": []}], "x-amazon-apigateway-integration": proxy()}
            },
        }
    )

    program, health = routes_of(api)

    assert (program.path, program.method, program.function_arn) == (
        "/programs/{programId}",
        "GET",
        FUNCTION,
    )
    assert program.authorizer is not None
    assert program.authorizer.user_pool_arns == (POOL,)
    assert health.authorizer is None  # SAM's NONE: a public route
    assert not program.is_mock


def test_any_method_is_every_http_method() -> None:
    any_method = {"x-amazon-apigateway-integration": proxy()}
    api = body({"/proxy": {"x-amazon-apigateway-any-method": any_method}})

    methods = {route.method for route in routes_of(api)}

    assert methods == {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}


def test_a_cors_preflight_is_a_mock_with_literal_headers() -> None:
    preflight = {
        "type": "mock",
        "responses": {
            "default": {
                "statusCode": "204",
                "responseParameters": {
                    "method.response.header.Access-Control-Allow-Methods": "'GET,POST'",
                    "method.response.header.Access-Control-Allow-Origin": "'*'",
                },
            }
        },
    }
    api = body({"/programs": {"options": {"x-amazon-apigateway-integration": preflight}}})

    (route,) = routes_of(api)

    assert route.is_mock
    assert route.mock_status == 204
    assert route.mock_headers == {
        "Access-Control-Allow-Methods": "GET,POST",
        "Access-Control-Allow-Origin": "*",
    }


@pytest.mark.parametrize(
    ("integration", "message"),
    [
        ({"type": "http", "uri": "https://example.org"}, "GET /x: integration type 'http'"),
        (
            {"type": "aws_proxy", "uri": "arn:aws:apigateway:us-east-1:sqs:path/queue"},
            "GET /x: integration is not a Lambda function",
        ),
    ],
)
def test_an_integration_the_gateway_cannot_serve_is_named(
    integration: dict[str, Any], message: str
) -> None:
    api = body({"/x": {"get": {"x-amazon-apigateway-integration": integration}}})

    with pytest.raises(RouteError, match=message):
        routes_of(api)


def test_an_authorizer_that_is_not_a_user_pool_is_refused_by_name() -> None:
    api = {
        "securityDefinitions": {
            "Custom": {"x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": "x"}}
        }
    }

    with pytest.raises(RouteError, match="authorizer Custom is not emulated"):
        authorizers_of(api)


def test_a_gateway_response_without_override_is_api_gateways_own() -> None:
    response = GatewayResponses({}).render("UNAUTHORIZED")

    assert response.status == 401
    assert json.loads(response.body) == {"message": "Unauthorized"}


def test_an_override_sets_status_headers_and_fills_the_template() -> None:
    overrides = {
        "DEFAULT_4XX": {
            "statusCode": 400,
            "responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
            "responseTemplates": {
                "application/json": '{"detail":$context.error.messageString,'
                '"type":"$context.error.responseType","request":"$context.requestId"}'
            },
        }
    }
    api = {"x-amazon-apigateway-gateway-responses": overrides}

    response = GatewayResponses(api).render("MISSING_AUTHENTICATION_TOKEN", request_id="r-1")

    assert response.status == 400
    assert response.headers == {
        "Access-Control-Allow-Origin": "*",
        "Content-Type": "application/json",
    }
    assert json.loads(response.body) == {
        "detail": "Missing Authentication Token",
        "type": "MISSING_AUTHENTICATION_TOKEN",
        "request": "r-1",
    }


def test_a_function_error_takes_the_5xx_override_with_its_own_status() -> None:
    api: dict[str, Any] = {
        "x-amazon-apigateway-gateway-responses": {"DEFAULT_5XX": {"responseTemplates": {}}}
    }

    response = GatewayResponses(api).render("INTEGRATION_FAILURE")

    assert response.status == 504
    assert json.loads(response.body) == {"message": "Internal server error"}
