"""Resources of the template the local stack provisions in moto, as AWS would hold them."""

from __future__ import annotations

import json

import boto3

from tests.support import aws as support


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
