"""boto3 clients of the local stack itself, pointed at the moto server.

The local stack is an emulator of AWS, not a service, so it talks to moto with its own
clients (explicit endpoint and fake credentials) and never through ``shared.adapters``.
The functions it runs reach moto through ``AWS_ENDPOINT_URL`` (see :mod:`infra.local.env`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sqs import SQSClient

#: moto's default account; ARNs the local stack builds use it too.
ACCOUNT_ID = "123456789012"
#: moto accepts any credentials; these never leave the machine.
FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"  # noqa: S105 - not a secret: moto's documented dummy value


@dataclass(frozen=True)
class Endpoint:
    """Where the emulated AWS answers (the moto server) and in which region.

    ``url=None`` keeps boto3's own endpoints: moto in-process (``mock_aws``) intercepts
    those, so tests provision the template the way the stack does, without a server.
    """

    url: str | None
    region: str
    account_id: str = ACCOUNT_ID

    @property
    def server_url(self) -> str:
        """The moto server's URL (what functions get as ``AWS_ENDPOINT_URL``)."""
        if self.url is None:
            raise ValueError("this endpoint is moto in-process: there is no server URL")
        return self.url


class AwsClients:
    """One client per service, created on first use (boto3 sessions are not thread-safe)."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._lock = threading.Lock()
        self._session = boto3.session.Session(
            aws_access_key_id=FAKE_ACCESS_KEY,
            aws_secret_access_key=FAKE_SECRET_KEY,
            region_name=endpoint.region,
        )
        self._clients: dict[str, Any] = {}

    def _client(self, service: str) -> Any:
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._session.client(  # type: ignore[call-overload]
                    service, endpoint_url=self.endpoint.url
                )
            return self._clients[service]

    def dynamodb(self) -> DynamoDBClient:
        client: DynamoDBClient = self._client("dynamodb")
        return client

    def dynamodb_streams(self) -> DynamoDBStreamsClient:
        client: DynamoDBStreamsClient = self._client("dynamodbstreams")
        return client

    def events(self) -> EventBridgeClient:
        client: EventBridgeClient = self._client("events")
        return client

    def sqs(self) -> SQSClient:
        client: SQSClient = self._client("sqs")
        return client

    def s3(self) -> S3Client:
        client: S3Client = self._client("s3")
        return client

    def cognito(self) -> CognitoIdentityProviderClient:
        client: CognitoIdentityProviderClient = self._client("cognito-idp")
        return client

    def kms(self) -> KMSClient:
        client: KMSClient = self._client("kms")
        return client

    def sesv2(self) -> SESV2Client:
        client: SESV2Client = self._client("sesv2")
        return client

    def secretsmanager(self) -> SecretsManagerClient:
        client: SecretsManagerClient = self._client("secretsmanager")
        return client
