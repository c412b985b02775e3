"""What a real AWS account needs from infra/template.yaml (issue #7, item 7).

Checked on the template after the SAM transform, as CloudFormation receives it: retained
identities, dead letters that can arrive, alarms, log retention, gateway errors that tell the
truth, CORS for several origins, concurrency caps, lean artifacts, secrets, email, the public
surface (least-privilege table
policies: test_table_policies.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from infra.local.intrinsics import Scope, resolve
from infra.local.routes import DEFAULT_STATUS, GatewayResponses
from infra.local.template import Template, load_template
from scripts import package

ROOT = Path(__file__).resolve().parents[2]
REGION, ACCOUNT, STACK = "us-east-1", "123456789012", "unit"
FUNCTIONS = (
    "DirectoryFunction",
    "AssessmentFunction",
    "ReviewFunction",
    "PlanFunction",
    "ReportFunction",
    "ReportAggregatesFunction",
    "ResearchExportFunction",
    "BadgeFunction",
    "BadgeIssuerFunction",
    "BadgeExpiryFunction",
    "NotifyFunction",
    "NotifyApiFunction",
    "MailEventsFunction",
    "ReminderFunction",
    "OutboxRelayFunction",
    "OutboxSweeperFunction",
)


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template(region=REGION, account_id=ACCOUNT, stack_name=STACK)


def of_type(template: Template, resource_type: str) -> dict[str, Mapping[str, Any]]:
    return {k: v for k, v in template.resources.items() if v["Type"] == resource_type}


def functions(template: Template) -> list[str]:
    return sorted(of_type(template, "AWS::Lambda::Function"))


def walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def test_the_user_pool_outlives_the_stack_and_cannot_be_deleted(template: Template) -> None:
    pool = template.resources["UserPool"]

    assert pool["DeletionPolicy"] == "Retain"
    assert pool["UpdateReplacePolicy"] == "Retain"
    assert pool["Properties"]["DeletionProtection"] == "ACTIVE"


def test_the_badge_issuer_gets_plan_events_through_a_queue_that_keeps_failures(
    template: Template,
) -> None:
    rule = template.resources["BadgeIssuerRule"]["Properties"]
    assert rule["EventPattern"]["detail-type"] == ["PlanFinalized", "GoalVerified"]
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["BadgeIssuerQueue", "Arn"]}
    dlq = {"Fn::GetAtt": ["BadgeIssuerDLQ", "Arn"]}
    assert target["DeadLetterConfig"]["Arn"] == dlq  # events the bus could not deliver
    queue = template.resources["BadgeIssuerQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == dlq  # events the issuer gave up on
    timeout = template.resources["BadgeIssuerFunction"]["Properties"]["Timeout"]
    assert queue["VisibilityTimeout"] >= 6 * timeout
    for name, queue_name in (
        ("BadgeIssuerQueuePolicy", "BadgeIssuerQueue"),
        ("BadgeIssuerDLQPolicy", "BadgeIssuerDLQ"),
    ):
        policy = template.resources[name]["Properties"]
        assert policy["Queues"] == [{"Ref": queue_name}]
        (statement,) = policy["PolicyDocument"]["Statement"]
        assert statement["Principal"] == {"Service": "events.amazonaws.com"}
        assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == {
            "Fn::GetAtt": ["BadgeIssuerRule", "Arn"]
        }
    (mapping,) = [
        m["Properties"]
        for m in of_type(template, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["EventSourceArn"] == {"Fn::GetAtt": ["BadgeIssuerQueue", "Arn"]}
    ]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["FunctionName"] == {"Ref": "BadgeIssuerFunction"}


def test_the_sweepers_dead_letters_can_reach_its_queue(template: Template) -> None:
    dlq = {"Fn::GetAtt": ["OutboxSweeperDLQ", "Arn"]}
    (target,) = template.resources["OutboxSweeperFunctionSweep"]["Properties"]["Targets"]
    policy = template.resources["OutboxSweeperDLQPolicy"]
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    (invoke_config,) = [
        c
        for c in of_type(template, "AWS::Lambda::EventInvokeConfig").values()
        if c["Properties"]["FunctionName"] == {"Ref": "OutboxSweeperFunction"}
    ]

    assert target["DeadLetterConfig"]["Arn"] == dlq  # events EventBridge cannot deliver
    assert policy["Properties"]["Queues"] == [{"Ref": "OutboxSweeperDLQ"}]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage"
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == {
        "Fn::GetAtt": ["OutboxSweeperFunctionSweep", "Arn"]
    }
    # ... and sweeps that fail after Lambda's asynchronous retries
    assert invoke_config["Properties"]["FunctionName"] == {"Ref": "OutboxSweeperFunction"}
    assert invoke_config["Properties"]["DestinationConfig"]["OnFailure"]["Destination"] == dlq


def _alarmed_metrics(template: Template) -> list[tuple[str, str, dict[str, Any]]]:
    """(namespace, metric name, dimensions) of every alarm, metric-math ones included."""
    found = []
    for alarm in of_type(template, "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        stats = [props] + [
            m["MetricStat"]["Metric"] for m in props.get("Metrics", []) if "MetricStat" in m
        ]
        for stat in stats:
            if "MetricName" in stat:
                dimensions = {d["Name"]: d["Value"] for d in stat.get("Dimensions", [])}
                found.append((stat["Namespace"], stat["MetricName"], dimensions))
    return found


def test_every_function_has_error_and_throttle_alarms(template: Template) -> None:
    metrics = _alarmed_metrics(template)

    for function in functions(template):
        dimensions = {"FunctionName": {"Ref": function}}
        assert ("AWS/Lambda", "Errors", dimensions) in metrics, function
        assert ("AWS/Lambda", "Throttles", dimensions) in metrics, function


def test_the_api_relay_and_table_are_alarmed(template: Template) -> None:
    metrics = _alarmed_metrics(template)
    api_name = template.source["Resources"]["Api"]["Properties"]["Name"]
    api = {"ApiName": api_name, "Stage": {"Ref": "Stage"}}
    table_metrics = {
        name for ns, name, dims in metrics if dims.get("TableName") == {"Ref": "Table"}
    }

    assert ("AWS/ApiGateway", "5XXError", api) in metrics
    assert ("AWS/ApiGateway", "Latency", api) in metrics
    assert (
        "AWS/Lambda",
        "IteratorAge",
        {"FunctionName": {"Ref": "OutboxRelayFunction"}},
    ) in metrics
    assert {"ReadThrottleEvents", "WriteThrottleEvents"} <= table_metrics


def test_every_alarm_notifies_the_alarm_topic(template: Template) -> None:
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    topic = template.resources["AlarmTopic"]

    assert len(alarms) >= 8
    for name, alarm in alarms.items():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}], name
    # a topic encrypted with the AWS-managed key would silently drop CloudWatch's messages
    assert "KmsMasterKeyId" not in topic["Properties"]


def _retained_groups(template: Template) -> dict[str, Any]:
    """Log group name (as written) -> retention, for groups that have one."""
    return {
        json.dumps(group["Properties"]["LogGroupName"]): group["Properties"]["RetentionInDays"]
        for group in of_type(template, "AWS::Logs::LogGroup").values()
        if "RetentionInDays" in group["Properties"]
    }


def test_every_function_logs_to_a_group_with_a_retention(template: Template) -> None:
    groups = _retained_groups(template)

    for function in functions(template):
        name = json.dumps({"Fn::Sub": f"/aws/lambda/${{{function}}}"})
        assert groups.get(name) == {"Ref": "LogRetentionDays"}, function
    assert template.parameters["LogRetentionDays"] == 90


def test_the_api_writes_access_logs_to_a_group_with_a_retention(template: Template) -> None:
    (stage,) = of_type(template, "AWS::ApiGateway::Stage").values()
    setting = stage["Properties"]["AccessLogSetting"]
    group = template.resources[setting["DestinationArn"]["Fn::GetAtt"][0]]

    assert group["Type"] == "AWS::Logs::LogGroup"
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert json.loads(setting["Format"])["requestId"] == "$context.requestId"
    # the account-wide role API Gateway needs to write any log
    account = next(iter(of_type(template, "AWS::ApiGateway::Account").values()))
    assert account["Properties"]["CloudWatchRoleArn"] == {
        "Fn::GetAtt": ["ApiGatewayLogsRole", "Arn"]
    }
    assert template.resources["Api"]["DependsOn"] == "ApiGatewayAccount"  # before the stage


def _api_body(template: Template) -> Mapping[str, Any]:
    (api,) = of_type(template, "AWS::ApiGateway::RestApi").values()
    body: Mapping[str, Any] = api["Properties"]["Body"]
    return body


def _problem(text: str) -> dict[str, Any]:
    """A gateway response body with its ``$context`` variables filled as API Gateway does."""
    filled = text.replace("$context.error.messageString", json.dumps("a message"))
    parsed: dict[str, Any] = json.loads(filled)
    return parsed


def test_every_gateway_error_is_a_problem_with_its_real_status(template: Template) -> None:
    responses = _api_body(template)["x-amazon-apigateway-gateway-responses"]

    assert set(responses) == set(DEFAULT_STATUS)  # every type: none falls back to a default
    for kind, response in responses.items():
        status = int(response["statusCode"])
        body = _problem(response["responseTemplates"]["application/json"])
        assert body["status"] == status, kind
        assert body["type"].startswith("urn:nqms:problem:"), kind
        expected = DEFAULT_STATUS[kind]
        if expected is not None and kind != "MISSING_AUTHENTICATION_TOKEN":  # a 404: no route
            assert status == expected, kind
        headers = response["responseParameters"]
        assert headers["gatewayresponse.header.Content-Type"] == "'application/problem+json'"


def test_gateway_errors_are_readable_from_any_allowed_origin(template: Template) -> None:
    """The local gateway renders the template's responses: what a browser gets on AWS."""
    responses = GatewayResponses(_api_body(template))
    origin = "https://second.example"

    for kind in ("UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX"):
        rendered = responses.render(kind, status=502, request_headers={"origin": origin})
        assert rendered.headers["Access-Control-Allow-Origin"] == origin, kind
        assert rendered.headers["Vary"] == "Origin", kind
        assert _problem(rendered.body)["status"] == rendered.status, kind

    without = responses.render("ACCESS_DENIED")
    assert "Access-Control-Allow-Origin" not in without.headers
    assert responses.render("ACCESS_DENIED").status == 403


