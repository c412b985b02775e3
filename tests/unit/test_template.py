"""Reading infra/template.yaml as a deployment does: decode, package, SAM transform, evaluate."""

from __future__ import annotations

import os
from graphlib import TopologicalSorter
from pathlib import Path

import pytest

from infra.local.intrinsics import IntrinsicError, dependencies
from infra.local.template import (
    PACKAGED_CODE_URI,
    Template,
    TemplateError,
    load_template,
    local_secrets,
)

REGION, ACCOUNT, STACK = "us-east-1", "123456789012", "unit"


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template(region=REGION, account_id=ACCOUNT, stack_name=STACK)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "template.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_serverless_functions_become_lambda_functions_with_packaged_code(
    template: Template,
) -> None:
    function = template.resources["OutboxSweeperFunction"]
    bucket, _, key = PACKAGED_CODE_URI.removeprefix("s3://").partition("/")

    assert function["Type"] == "AWS::Lambda::Function"
    assert function["Properties"]["Handler"] == "functions.outbox.handler.sweep"
    assert function["Properties"]["Code"] == {"S3Bucket": bucket, "S3Key": key}
    assert function["Properties"]["Timeout"] == 60  # its own, over the Globals' 15
    assert function["Properties"]["MemorySize"] == 512  # from Globals


def test_globals_environment_merges_with_the_functions_own(template: Template) -> None:
    variables = template.resources["AssessmentFunction"]["Properties"]["Environment"]["Variables"]

    assert variables["TABLE_NAME"] == {"Ref": "Table"}  # resolved only when provisioned
    assert variables["EVIDENCE_BUCKET"] == {"Ref": "EvidenceBucket"}
    assert variables["POWERTOOLS_SERVICE_NAME"] == "assessment"


def test_sam_events_become_the_resources_that_invoke_the_functions(template: Template) -> None:
    mapping = template.resources["OutboxRelayFunctionOutboxStream"]
    schedule = template.resources["OutboxSweeperFunctionSweep"]

    assert mapping["Type"] == "AWS::Lambda::EventSourceMapping"
    assert mapping["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert schedule["Type"] == "AWS::Events::Rule"
    assert schedule["Properties"]["ScheduleExpression"] == "rate(5 minutes)"
    assert "Events" in template.source["Resources"]["OutboxSweeperFunction"]["Properties"]


def test_parameters_defaults_pseudo_parameters_and_conditions(template: Template) -> None:
    assert template.parameters["Stage"] == "prod"
    assert template.parameters["AWS::StackName"] == STACK
    assert template.parameters["AWS::AccountId"] == ACCOUNT
    assert template.conditions == {
        "HasAlarmEmail": False,
        "HasPublicApiUrl": False,
        "CognitoSendsThroughSes": False,
        "HasWaf": False,
        "HasAppUrl": False,
    }


def test_an_override_changes_parameters_and_the_conditions_on_them() -> None:
    loaded = load_template(
        region=REGION,
        account_id=ACCOUNT,
        stack_name=STACK,
        overrides={"Stage": "dev", "AlarmEmail": "ops@example.org"},
    )

    assert loaded.parameters["Stage"] == "dev"
    assert loaded.conditions == {
        "HasAlarmEmail": True,
        "HasPublicApiUrl": False,
        "CognitoSendsThroughSes": False,
        "HasWaf": False,
        "HasAppUrl": False,
    }


def test_an_unknown_override_is_refused_by_name() -> None:
    with pytest.raises(IntrinsicError, match="unknown template parameters: Stag"):
        load_template(region=REGION, account_id=ACCOUNT, stack_name=STACK, overrides={"Stag": "x"})


def test_resources_can_be_created_in_dependency_order(template: Template) -> None:
    order = list(TopologicalSorter(dependencies(template.resources)).static_order())

    assert order.index("Table") < order.index("OutboxRelayFunction")
    assert order.index("OutboxRelayDLQ") < order.index("OutboxRelayFunctionOutboxStream")
    assert order.index("OutboxRelayFunction") < order.index("OutboxRelayFunctionOutboxStream")


# ---------------------------------------------------------------- small templates
CONDITIONAL = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  WithQueue:
    Type: String
    Default: "no"
Conditions:
  QueueWanted: !Equals [!Ref WithQueue, "yes"]
Resources:
  Bus:
    Type: AWS::Events::EventBus
    Properties:
      Name: !Sub "${AWS::StackName}-bus"
  Queue:
    Type: AWS::SQS::Queue
    Condition: QueueWanted
"""


def test_a_resource_exists_only_when_its_condition_holds(tmp_path: Path) -> None:
    path = write(tmp_path, CONDITIONAL)

    without = load_template(region=REGION, account_id=ACCOUNT, stack_name=STACK, path=path)
    with_queue = load_template(
        region=REGION,
        account_id=ACCOUNT,
        stack_name=STACK,
        overrides={"WithQueue": "yes"},
        path=path,
    )

    assert set(without.resources) == {"Bus"}
    assert set(with_queue.resources) == {"Bus", "Queue"}


@pytest.mark.parametrize("before", ["eu-west-1", None])
def test_the_region_given_to_the_translator_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: str | None
) -> None:
    if before is None:
        monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    else:
        monkeypatch.setenv("AWS_DEFAULT_REGION", before)

    load_template(
        region="ap-southeast-2",
        account_id=ACCOUNT,
        stack_name=STACK,
        path=write(tmp_path, CONDITIONAL),
    )

    assert os.environ.get("AWS_DEFAULT_REGION") == before


def test_a_resource_with_an_undeclared_condition_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, CONDITIONAL.replace("Condition: QueueWanted", "Condition: Wanted"))

    with pytest.raises(TemplateError, match="resource Queue uses unknown condition Wanted"):
        load_template(region=REGION, account_id=ACCOUNT, stack_name=STACK, path=path)


def test_a_template_that_does_not_decode_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "Resources:\n  Bus: [unclosed\n")

    with pytest.raises(TemplateError, match=f"cannot decode {path}"):
        load_template(region=REGION, account_id=ACCOUNT, stack_name=STACK, path=path)


def test_a_sam_resource_the_translator_rejects_fails_the_transform(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Broken:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.11
      CodeUri: ./
      Events:
        Nightly: {Type: Schedule, Properties: {}}
""",
    )

    with pytest.raises(TemplateError, match=r"SAM transform failed: .*Broken"):
        load_template(region=REGION, account_id=ACCOUNT, stack_name=STACK, path=path)


def test_a_no_echo_parameter_without_default_gets_a_fresh_local_value(tmp_path: Path) -> None:
    declared = {
        "Secret": {"Type": "String", "NoEcho": True, "MinLength": 32},
        "Shown": {"Type": "String", "Default": "x"},
    }

    first, second = local_secrets(declared), local_secrets(declared)

    assert set(first) == {"Secret"}
    assert len(first["Secret"]) >= 32
    assert first != second  # nothing secret is committed or repeated
