"""The template's resources in moto in-process (``mock_aws``), made by the stack's provisioner.

Tests and ``make run`` create the same resources the same way (``infra.local.resources``), so
a resource added to infra/template.yaml exists in the integration tests without a second copy
of it here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from infra.local.aws import ACCOUNT_ID, AwsClients, Endpoint
from infra.local.resources import ProvisionedStack, provision
from infra.local.template import Template, load_template

STACK_NAME = "nqms-test"
REGION = "us-east-1"
#: The function whose environment the tests run with: it has every variable the API needs.
API_FUNCTION = "AssessmentFunction"
PUBLIC_API_URL = "http://api.example"


def stream_table(name: str) -> dict[str, Any]:
    """``CreateTable`` arguments of a bare pk/sk table with a stream (moto's own tests)."""
    return {
        "TableName": name,
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }


@functools.cache
def stack_template() -> Template:
    """The transformed template, once per test process: the SAM transform takes seconds."""
    # The in-process API's public address: the host the tests' API events name (apigw.py).
    overrides = {"PublicApiUrl": PUBLIC_API_URL}
    return load_template(
        region=REGION, account_id=ACCOUNT_ID, stack_name=STACK_NAME, overrides=overrides
    )


@dataclass(frozen=True)
class Resources:
    """What provisioning created, by the names the tests use."""

    stack: ProvisionedStack

    def _ref(self, resource_type: str) -> str:
        return self.stack.ref(self.stack.first_of_type(resource_type))

    @property
    def table_name(self) -> str:
        return self._ref("AWS::DynamoDB::Table")

    @property
    def bus_name(self) -> str:
        return self._ref("AWS::Events::EventBus")

    @property
    def user_pool_id(self) -> str:
        return self._ref("AWS::Cognito::UserPool")

    @property
    def client_id(self) -> str:
        return self._ref("AWS::Cognito::UserPoolClient")

    @property
    def evidence_bucket(self) -> str:
        return self._ref("AWS::S3::Bucket")

    def environment(self) -> dict[str, str]:
        """The API functions' variables as the template resolves them (TABLE_NAME, ...): the
        tests call every API handler in one process; API_FUNCTION's values come last."""
        api = [
            f
            for f in self.stack.functions.values()
            if f.handler.endswith(".handler.lambda_handler")
        ]
        merged: dict[str, str] = {}
        for function in sorted(api, key=lambda f: f.logical_id == API_FUNCTION):
            merged |= function.environment
        return merged


@functools.cache
def _clients() -> AwsClients:
    """One set of clients per process: a new boto3 session re-reads every service model.

    moto in-process intercepts requests of clients however old, and each ``mock_aws`` starts
    from empty backends, so reusing the clients shares nothing between tests.
    """
    return AwsClients(Endpoint(None, REGION))


def create_resources() -> Resources:
    """Provision the whole template; call it inside ``mock_aws``."""
    return Resources(provision(stack_template(), _clients(), STACK_NAME))


# =========================================================================== quicker moto
class _CachedJwk:
    """``joserfc.jwk`` for moto's Cognito: every user pool imports the same packaged JWK
    (moto/cognitoidp/resources/jwks-private.json); importing it recovers the RSA primes, about
    0.1 s per pool. The imported key is only read (tokens are signed with it)."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.RSAKey = self
        self._imported: dict[str, Any] = {}

    def import_key(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        import json

        cache_key = json.dumps(data, sort_keys=True, default=str)
        if cache_key not in self._imported:
            self._imported[cache_key] = self._real.RSAKey.import_key(data, *args, **kwargs)
        return self._imported[cache_key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@functools.cache
def quicker_moto() -> None:
    """Install, once per process, the shortcut above (tests only: never the stack).

    KMS keys keep their own material each: the badge issuer remembers which key ids it has
    published in this process, so a key id seen again in a later test would go unpublished."""
    from moto.cognitoidp import models as cognito_models

    cognito_models.jwk = _CachedJwk(cognito_models.jwk)  # type: ignore[attr-defined,assignment]