def test_several_origins_are_allowed_and_every_path_answers_its_preflight(
    template: Template,
) -> None:
    parameter = template.source["Parameters"]["AllowedOrigins"]
    api = template.source["Resources"]["Api"]["Properties"]
    paths = _api_body(template)["paths"]

    assert parameter["Type"] == "CommaDelimitedList"
    assert "Cors" not in api  # API Gateway's CORS answers with one fixed origin
    for path, operations in paths.items():
        preflight = operations["options"]
        integration = preflight["x-amazon-apigateway-integration"]
        others = {
            json.dumps(op["x-amazon-apigateway-integration"]["uri"])
            for method, op in operations.items()
            if method != "options"
        }
        assert preflight["security"] == [{"NONE": []}], path  # a preflight carries no token
        assert integration["type"] == "aws_proxy", path  # the function echoes an allowed Origin
        assert others == {json.dumps(integration["uri"])}, path
    variables = template.resources["DirectoryFunction"]["Properties"]["Environment"]["Variables"]
    web_origin = {"Fn::Sub": "https://${WebDistribution.DomainName}"}
    listed = {"Fn::Join": [",", {"Ref": "AllowedOrigins"}]}
    assert variables["ALLOWED_ORIGINS"] == {"Fn::Join": [",", [web_origin, listed]]}


