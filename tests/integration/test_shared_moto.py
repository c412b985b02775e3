"""The account the integration tests share in a process (tests/support/shared_moto.py): what
one test leaves in it, the next does not see; a resource a test changed is provisioned anew.

Each test here plays two tests in a row: its own ``aws_env`` is the first, and a second
``mocked_account`` (what the fixture does for the next test) is the one that must see nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.ses.models import ses_backends

from infra.local.aws import ACCOUNT_ID
from shared.adapters import aws
from tests.support import aws as support
from tests.support import shared_moto
from tests.support.shared_moto import SHARED, mocked_account


def client(service: str) -> Any:
    return boto3.client(service, region_name=support.REGION)  # type: ignore[call-overload]


def leave_data(resources: support.Resources) -> None:
    """A bit of everything a test can put in the account: a file in every bucket, a message
    in every queue, a sent email, a user in every group, a table item, a published key."""
    s3 = client("s3")
    for bucket in s3.list_buckets()["Buckets"]:
        s3.put_object(Bucket=bucket["Name"], Key="left/behind.pdf", Body=b"%PDF")
    sqs = client("sqs")
    for url in sqs.list_queues()["QueueUrls"]:
        fifo = {"MessageGroupId": "g", "MessageDeduplicationId": "d"} if ".fifo" in url else {}
        sqs.send_message(QueueUrl=url, MessageBody="left behind", **fifo)
    sesv2 = client("sesv2")
    identity = sesv2.list_email_identities()["EmailIdentities"][0]["IdentityName"]
    sender = identity if "@" in identity else f"noreply@{identity}"
    sesv2.send_email(
        FromEmailAddress=sender,
        Destination={"ToAddresses": ["someone@example.org"]},
        Content={"Simple": {"Subject": {"Data": "left"}, "Body": {"Text": {"Data": "behind"}}}},
    )
    cognito = client("cognito-idp")
    cognito.admin_create_user(UserPoolId=resources.user_pool_id, Username="left@example.org")
    for group in cognito.list_groups(UserPoolId=resources.user_pool_id)["Groups"]:
        cognito.admin_add_user_to_group(
            UserPoolId=resources.user_pool_id,
            Username="left@example.org",
            GroupName=group["GroupName"],
        )
    aws.dynamodb().put_item(
        TableName=resources.table_name, Item={"pk": {"S": "LEFT"}, "sk": {"S": "BEHIND"}}
    )
    from functions.badge import issuer

    issuer._published_here.add("left-behind-kid")


def what_is_there(resources: support.Resources) -> dict[str, Any]:
    """Everything :func:`leave_data` puts in the account, as the next test would find it."""
    s3, sqs, cognito = client("s3"), client("sqs"), client("cognito-idp")
    pool = resources.user_pool_id
    messages = [
        m["Body"]
        for url in sqs.list_queues()["QueueUrls"]
        for m in sqs.receive_message(QueueUrl=url, VisibilityTimeout=0).get("Messages", [])
    ]
    from functions.badge import issuer

    return {
        "objects": [
            o["Key"]
            for b in s3.list_buckets()["Buckets"]
            for o in s3.list_objects_v2(Bucket=b["Name"]).get("Contents", [])
        ],
        "messages": messages,
        "emails": [m.source for m in ses_backends[ACCOUNT_ID][support.REGION].sent_messages],
        "users": [u["Username"] for u in cognito.list_users(UserPoolId=pool)["Users"]],
        "members": [
            u["Username"]
            for g in cognito.list_groups(UserPoolId=pool)["Groups"]
            for u in cognito.list_users_in_group(UserPoolId=pool, GroupName=g["GroupName"])["Users"]
        ],
        "items": aws.dynamodb().scan(TableName=resources.table_name)["Items"],
        "published keys": sorted(issuer._published_here),
    }


ROOT_CONFTEST = Path(__file__).parents[1] / "conftest.py"

NOTHING: dict[str, Any] = {
    "objects": [],
    "messages": [],
    "emails": [],
    "users": [],
    "members": [],
    "items": [],
    "published keys": [],
}


def test_what_one_test_leaves_in_the_shared_account_the_next_does_not_see(
    aws_env: support.Resources,
) -> None:
    leave_data(aws_env)
    left = what_is_there(aws_env)
    assert all(left.values()), left  # every kind of data is there, to be seen if it leaked
    provisioned = SHARED.provisioned_count

    with pytest.MonkeyPatch.context() as mp, mocked_account(mp, moto_table=False) as nxt:
        assert nxt == aws_env  # shared, not remade
        assert SHARED.provisioned_count == provisioned
        assert what_is_there(nxt) == NOTHING


def test_the_check_above_sees_data_that_nothing_emptied(
    aws_env: support.Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check can fail: with the emptying left out, the next test finds the data."""
    leave_data(aws_env)
    monkeypatch.setattr(shared_moto, "empty_data", lambda: None)

    with pytest.MonkeyPatch.context() as mp, mocked_account(mp, moto_table=False) as nxt:
        seen = what_is_there(nxt)
    leaked = {kind for kind, found in seen.items() if found}
    # The table and the published keys are the fixture's own (fresh each time), the rest is moto's.
    assert leaked == {"objects", "messages", "emails", "users", "members"}, seen


def test_a_resource_a_test_changed_is_provisioned_again_for_the_next(
    aws_env: support.Resources,
) -> None:
    sqs = client("sqs")
    sqs.create_queue(QueueName="made-by-a-test")
    queue = sqs.list_queues()["QueueUrls"][0]
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"VisibilityTimeout": "7"})
    provisioned = SHARED.provisioned_count

    with pytest.MonkeyPatch.context() as mp, mocked_account(mp, moto_table=False) as nxt:
        assert SHARED.provisioned_count == provisioned + 1
        urls = sqs.list_queues()["QueueUrls"]
        assert not [u for u in urls if u.endswith("/made-by-a-test")]
        attributes = [
            sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["VisibilityTimeout"]) for u in urls
        ]
        assert "7" not in {a["Attributes"]["VisibilityTimeout"] for a in attributes}
        assert nxt.user_pool_id != aws_env.user_pool_id  # a new account, not the old one


def test_a_test_that_does_not_ask_for_the_account_runs_without_it(
    pytester: pytest.Pytester,
) -> None:
    """The shared mock is stopped before any test that does not use ``aws_env``: such a test
    sees no moto (or a ``mock_aws`` of its own, starting empty), not the shared account."""
    pytester.makeconftest(ROOT_CONFTEST.read_text())
    pytester.makepyfile(
        """
        import boto3
        import pytest
        from moto import mock_aws

        from tests.support.shared_moto import SHARED, mocked_account


        @pytest.fixture
        def aws_env(monkeypatch):
            with mocked_account(monkeypatch, moto_table=False) as resources:
                yield resources


        def test_first_uses_the_account(aws_env):
            assert SHARED.active
            boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="mine")


        def test_then_one_that_does_not(monkeypatch):
            assert not SHARED.active
            with mock_aws():
                assert "QueueUrls" not in boto3.client("sqs", region_name="us-east-1").list_queues()
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:xdist").assert_outcomes(
        passed=2
    )
