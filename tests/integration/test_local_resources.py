"""Resources of the template the local stack provisions in moto, as AWS would hold them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from moto import mock_aws

from infra.local.aws import AwsClients, Endpoint
from infra.local.resources import ProvisionedStack, provision
from infra.local.template import Template
from tests.support import aws as support

#: The stack as provisioned in moto, its table included.
pytestmark = pytest.mark.moto_dynamodb


def test_the_sweepers_dead_letter_queue_carries_the_templates_queue_policy(
    aws_env: support.Resources,
) -> None:
    stack = aws_env.stack
    queue_url = stack.ref("OutboxSweeperDLQ")
    rule_arn = stack.resources["OutboxSweeperFunctionSweep"].attributes["Arn"]

    attributes = boto3.client("sqs", region_name=support.REGION).get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["Policy"]
    )["Attributes"]
    (statement,) = json.loads(attributes["Policy"])["Statement"]

    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == rule_arn


# ==================================================================== badge and notify resources
#: The resource types the badge and notify services declare, as a template would.
SIGNING_AND_MAIL: dict[str, Any] = {
    "LinkSigningKey": {
        "Type": "AWS::KMS::Key",
        "Properties": {
            "Description": "Signs badge verification links (ES256)",
            "KeySpec": "ECC_NIST_P256",
            "KeyUsage": "SIGN_VERIFY",
            "KeyPolicy": {"Version": "2012-10-17", "Statement": []},
            "PendingWindowInDays": 30,
        },
    },
    "LinkSigningKeyAlias": {
        "Type": "AWS::KMS::Alias",
        "Properties": {
            "AliasName": "alias/nqms-test-link-signing",
            "TargetKeyId": {"Ref": "LinkSigningKey"},
        },
    },
    "CredentialSigningKey": {
        "Type": "AWS::KMS::Key",
        "Properties": {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"},
    },
    "MailConfigurationSet": {
        "Type": "AWS::SES::ConfigurationSet",
        "Properties": {
            "SendingOptions": {"SendingEnabled": True},
            "SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
        },
    },
    "MailIdentity": {
        "Type": "AWS::SES::EmailIdentity",
        "Properties": {
            "EmailIdentity": "nqms.example.org",
            "ConfigurationSetAttributes": {"ConfigurationSetName": {"Ref": "MailConfigurationSet"}},
        },
    },
    "MailEvents": {
        "Type": "AWS::SES::ConfigurationSetEventDestination",
        "Properties": {
            "ConfigurationSetName": {"Ref": "MailConfigurationSet"},
            "EventDestination": {"Enabled": True, "MatchingEventTypes": ["BOUNCE"]},
        },
    },
    "ConsumerDLQ": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1209600}},
    "ConsumerQueue": {
        "Type": "AWS::SQS::Queue",
        "Properties": {
            "VisibilityTimeout": 60,
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": ["ConsumerDLQ", "Arn"]},
                "maxReceiveCount": 3,
            },
        },
    },
}


@pytest.fixture
def signing_and_mail(monkeypatch: pytest.MonkeyPatch) -> Iterator[ProvisionedStack]:
    """The fragment provisioned in moto in-process, as the local stack would."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        template = Template(resources=SIGNING_AND_MAIL, parameters={}, conditions={})
        yield provision(template, CLIENTS, "nqms-kit")


CLIENTS = AwsClients(Endpoint(None, support.REGION))


def test_an_ecc_key_signs_raw_messages_that_its_public_key_verifies(
    signing_and_mail: ProvisionedStack,
) -> None:
    kms = CLIENTS.kms()
    message = b"eyJhbGciOiJFUzI1NiJ9.eyJiYWRnZSI6ImJkZ18xIn0"

    signature = kms.sign(
        KeyId="alias/nqms-test-link-signing",
        Message=message,
        MessageType="RAW",
        SigningAlgorithm="ECDSA_SHA_256",
    )["Signature"]
    public = kms.get_public_key(KeyId=signing_and_mail.ref("LinkSigningKey"))

    key = serialization.load_der_public_key(public["PublicKey"])
    assert isinstance(key, ec.EllipticCurvePublicKey)
    key.verify(signature, message, ec.ECDSA(hashes.SHA256()))  # raises if it does not verify
    described = kms.describe_key(KeyId="alias/nqms-test-link-signing")["KeyMetadata"]
    assert (described["KeySpec"], described["KeyUsage"]) == ("ECC_NIST_P256", "SIGN_VERIFY")
    assert described["Arn"] == signing_and_mail.resources["LinkSigningKey"].attributes["Arn"]


def test_an_rsa_key_signs_rs256(signing_and_mail: ProvisionedStack) -> None:
    kms = CLIENTS.kms()
    key_id = signing_and_mail.ref("CredentialSigningKey")
    message = b"header.payload"

    signature = kms.sign(
        KeyId=key_id,
        Message=message,
        MessageType="RAW",
        SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256",
    )["Signature"]

    key = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    assert key.key_size == 2048


def test_mail_from_the_identity_is_accepted_with_the_configuration_set(
    signing_and_mail: ProvisionedStack,
) -> None:
    ses = CLIENTS.sesv2()
    configuration_set = signing_and_mail.ref("MailConfigurationSet")
    raw = b"From: badges@nqms.example.org\r\nTo: staff@program.example\r\nSubject: Hi\r\n\r\nHello"

    def send(sender: str) -> str:
        return ses.send_email(
            FromEmailAddress=sender,
            Destination={"ToAddresses": ["staff@program.example"]},
            Content={"Raw": {"Data": raw}},
            ConfigurationSetName=configuration_set,
        )["MessageId"]

    assert send("badges@nqms.example.org")
    with pytest.raises(ClientError, match="MessageRejected"):
        send("someone@elsewhere.example")
    options = ses.get_configuration_set(ConfigurationSetName=configuration_set)
    assert configuration_set == "nqms-kit-MailConfigurationSet"
    assert options["SuppressionOptions"]["SuppressedReasons"] == ["BOUNCE", "COMPLAINT"]
    assert not signing_and_mail.resources["MailEvents"].emulated


def test_a_queue_redrives_to_its_dead_letter_queue_after_max_receive_count(
    signing_and_mail: ProvisionedStack,
) -> None:
    sqs = CLIENTS.sqs()
    url = signing_and_mail.ref("ConsumerQueue")
    dlq = signing_and_mail.resources["ConsumerDLQ"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "0"})
    sqs.send_message(QueueUrl=url, MessageBody="poison")

    receives = 0
    while sqs.receive_message(QueueUrl=url).get("Messages"):  # received, never deleted
        receives += 1
        assert receives <= 3

    policy = json.loads(
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"][
            "RedrivePolicy"
        ]
    )
    assert policy == {"deadLetterTargetArn": dlq.attributes["Arn"], "maxReceiveCount": 3}
    assert receives == 3
    (dead,) = sqs.receive_message(QueueUrl=dlq.ref)["Messages"]
    assert dead["Body"] == "poison"