def test_the_relay_and_the_sweeper_have_reserved_concurrency(template: Template) -> None:
    relay = template.resources["OutboxRelayFunction"]["Properties"]
    sweeper = template.resources["OutboxSweeperFunction"]["Properties"]

    assert relay["ReservedConcurrentExecutions"] >= 1
    assert sweeper["ReservedConcurrentExecutions"] == 1  # two sweeps would publish twice


# ---------------------------------------------------------------- packaging
def _make_targets() -> dict[str, str]:
    """``build-<LogicalId>`` -> the package its recipe builds, from the Makefile."""
    text = (ROOT / "Makefile").read_text()
    targets: dict[str, str] = {}
    for names, recipe in re.findall(r"^((?:build-\w+ ?)+):\n\t(.+)$", text, re.MULTILINE):
        built = re.search(r"scripts\.package (functions\.\w+) \"\$\(ARTIFACTS_DIR\)\"", recipe)
        assert built, recipe
        for name in names.split():
            targets[name] = built.group(1)
    return targets


def test_sam_builds_each_function_with_its_make_target(template: Template) -> None:
    targets = _make_targets()
    globals_ = template.source["Globals"]["Function"]

    for function in FUNCTIONS:
        source = template.source["Resources"][function]
        handler = source["Properties"]["Handler"]
        assert source["Metadata"] == {"BuildMethod": "makefile"}, function
        assert targets[f"build-{function}"] == ".".join(handler.split(".")[:2]), function
    assert sorted(FUNCTIONS) == functions(template)
    assert globals_["Runtime"] == f"python{package.PYTHON_VERSION}"
    assert globals_["Architectures"] == ["arm64"]
    assert package.PLATFORM.endswith("aarch64")


