"""Access logs never record query strings: the local gateway's, and the template's format.

A query string can carry a signed cursor (a position in someone's data) or a filter; the
access log keeps who called which path, when, and the status.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
import requests

from infra.local.authorizer import CognitoTokenVerifier, StaticKeys
from infra.local.gateway import GatewayApp, GatewayServer, GatewaySetup
from infra.local.proxy import ApiContext
from infra.local.template import decode_template
from tests.integration.test_gateway_events import (
    ACCOUNT,
    BODY,
    CLIENT,
    FUNCTION,
    ISSUER,
    REGION,
    Keys,
)

#: $context variables an access log may use: none of them holds the query string or a token.
SAFE_VARIABLES = {
    "requestId",
    "extendedRequestId",
    "requestTime",
    "requestTimeEpoch",
    "httpMethod",
    "resourcePath",
    "path",
    "protocol",
    "status",
    "responseLength",
    "responseLatency",
    "integrationLatency",
    "integrationStatus",
    "integration.status",
    "integration.latency",
    "integration.error",
    "error.message",
    "error.messageString",
    "error.responseType",
    "authorizer.error",
    "authorizer.claims.sub",  # the caller's user id, not a token
    "authorizer.principalId",
    "identity.sourceIp",
    "identity.userAgent",
    "stage",
    "apiId",
    "domainName",
    "wafResponseCode",
}


def test_the_local_gateways_access_log_has_no_query_string(
    caplog: pytest.LogCaptureFixture,
) -> None:
    keys = Keys()

    def invoke(arn: str, event: dict[str, Any]) -> dict[str, Any]:
        assert arn == FUNCTION
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}

    verifier = CognitoTokenVerifier(issuer=ISSUER, audiences=[CLIENT], keys=StaticKeys(keys.jwks))
    setup = GatewaySetup(
        body=BODY,
        api=ApiContext("a1b2c3d4e5", "prod", ACCOUNT, REGION),
        verifiers={"CognitoAuthorizer": verifier},
        invoke=invoke,
        serve_docs=False,
    )
    server = GatewayServer(GatewayApp(setup))
    server.start()
    try:
        with caplog.at_level(logging.INFO, logger="infra.local.gateway"):
            response = requests.get(
                f"{server.url}/programs/prg_1?next=c2VjcmV0LWN1cnNvcg&limit=5",
                headers={"Authorization": keys.token()},
                timeout=10,
            )
        assert response.status_code == 200, response.text
    finally:
        server.stop()
    lines = [r.getMessage() for r in caplog.records if r.name == "infra.local.gateway"]
    access = [line for line in lines if '"GET /programs/prg_1"' in line]
    assert access, lines
    assert all("c2VjcmV0LWN1cnNvcg" not in line and "?" not in line for line in lines), lines


def test_the_templates_access_log_formats_use_no_query_string() -> None:
    """Holds for every AccessLogSetting of the template (the API stage's access log)."""
    formats = [
        json.dumps(setting.get("Format")) for setting in _access_log_settings(decode_template())
    ]
    for format_ in formats:
        used = set(re.findall(r"\$context\.([A-Za-z.]*[A-Za-z])", format_))
        assert used <= SAFE_VARIABLES, used - SAFE_VARIABLES
        assert "$input" not in format_, format_
        assert "$method" not in format_, format_


def _access_log_settings(value: Any) -> list[dict[str, Any]]:
    """Every ``AccessLogSetting`` anywhere in the template, however deep."""
    if isinstance(value, list):
        return [found for item in value for found in _access_log_settings(item)]
    if not isinstance(value, dict):
        return []
    here = [value["AccessLogSetting"]] if isinstance(value.get("AccessLogSetting"), dict) else []
    return here + [found for item in value.values() for found in _access_log_settings(item)]
