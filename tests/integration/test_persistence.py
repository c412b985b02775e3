"""moto's state saved to a file and loaded into a fresh moto: items, stream, objects,
messages, user pool and logins are back, as the local stack resumes them after a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from joserfc import jwt
from moto import mock_aws
from moto.backends import get_backend

from infra.local.persistence import forget_stream_records, load_state, save_state

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default
PASSWORD = "Correct-Horse-42"


def client(service: str) -> Any:
    return boto3.client(service, region_name=REGION)  # type: ignore[call-overload]


@pytest.fixture
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")


@pytest.fixture
def aws(aws_environment: None) -> Iterator[None]:
    with mock_aws():
        yield


def create_table() -> str:
    ddb = client("dynamodb")
    table = ddb.create_table(
        TableName="things",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return str(table["TableDescription"]["LatestStreamArn"])


def stream_records(stream_arn: str) -> list[dict[str, Any]]:
    streams = client("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records: list[dict[str, Any]] = streams.get_records(ShardIterator=iterator)["Records"]
    return records


def create_user_pool() -> tuple[str, str, dict[str, Any]]:
    cognito = client("cognito-idp")
    pool_id = cognito.create_user_pool(PoolName="people")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(UserPoolId=pool_id, Username="ada@example.org")
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username="ada@example.org", Password=PASSWORD, Permanent=True
    )
    tokens = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada@example.org", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return pool_id, client_id, tokens


def test_everything_the_stack_keeps_comes_back_in_a_fresh_moto(
    aws_environment: None, tmp_path: Path
) -> None:
    path = tmp_path / "state.pickle"
    with mock_aws():
        stream_arn = create_table()
        ddb = client("dynamodb")
        for key in ("a", "b"):
            ddb.put_item(TableName="things", Item={"pk": {"S": key}, "n": {"N": "1"}})
        s3 = client("s3")
        s3.create_bucket(Bucket="evidence")
        s3.put_object(Bucket="evidence", Key="doc.txt", Body=b"policy v3")
        sqs = client("sqs")
        queue_url = sqs.create_queue(QueueName="work")["QueueUrl"]
        sqs.send_message(QueueUrl=queue_url, MessageBody="pending")
        client("events").create_event_bus(Name="bus")
        pool_id, client_id, tokens = create_user_pool()
        save_state(path, {"note": "kept"})

    with mock_aws():  # a new moto: nothing of the above until the state is loaded
        assert client("dynamodb").list_tables()["TableNames"] == []
        loaded = load_state(path)

        assert loaded.meta == {"note": "kept"}
        items = client("dynamodb").scan(TableName="things")["Items"]
        assert sorted(i["pk"]["S"] for i in items) == ["a", "b"]
        body = client("s3").get_object(Bucket="evidence", Key="doc.txt")["Body"].read()
        assert body == b"policy v3"
        message = client("sqs").receive_message(QueueUrl=queue_url)["Messages"][0]
        assert message["Body"] == "pending"
        buses = client("events").list_event_buses()["EventBuses"]
        assert [b["Name"] for b in buses] == ["default", "bus"]
        cognito = client("cognito-idp")
        user = cognito.get_user(AccessToken=tokens["AccessToken"])  # the login survived
        assert user["Username"] == "ada@example.org"
        pool = get_backend("cognito-idp")[ACCOUNT][REGION].user_pools[pool_id]
        assert jwt.decode(tokens["IdToken"], pool.json_web_key).claims["aud"] == client_id
        # moto goes on from the restored state: writes land in the same stream.
        client("dynamodb").put_item(TableName="things", Item={"pk": {"S": "c"}})
        keys = [r["dynamodb"]["Keys"]["pk"]["S"] for r in stream_records(stream_arn)]
        assert keys == ["a", "b", "c"]


def test_records_the_relay_delivered_are_forgotten_and_numbering_goes_on(aws: None) -> None:
    stream_arn = create_table()
    ddb = client("dynamodb")
    for key in ("a", "b", "c"):
        ddb.put_item(TableName="things", Item={"pk": {"S": key}})
    before = stream_records(stream_arn)
    delivered_through = int(before[1]["dynamodb"]["SequenceNumber"])

    assert forget_stream_records(stream_arn, delivered_through) == 2

    after = stream_records(stream_arn)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in after] == ["c"]
    assert after[0]["dynamodb"]["SequenceNumber"] == before[2]["dynamodb"]["SequenceNumber"]
    ddb.put_item(TableName="things", Item={"pk": {"S": "d"}})
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in stream_records(stream_arn)]
    assert numbers == [delivered_through + 1, delivered_through + 2]


def test_signing_keys_and_the_mail_identity_come_back_so_old_links_still_verify(
    aws_environment: None, tmp_path: Path
) -> None:
    path = tmp_path / "state.pickle"
    message = b"header.payload"
    with mock_aws():
        kms = client("kms")
        ecc = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
        kms.create_alias(AliasName="alias/links", TargetKeyId=ecc["KeyId"])
        rsa_key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
        signed_before = kms.sign(
            KeyId="alias/links",
            Message=message,
            MessageType="RAW",
            SigningAlgorithm="ECDSA_SHA_256",
        )["Signature"]
        public_before = kms.get_public_key(KeyId=rsa_key["KeyId"])["PublicKey"]
        ses = client("sesv2")
        ses.create_configuration_set(ConfigurationSetName="mail")
        ses.create_email_identity(EmailIdentity="nqms.example.org", ConfigurationSetName="mail")
        save_state(path, {})

    with mock_aws():
        load_state(path)
        kms = client("kms")

        assert kms.verify(
            KeyId="alias/links",
            Message=message,
            MessageType="RAW",
            Signature=signed_before,
            SigningAlgorithm="ECDSA_SHA_256",
        )["SignatureValid"]
        assert kms.get_public_key(KeyId=rsa_key["KeyId"])["PublicKey"] == public_before
        signed_after = kms.sign(
            KeyId=rsa_key["KeyId"],
            Message=message,
            MessageType="RAW",
            SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256",
        )["Signature"]
        key = serialization.load_der_public_key(public_before)
        assert isinstance(key, rsa.RSAPublicKey)
        key.verify(signed_after, message, padding.PKCS1v15(), hashes.SHA256())
        sent = client("sesv2").send_email(
            FromEmailAddress="badges@nqms.example.org",
            Destination={"ToAddresses": ["staff@program.example"]},
            Content={"Raw": {"Data": b"Subject: Hi\r\n\r\nHello"}},
            ConfigurationSetName="mail",
        )
        assert sent["MessageId"]