def test_only_the_report_function_installs_dependencies_of_its_own(template: Template) -> None:
    """Its PDF library and font (functions/report/requirements.lock) go into its artifact alone:
    the other functions' artifacts do not grow (tests/deploy builds and runs each one)."""
    packages = {
        ".".join(template.source["Resources"][f]["Properties"]["Handler"].split(".")[:2])
        for f in FUNCTIONS
    }
    owns = {own: package.own_lock(own) for own in packages}
    report = ROOT / "functions" / "report" / "requirements.lock"

    assert {own for own, lock in owns.items() if lock} == {"functions.report"}
    assert owns["functions.report"] == report
    command = package.pip_command(Path("artifact"), lock=report)
    assert command[command.index("--requirement") + 1] == str(report)
    assert "--require-hashes" in command


@pytest.mark.parametrize("function", FUNCTIONS)
def test_an_artifact_holds_its_function_and_shared_only_and_imports_alone(
    template: Template, function: str, tmp_path: Path
) -> None:
    handler = template.source["Resources"][function]["Properties"]["Handler"]
    own = ".".join(handler.split(".")[:2])

    package.copy_sources(own, tmp_path)
    assert package.compile_sources(tmp_path)  # the tests run on the runtime's Python, 3.11
    top = {p.name for p in tmp_path.iterdir()}
    packages = {
        p.name for p in (tmp_path / "functions").iterdir() if p.is_dir() and p.name != "__pycache__"
    }
    check = (
        "import importlib, json, sys\n"
        f"module = importlib.import_module({handler.rsplit('.', 1)[0]!r})\n"
        "ours = {n: getattr(m, '__file__', None) for n, m in sys.modules.items()\n"
        "        if n.split('.')[0] in ('functions', 'shared', 'infra', 'scripts', 'tests')}\n"
        "print(json.dumps(ours))\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own check
        [sys.executable, "-c", check],
        cwd=tmp_path,
        env=environment | {"AWS_DEFAULT_REGION": REGION},
        capture_output=True,
        text=True,
        check=False,
    )

    assert top == {"functions", "shared"}
    assert packages == {own.split(".")[1]}  # no other function's code
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert all(str(path).startswith(str(tmp_path)) for path in loaded.values()), loaded
    # Every source module has its bytecode beside it: Lambda cannot write it at cold start.
    tag = sys.implementation.cache_tag
    uncompiled = [
        str(source.relative_to(tmp_path))
        for source in tmp_path.rglob("*.py")
        if not (source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc").is_file()
    ]
    assert uncompiled == []
    assert {name.split(".")[0] for name in loaded} == {"functions", "shared"}


def test_every_function_serving_a_paged_list_has_the_cursor_key(template: Template) -> None:
    """A list with a `next` cursor signs it with CURSOR_KEY: without it, its second page is
    a 500 in AWS (tests set the key for every process, so only this check sees it)."""
    document = json.loads((ROOT / "openapi.json").read_text())
    paged = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if any(p.get("name") == "next" for p in operation.get("parameters", []))
    }
    served_by = {
        (event["Properties"]["Path"], event["Properties"]["Method"].upper()): name
        for name, resource in template.source["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
        for event in resource["Properties"].get("Events", {}).values()
        if event["Type"] == "Api"
    }
    assert paged
    for route in sorted(paged):
        function = template.source["Resources"][served_by[route]]["Properties"]
        variables = function["Environment"]["Variables"]
        assert variables["CURSOR_KEY_SECRET"] == {"Ref": "CursorKeySecret"}, route
        assert {"Ref": "CursorKeyReadPolicy"} in function["Policies"], route


# ---------------------------------------------------------------- secrets and email
def test_the_cursor_key_is_a_generated_secret_never_an_environment_variable(
    template: Template,
) -> None:
    secret = template.resources["CursorKeySecret"]
    (statement,) = template.resources["CursorKeyReadPolicy"]["Properties"]["PolicyDocument"][
        "Statement"
    ]
    no_echo = {
        name
        for name, spec in template.source["Parameters"].items()
        if str(spec.get("NoEcho")).lower() == "true"
    }

    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    assert statement["Action"] == "secretsmanager:GetSecretValue"
    assert statement["Resource"] == {"Ref": "CursorKeySecret"}
    assert not no_echo  # no secret typed on the command line or kept in the stack's parameters
    for name in functions(template):
        variables = template.resources[name]["Properties"]["Environment"]["Variables"]
        assert "CURSOR_KEY" not in variables, name
        assert not any(ref in no_echo for v in variables.values() for ref in _refs(v)), name


def _refs(value: Any) -> list[str]:
    return [v["Ref"] for v in walk(value) if isinstance(v, dict) and "Ref" in v]


def test_the_table_cannot_be_deleted_by_accident(template: Template) -> None:
    table = template.resources["Table"]

    assert table["Properties"]["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"


def test_cognito_sends_through_ses_from_the_mail_domain_once_it_is_verified() -> None:
    verified = load_template(
        region=REGION,
        account_id=ACCOUNT,
        stack_name=STACK,
        overrides={"MailDomainVerified": "true"},
    )
    unverified = load_template(region=REGION, account_id=ACCOUNT, stack_name=STACK)

    def email(template: Template) -> Any:
        config = template.resources["UserPool"]["Properties"]["EmailConfiguration"]
        scope = Scope(
            parameters=template.parameters,
            conditions=template.conditions,
            ref=lambda name: name,
            get_att=lambda name, attribute: f"{name}.{attribute}",
        )
        return resolve(config, scope)

    through_ses = email(verified)
    domain = verified.parameters["MailDomain"]
    assert through_ses["EmailSendingAccount"] == "DEVELOPER"
    assert through_ses["SourceArn"] == f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/{domain}"
    assert through_ses["From"].endswith(f"<notifications@{domain}>")
    assert verified.resources["MailIdentity"]["Properties"]["EmailIdentity"] == {
        "Ref": "MailDomain"
    }
    # Cognito refuses an unverified identity: the first deploy keeps its own sender.
    assert email(unverified) == {"EmailSendingAccount": "COGNITO_DEFAULT"}


def test_the_dkim_records_to_put_in_dns_are_stack_outputs(template: Template) -> None:
    values = [template.outputs[f"MailDkimRecord{n}"]["Value"] for n in (1, 2, 3)]

    for n, value in enumerate(values, start=1):
        text = json.dumps(value)
        assert f"MailIdentity.DkimDNSTokenName{n}" in text
        assert f"MailIdentity.DkimDNSTokenValue{n}" in text


# ---------------------------------------------------------------- the public surface
def _api_routes(template: Template) -> list[tuple[str, str, str, bool]]:
    """(function, method, path, anonymous) for every route of the template."""
    return [
        (
            name,
            event["Properties"]["Method"].upper(),
            event["Properties"]["Path"],
            event["Properties"].get("Auth", {}).get("Authorizer") == "NONE",
        )
        for name, resource in template.source["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
        for event in resource["Properties"].get("Events", {}).values()
        if event["Type"] == "Api"
    ]


def test_every_anonymous_route_is_throttled_below_the_stage_default(template: Template) -> None:
    settings = template.source["Resources"]["Api"]["Properties"]["MethodSettings"]
    by_route = {(s["ResourcePath"], s["HttpMethod"]): s for s in settings}
    default = by_route[("/*", "*")]
    anonymous = {(path, method) for _, method, path, public in _api_routes(template) if public} - {
        (path, "OPTIONS") for _, _, path, _ in _api_routes(template)
    }

    assert anonymous
    for path, method in sorted(anonymous):
        setting = by_route.get(("/" + path.replace("/", "~1"), method))
        assert setting is not None, f"{method} {path} has no throttling of its own"
        assert setting["ThrottlingRateLimit"] < default["ThrottlingRateLimit"], path
        assert setting["ThrottlingBurstLimit"] < default["ThrottlingBurstLimit"], path


def test_every_function_anonymous_callers_can_reach_has_reserved_concurrency(
    template: Template,
) -> None:
    """Anonymous callers reach every API function (its CORS preflights) and the badge API's
    public routes: each has a reserved cap, so none can take the account's concurrency."""
    reachable = {function for function, _, _, public in _api_routes(template) if public}
    resources = template.source["Resources"]

    assert "BadgeFunction" in reachable
    for function in sorted(reachable):
        assert resources[function]["Properties"].get("ReservedConcurrentExecutions"), function


def test_the_deploy_guide_states_the_reserved_concurrency_the_stack_needs(
    template: Template,
) -> None:
    total = sum(
        int(resource["Properties"].get("ReservedConcurrentExecutions", 0))
        for resource in template.resources.values()
        if resource["Type"] == "AWS::Lambda::Function"
    )
    guide = (ROOT / "docs" / "deploy.md").read_text()

    assert f"reserve {total} concurrent executions" in guide
    assert f"at least {total + 100}" in guide  # Lambda keeps 100 unreserved


def test_the_firewall_is_optional_with_managed_rules_and_a_rate_rule(template: Template) -> None:
    enabled = load_template(
        region=REGION, account_id=ACCOUNT, stack_name=STACK, overrides={"EnableWaf": "true"}
    )
    acl = enabled.resources["WebAcl"]["Properties"]
    groups = {
        rule["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for rule in acl["Rules"]
        if "ManagedRuleGroupStatement" in rule["Statement"]
    }
    (rate,) = [r for r in acl["Rules"] if "RateBasedStatement" in r["Statement"]]
    association = enabled.resources["WebAclAssociation"]["Properties"]

    assert "WebAcl" not in template.resources  # off by default
    assert acl["Scope"] == "REGIONAL"
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= groups
    assert rate["Action"] == {"Block": {}}
    assert rate["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    assert association["WebACLArn"] == {"Fn::GetAtt": ["WebAcl", "Arn"]}
    assert "/restapis/${Api}/stages/${Stage}" in json.dumps(association["ResourceArn"])


def test_sam_builds_in_the_source_folder_without_copying_the_repository() -> None:
    """Without build_in_source, `sam build` copies the whole repository (.venv, .local, the web
    client's node_modules) into a scratch folder once per function."""
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    build = config["default"]["build"]["parameters"]

    assert build["build_in_source"] is True
    assert build["template_file"] == "infra/template.yaml"
