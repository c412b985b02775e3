"""The cursor key comes from Secrets Manager in AWS: read once per process, never from an
environment variable, and a secret that cannot be read is a settings error, not a guess."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from shared import adapters
from shared.adapters import aws
from shared.settings import SettingsError
from shared.store.pagination import decode_cursor, encode_cursor

ENVIRONMENT = {
    "TABLE_NAME": "t",
    "EVENT_BUS_NAME": "b",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CURSOR_KEY", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        adapters.reset()
        yield boto3.client("secretsmanager", region_name="us-east-1")
    adapters.reset()


def _count_reads() -> list[str]:
    reads: list[str] = []
    aws.secretsmanager().meta.events.register(
        "before-call.secrets-manager.GetSecretValue", lambda **_: reads.append("read")
    )
    return reads


def test_a_cursor_is_signed_with_the_secret_read_once(
    secrets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    arn = secrets.create_secret(Name="cursor-key", SecretString="k" * 64)["ARN"]
    monkeypatch.setenv("CURSOR_KEY_SECRET", arn)
    adapters.reset()
    reads = _count_reads()

    cursors = [encode_cursor("programs:a1", {"pk": "P", "sk": str(n)}) for n in range(3)]
    decoded = decode_cursor("programs:a1", cursors[0], lambda p: True)

    assert decoded == {"pk": "P", "sk": "0"}
    assert reads == ["read"]  # once per process, not per cursor
    assert cursors[0] == encode_cursor("programs:a1", {"pk": "P", "sk": "0"}, secret="k" * 64)


def test_an_unreadable_secret_is_a_settings_error(
    secrets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "CURSOR_KEY_SECRET", "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf"
    )
    adapters.reset()

    with pytest.raises(SettingsError, match="cannot be read"):
        encode_cursor("programs:a1", {"pk": "P", "sk": "S"})
