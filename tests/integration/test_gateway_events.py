"""The local gateway hands functions the events API Gateway REST would, and refuses bad tokens.

The fixture ``tests/fixtures/apigw_rest_cognito_event.json`` is a REST proxy event as API
Gateway sends it behind a Cognito user pool authorizer: every claim a string (``exp`` in
Java's date format, ``email_verified`` as ``"true"``, groups joined). The event the local
gateway builds must have the same keys, at every level, with values of the same types.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from infra.local.authorizer import CognitoTokenVerifier, StaticKeys
from infra.local.gateway import GatewayApp, GatewaySetup, InProcessClient
from infra.local.proxy import ApiContext

FIXTURE = Path(__file__).parents[1] / "fixtures" / "apigw_rest_cognito_event.json"
REGION, ACCOUNT, POOL, CLIENT = "us-east-1", "123456789012", "us-east-1_AbCdEfGhI", "client-1"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{POOL}"
FUNCTION = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:directory"
JAVA_DATE = re.compile(r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}")
BODY: dict[str, Any] = {
    "swagger": "2.0",
    "paths": {
        "/programs/{programId}": {
            "get": {
                "security": [{"CognitoAuthorizer": []}],
                "x-amazon-apigateway-integration": {
                    "type": "aws_proxy",
                    "httpMethod": "POST",
                    "uri": f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/"
                    f"{FUNCTION}/invocations",
                },
            }
        }
    },
    "securityDefinitions": {
        "CognitoAuthorizer": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": {
                "type": "cognito_user_pools",
                "providerARNs": [f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{POOL}"],
            },
        }
    },
    "x-amazon-apigateway-gateway-responses": {
        "UNAUTHORIZED": {
            "statusCode": 401,
            "responseParameters": {
                "gatewayresponse.header.Content-Type": "'application/problem+json'"
            },
            "responseTemplates": {
                "application/json": '{"type":"urn:nqms:problem:unauthenticated",'
                '"title":"Unauthenticated","status":401}'
            },
        }
    },
}


class Keys:
    def __init__(self) -> None:
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        self.jwks = {"keys": [public | {"kid": "k1", "alg": "RS256", "use": "sig"}]}

    def token(self, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "sub": "4f1c2d3e-5a6b-7c8d-9e0f-a1b2c3d4e5f6",
            "cognito:groups": ["affiliate-staff"],
            "email_verified": True,
            "iss": ISSUER,
            "cognito:username": "4f1c2d3e-5a6b-7c8d-9e0f-a1b2c3d4e5f6",
            "aud": CLIENT,
            "token_use": "id",
            "auth_time": now,
            "name": "Vera Virginia",
            "exp": now + 3600,
            "iat": now,
            "jti": "1a2b3c4d",
            "email": "staff@mentor-va.example",
        } | overrides
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": "k1"})


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


@pytest.fixture
def gateway(keys: Keys) -> tuple[InProcessClient, list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []

    def invoke(arn: str, event: dict[str, Any]) -> dict[str, Any]:
        assert arn == FUNCTION
        received.append(event)
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}

    verifier = CognitoTokenVerifier(issuer=ISSUER, audiences=[CLIENT], keys=StaticKeys(keys.jwks))
    setup = GatewaySetup(
        body=BODY,
        api=ApiContext("a1b2c3d4e5", "prod", ACCOUNT, REGION),
        verifiers={"CognitoAuthorizer": verifier},
        invoke=invoke,
        serve_docs=False,
    )
    return InProcessClient(GatewayApp(setup)), received


def _shape(value: Any) -> Any:
    """Keys and value types, recursively (values themselves differ request to request)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value[:1]]
    return type(value).__name__


def test_a_local_event_has_the_shape_of_a_real_rest_cognito_event(
    gateway: tuple[InProcessClient, list[dict[str, Any]]], keys: Keys
) -> None:
    client, received = gateway
    canonical = json.loads(FIXTURE.read_text())
    headers = {
        "Accept": "application/json",
        "Authorization": keys.token(),
        "User-Agent": "curl/8.5.0",
        "Host": "127.0.0.1",
        "X-Amzn-Trace-Id": "Root=1-6541f0f1-0a1b2c3d4e5f6a7b8c9d0e1f",
    }

    response = client.request("GET", "/programs/prg_0123456789abcdef0123?view=summary", headers)

    assert response.status == 200
    (event,) = received
    claims = event["requestContext"]["authorizer"]["claims"]
    canonical_claims = canonical["requestContext"]["authorizer"]["claims"]
    # Cognito's claims reach the integration as strings, in the same formats.
    assert all(isinstance(value, str) for value in claims.values())
    assert claims["email_verified"] == "true"
    assert claims["cognito:groups"] == "affiliate-staff"
    for name in ("exp", "iat"):  # Java's Date.toString(), as API Gateway renders them
        assert JAVA_DATE.fullmatch(canonical_claims[name])
        assert JAVA_DATE.fullmatch(claims[name]), claims[name]
    assert claims["auth_time"].isdigit()
    # Everything else: the same keys and types as the real event, at every level.
    for name in ("origin_jti", "event_id"):  # claims Cognito adds that our token lacks
        canonical_claims.pop(name)
    assert _shape(event) == _shape(canonical)
    assert event["pathParameters"] == {"programId": "prg_0123456789abcdef0123"}
    assert event["queryStringParameters"] == {"view": "summary"}
    assert event["requestContext"]["resourcePath"] == "/programs/{programId}"
    assert event["requestContext"]["path"] == "/prod/programs/prg_0123456789abcdef0123"


@pytest.mark.parametrize(
    "authorization",
    ["missing", "expired", "forged", "another pool", "garbage"],
)
def test_a_bad_token_gets_a_401_problem_and_never_reaches_the_function(
    gateway: tuple[InProcessClient, list[dict[str, Any]]], keys: Keys, authorization: str
) -> None:
    client, received = gateway
    tokens = {
        "missing": None,
        "expired": keys.token(exp=int(time.time()) - 60, iat=int(time.time()) - 3660),
        "forged": Keys().token(),
        "another pool": keys.token(iss="https://cognito-idp.us-east-1.amazonaws.com/other"),
        "garbage": "not-a-jwt",
    }
    token = tokens[authorization]
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}

    response = client.request("GET", "/programs/prg_1", headers)

    assert response.status == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    assert json.loads(response.body)["type"] == "urn:nqms:problem:unauthenticated"
    assert received == []
