"""Create the template's resources in moto, type by type, from an explicit list.

Every resource type of the transformed template is either

- **created** in moto (``CREATORS``: table, bus, queues, user pool, client, groups, bucket,
  KMS keys and aliases, SES identities and configuration sets),
- **recorded** for the gateway and the workers (``RECORDERS``: functions, event source
  mappings, rules, the REST API and its stage), or
- **not emulated**, with the reason (``NOT_EMULATED``: IAM, permissions, alarms, ...).

A type in none of these stops the stack before anything is created
(:class:`UnsupportedResourceType` names the type and the logical id). Adding a type is one
function and one line in ``CREATORS``. Physical names are ``{stack}-{LogicalId}`` unless the
template names the resource.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import Any, cast

from infra.local.aws import AwsClients
from infra.local.intrinsics import Scope, dependencies, resolve
from infra.local.routes import routes_of
from infra.local.specs import (
    FunctionSpec,
    QueueSource,
    RestApiSpec,
    RuleDispatch,
    Schedule,
    StreamSource,
)
from infra.local.template import Template

log = logging.getLogger("infra.local")


class UnsupportedResourceType(RuntimeError):
    """The template uses a resource type the local stack neither creates nor skips."""

    def __init__(self, resource_type: str, logical_id: str) -> None:
        super().__init__(
            f"resource {logical_id} has type {resource_type}, which the local stack does not "
            f"emulate: add a creator to infra/local/resources.py CREATORS (or a reason to "
            f"NOT_EMULATED)"
        )
        self.resource_type = resource_type
        self.logical_id = logical_id


class ProvisioningError(RuntimeError):
    """A resource could not be created or recorded as the template describes it."""


@dataclass
class Physical:
    """A provisioned resource: what ``Ref`` and ``Fn::GetAtt`` return for it."""

    resource_type: str
    ref: str
    attributes: dict[str, Any] = field(default_factory=dict)
    emulated: bool = True
    #: Of the resolved properties it was created from: a restored stack notices changes.
    digest: str = ""


@dataclass
class ProvisionedStack:
    """Everything provisioning produced; the gateway and the workers start from this."""

    stack_name: str
    region: str
    account_id: str
    resources: dict[str, Physical] = field(default_factory=dict)
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    stream_sources: list[StreamSource] = field(default_factory=list)
    queue_sources: list[QueueSource] = field(default_factory=list)
    rule_dispatches: list[RuleDispatch] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    rest_apis: list[RestApiSpec] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)

    def ref(self, logical_id: str) -> str:
        return self.resources[logical_id].ref

    def first_of_type(self, resource_type: str) -> str:
        """The logical id of the (single) resource of a type, e.g. the user pool."""
        found = [k for k, v in self.resources.items() if v.resource_type == resource_type]
        if len(found) != 1:
            raise ProvisioningError(f"expected one {resource_type}, found {found}")
        return found[0]

    def function_by_name_or_arn(self, name_or_arn: str) -> FunctionSpec:
        for function in self.functions.values():
            if name_or_arn in (function.name, function.arn, function.logical_id):
                return function
        raise ProvisioningError(f"no function {name_or_arn} in the template")


class Provisioning:
    """Creates one resource after another in dependency order, resolving as it goes."""

    def __init__(
        self,
        template: Template,
        clients: AwsClients,
        stack_name: str,
        existing: Mapping[str, Physical] | None = None,
    ) -> None:
        self.template = template
        self.clients = clients
        self.existing = dict(existing or {})
        endpoint = clients.endpoint
        self.stack = ProvisionedStack(stack_name, endpoint.region, endpoint.account_id)
        self.scope = Scope(
            parameters=template.parameters,
            ref=self._ref,
            get_att=self._get_att,
            conditions=template.conditions,
            mappings=template.mappings,
        )

    # ---------------------------------------------------------------- naming
    def physical_name(self, logical_id: str, suffix: str = "") -> str:
        return f"{self.stack.stack_name}-{logical_id}{suffix}"

    def arn(self, service: str, resource: str, *, region: bool = True) -> str:
        where = self.stack.region if region else ""
        return f"arn:aws:{service}:{where}:{self.stack.account_id}:{resource}"

    # ---------------------------------------------------------------- the run
    def run(self) -> ProvisionedStack:
        resources = self.template.resources
        check_types(resources)
        order = TopologicalSorter(dependencies(resources)).static_order()
        for logical_id in order:
            self.stack.resources[logical_id] = self._provision(logical_id, resources[logical_id])
        self.stack.outputs = {
            name: resolve(output.get("Value"), self.scope)
            for name, output in self.template.outputs.items()
        }
        return self.stack

    def _provision(self, logical_id: str, resource: Mapping[str, Any]) -> Physical:
        resource_type = str(resource["Type"])
        if resource_type in NOT_EMULATED:
            return self._not_emulated(logical_id, resource_type)
        properties = resolve(resource.get("Properties", {}), self.scope) or {}
        digest = _digest(properties) if resource_type in CREATORS else ""
        kept = self.existing.get(logical_id)
        if digest and kept is not None and kept.resource_type == resource_type:
            return self._keep(logical_id, kept, digest)
        handler = CREATORS.get(resource_type) or RECORDERS[resource_type]
        try:
            physical = handler(self, logical_id, properties)
        except UnsupportedResourceType:
            raise
        except Exception as exc:
            raise ProvisioningError(
                f"cannot provision {logical_id} ({resource_type}): {exc}"
            ) from exc
        log.debug("provisioned %s (%s) -> %s", logical_id, resource_type, physical.ref)
        physical.digest = digest
        return physical

    def _keep(self, logical_id: str, kept: Physical, digest: str) -> Physical:
        """A resource restored with moto's saved state: it exists, with its data."""
        if kept.digest != digest:
            log.warning(
                "%s (%s) changed in the template since the local state was saved; the "
                "saved one is kept as it was: run `make run FRESH=1` to apply the change",
                logical_id,
                kept.resource_type,
            )
        # The saved digest stays: the change is still not applied at the next restart.
        return Physical(
            kept.resource_type, kept.ref, dict(kept.attributes), kept.emulated, kept.digest
        )

    def _not_emulated(self, logical_id: str, resource_type: str) -> Physical:
        name = self.physical_name(logical_id)
        return Physical(resource_type, _synthetic_ref(self, resource_type, name), {}, False)

    # ---------------------------------------------------------------- intrinsics
    def _ref(self, logical_id: str) -> Any:
        return self._physical(logical_id).ref

    def _get_att(self, logical_id: str, attribute: str) -> Any:
        physical = self._physical(logical_id)
        if attribute in physical.attributes:
            return physical.attributes[attribute]
        if not physical.emulated:
            return _synthetic_arn(self, physical.resource_type, physical.ref, attribute)
        raise ProvisioningError(f"{logical_id} has no attribute {attribute} locally")

    def _physical(self, logical_id: str) -> Physical:
        if logical_id not in self.stack.resources:
            raise ProvisioningError(f"{logical_id} is referenced before it exists")
        return self.stack.resources[logical_id]


def check_types(resources: Mapping[str, Mapping[str, Any]]) -> None:
    """Fail before creating anything if a resource type is not in one of the three lists."""
    for logical_id, resource in resources.items():
        resource_type = str(resource.get("Type"))
        known = resource_type in CREATORS or resource_type in RECORDERS
        if not known and resource_type not in NOT_EMULATED:
            raise UnsupportedResourceType(resource_type, logical_id)


def provision(
    template: Template,
    clients: AwsClients,
    stack_name: str,
    existing: Mapping[str, Physical] | None = None,
) -> ProvisionedStack:
    """Create and record every resource of the template; returns what was provisioned.

    ``existing``: resources that already exist in moto (restored from a saved state), by
    logical id. A creator's resource found there (same type) is kept as it is, not created
    again (a user pool created again would get a new id, and every token would break);
    recorders run as always, and a resource new in the template is created.
    """
    stack = Provisioning(template, clients, stack_name, existing).run()
    _add_triggers(stack)
    return stack


def _add_triggers(stack: ProvisionedStack) -> None:
    """Note on each function what invokes it (for .local/stack.json readers)."""
    functions = stack.functions
    for api in stack.rest_apis:
        for route in routes_of(api.body):
            if route.function_arn:
                function = stack.function_by_name_or_arn(route.function_arn)
                function.triggers.append(f"{route.method} {route.path}")
    for stream in stack.stream_sources:
        functions[stream.function].triggers.append(f"DynamoDB stream ({stream.logical_id})")
    for queue in stack.queue_sources:
        functions[queue.function].triggers.append(f"SQS {queue.queue_arn} ({queue.logical_id})")
    for dispatch in stack.rule_dispatches:
        functions[dispatch.function].triggers.append(f"EventBridge rule {dispatch.rule_name}")
    for schedule in stack.schedules:
        functions[schedule.function].triggers.append(f"schedule {schedule.expression}")


def _digest(properties: Any) -> str:
    text = json.dumps(properties, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _synthetic_ref(p: Provisioning, resource_type: str, name: str) -> str:
    if resource_type == "AWS::SNS::Topic":
        return p.arn("sns", name)
    return name


def _synthetic_arn(p: Provisioning, resource_type: str, name: str, attribute: str) -> str:
    """An ARN-shaped value for an attribute of a resource that is not emulated."""
    if resource_type == "AWS::IAM::Role" and attribute == "Arn":
        return p.arn("iam", f"role/{name}", region=False)
    if name.startswith("arn:"):
        return name
    service = resource_type.split("::")[1].lower()
    return p.arn(service, f"{name}/{attribute}")


# ==================================================================== creators (moto)
def create_dynamodb_table(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    name = props.get("TableName") or p.physical_name(logical_id)
    client = p.clients.dynamodb()
    client.create_table(**_table_request(name, props))
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
        )
    pitr = props.get("PointInTimeRecoverySpecification", {})
    if pitr.get("PointInTimeRecoveryEnabled"):
        client.update_continuous_backups(
            TableName=name,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
    table = client.describe_table(TableName=name)["Table"]
    attributes: dict[str, Any] = {"Arn": table["TableArn"]}
    if "LatestStreamArn" in table:
        attributes["StreamArn"] = table["LatestStreamArn"]
    return Physical("AWS::DynamoDB::Table", name, attributes)


_TABLE_PROPERTIES_IGNORED = {
    "ContributorInsightsSpecification": "no CloudWatch locally",
    "KinesisStreamSpecification": "Kinesis is not emulated",
    "ResourcePolicy": "IAM is not enforced locally",
    "TableClass": "a cost setting",
}


def _table_request(name: str, props: Mapping[str, Any]) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PROVISIONED"),
    }
    for key in ("ProvisionedThroughput", "GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if key in props:
            request[key] = props[key]
    if "DeletionProtectionEnabled" in props:
        request["DeletionProtectionEnabled"] = bool(props["DeletionProtectionEnabled"])
    stream = props.get("StreamSpecification")
    if stream:
        request["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": stream["StreamViewType"],
        }
    sse = props.get("SSESpecification")
    if sse:
        request["SSESpecification"] = {"Enabled": bool(sse.get("SSEEnabled"))} | {
            k: sse[k] for k in ("SSEType", "KMSMasterKeyId") if k in sse
        }
    if props.get("Tags"):
        request["Tags"] = props["Tags"]
    for key, reason in _TABLE_PROPERTIES_IGNORED.items():
        if key in props:
            log.debug("table %s: %s is ignored locally (%s)", name, key, reason)
    return request


def create_event_bus(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    name = props.get("Name") or p.physical_name(logical_id)
    client = p.clients.events()
    if name == "default":
        arn = p.arn("events", "event-bus/default")
    else:
        arn = client.create_event_bus(Name=name)["EventBusArn"]
    return Physical("AWS::Events::EventBus", name, {"Arn": arn, "Name": name})


_QUEUE_ATTRIBUTES = (
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "DelaySeconds",
    "FifoQueue",
    "FifoThroughputLimit",
    "KmsDataKeyReusePeriodSeconds",
    "KmsMasterKeyId",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "RedriveAllowPolicy",
    "RedrivePolicy",
    "SqsManagedSseEnabled",
    "VisibilityTimeout",
)


def create_sqs_queue(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    name = props.get("QueueName") or p.physical_name(logical_id)
    if props.get("FifoQueue") and not name.endswith(".fifo"):
        name += ".fifo"
    attributes = {key: _attribute_text(props[key]) for key in _QUEUE_ATTRIBUTES if key in props}
    return create_queue(p.clients, name, attributes, props.get("Tags", []))


def create_queue(
    clients: AwsClients,
    name: str,
    attributes: Mapping[str, str] | None = None,
    tags: list[dict[str, str]] | None = None,
) -> Physical:
    """Create an SQS queue (also the local stack's own dispatch queues)."""
    client = clients.sqs()
    request: dict[str, Any] = {"QueueName": name, "Attributes": dict(attributes or {})}
    if tags:
        request["tags"] = {t["Key"]: t["Value"] for t in tags}
    url = client.create_queue(**request)["QueueUrl"]
    arn = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return Physical("AWS::SQS::Queue", url, {"Arn": arn, "QueueName": name, "QueueUrl": url})


def create_queue_policy(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    """The policy becomes each queue's ``Policy`` attribute (moto keeps it, not enforces it)."""
    policy = json.dumps(props["PolicyDocument"])
    for url in props["Queues"]:
        p.clients.sqs().set_queue_attributes(QueueUrl=str(url), Attributes={"Policy": policy})
    return Physical("AWS::SQS::QueuePolicy", p.physical_name(logical_id))


def _attribute_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


_USER_POOL_PROPERTIES = (
    "AccountRecoverySetting",
    "AdminCreateUserConfig",
    "AliasAttributes",
    "AutoVerifiedAttributes",
    "DeletionProtection",
    "DeviceConfiguration",
    "EmailConfiguration",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "LambdaConfig",
    "MfaConfiguration",
    "Policies",
    "Schema",
    "SmsAuthenticationMessage",
    "SmsConfiguration",
    "SmsVerificationMessage",
    "UserAttributeUpdateSettings",
    "UserPoolAddOns",
    "UserPoolTags",
    "UsernameAttributes",
    "UsernameConfiguration",
    "VerificationMessageTemplate",
)


def create_user_pool(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    name = props.get("UserPoolName") or p.physical_name(logical_id)
    request = {k: props[k] for k in _USER_POOL_PROPERTIES if k in props}
    client = p.clients.cognito()
    pool = client.create_user_pool(PoolName=name, **request)["UserPool"]
    pool_id = pool["Id"]
    if "SOFTWARE_TOKEN_MFA" in props.get("EnabledMfas", []):
        client.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration=props.get("MfaConfiguration", "OPTIONAL"),
        )
    issuer = f"cognito-idp.{p.stack.region}.amazonaws.com/{pool_id}"
    attributes = {
        "Arn": pool["Arn"],
        "ProviderName": issuer,
        "ProviderURL": f"https://{issuer}",
        "UserPoolId": pool_id,
    }
    return Physical("AWS::Cognito::UserPool", pool_id, attributes)


def create_user_pool_client(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    client = p.clients.cognito()
    created = client.create_user_pool_client(**props)["UserPoolClient"]
    attributes = {"ClientId": created["ClientId"], "Name": created["ClientName"]}
    if created.get("ClientSecret"):
        attributes["ClientSecret"] = created["ClientSecret"]
    return Physical("AWS::Cognito::UserPoolClient", created["ClientId"], attributes)


def create_user_pool_group(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    name = props.get("GroupName") or p.physical_name(logical_id)
    p.clients.cognito().create_group(**(props | {"GroupName": name}))
    return Physical("AWS::Cognito::UserPoolGroup", name)


def create_s3_bucket(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    name = props.get("BucketName") or p.physical_name(logical_id).lower()
    s3 = p.clients.s3()
    if p.stack.region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(
            Bucket=name,
            CreateBucketConfiguration=cast(Any, {"LocationConstraint": p.stack.region}),
        )
    for key, configure in _BUCKET_SETTINGS.items():
        if key in props:
            configure(p, name, props[key])
    for key, reason in _BUCKET_PROPERTIES_IGNORED.items():
        if key in props:
            log.debug("bucket %s: %s is ignored locally (%s)", name, key, reason)
    domain = f"{name}.s3.amazonaws.com"
    attributes = {
        "Arn": f"arn:aws:s3:::{name}",
        "DomainName": domain,
        "RegionalDomainName": f"{name}.s3.{p.stack.region}.amazonaws.com",
        "WebsiteURL": f"http://{name}.s3-website-{p.stack.region}.amazonaws.com",
    }
    return Physical("AWS::S3::Bucket", name, attributes)


def _bucket_encryption(p: Provisioning, name: str, value: dict[str, Any]) -> None:
    """CloudFormation says ServerSideEncryptionByDefault where S3 says Apply...ByDefault."""
    rules = [
        {
            ("ApplyServerSideEncryptionByDefault" if k == "ServerSideEncryptionByDefault" else k): v
            for k, v in rule.items()
        }
        for rule in value["ServerSideEncryptionConfiguration"]
    ]
    p.clients.s3().put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration=cast(Any, {"Rules": rules}),
    )


def _bucket_public_access(p: Provisioning, name: str, value: dict[str, Any]) -> None:
    p.clients.s3().put_public_access_block(
        Bucket=name, PublicAccessBlockConfiguration=cast(Any, value)
    )


def _bucket_ownership(p: Provisioning, name: str, value: dict[str, Any]) -> None:
    p.clients.s3().put_bucket_ownership_controls(Bucket=name, OwnershipControls=cast(Any, value))


def _bucket_versioning(p: Provisioning, name: str, value: dict[str, Any]) -> None:
    p.clients.s3().put_bucket_versioning(Bucket=name, VersioningConfiguration=cast(Any, value))


def _bucket_cors(p: Provisioning, name: str, value: dict[str, Any]) -> None:
    """CloudFormation's CorsRules spell two fields differently from the S3 API."""
    renamed = {"ExposedHeaders": "ExposeHeaders", "Id": "ID", "MaxAge": "MaxAgeSeconds"}
    rules = [{renamed.get(k, k): v for k, v in rule.items()} for rule in value["CorsRules"]]
    p.clients.s3().put_bucket_cors(Bucket=name, CORSConfiguration=cast(Any, {"CORSRules": rules}))


_BUCKET_SETTINGS: dict[str, Callable[[Provisioning, str, dict[str, Any]], None]] = {
    "BucketEncryption": _bucket_encryption,
    "PublicAccessBlockConfiguration": _bucket_public_access,
    "OwnershipControls": _bucket_ownership,
    "VersioningConfiguration": _bucket_versioning,
    "CorsConfiguration": _bucket_cors,
}

_BUCKET_PROPERTIES_IGNORED = {
    "LifecycleConfiguration": "objects do not expire locally",
    "LoggingConfiguration": "no access logs locally",
    "NotificationConfiguration": "bucket notifications are not emulated",
    "Tags": "tags have no local effect",
}


# ==================================================================== KMS and SES
def create_kms_key(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    """A key as CloudFormation makes it: ``Ref`` is the key id; asymmetric keys included
    (``KeySpec: ECC_NIST_P256`` / ``RSA_2048`` with ``KeyUsage: SIGN_VERIFY`` sign for real)."""
    request: dict[str, Any] = {
        "KeyUsage": props.get("KeyUsage", "ENCRYPT_DECRYPT"),
        "KeySpec": props.get("KeySpec", "SYMMETRIC_DEFAULT"),
    }
    for key in ("Description", "Origin", "MultiRegion"):
        if key in props:
            request[key] = props[key]
    if "KeyPolicy" in props:
        policy = props["KeyPolicy"]
        request["Policy"] = policy if isinstance(policy, str) else json.dumps(policy)
    if props.get("Tags"):
        request["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in props["Tags"]]
    client = p.clients.kms()
    metadata = client.create_key(**request)["KeyMetadata"]
    key_id = metadata["KeyId"]
    if str(props.get("EnableKeyRotation", "false")).lower() == "true":
        client.enable_key_rotation(KeyId=key_id)
    if str(props.get("Enabled", "true")).lower() == "false":
        client.disable_key(KeyId=key_id)
    for key, reason in _KMS_KEY_PROPERTIES_IGNORED.items():
        if key in props:
            log.debug("key %s: %s is ignored locally (%s)", logical_id, key, reason)
    return Physical("AWS::KMS::Key", key_id, {"Arn": metadata["Arn"], "KeyId": key_id})


_KMS_KEY_PROPERTIES_IGNORED = {
    "PendingWindowInDays": "keys are never deleted locally",
    "BypassPolicyLockoutSafetyCheck": "key policies are not enforced locally",
    "RotationPeriodInDays": "keys never rotate by themselves locally",
}


def create_kms_alias(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    name = str(props["AliasName"])
    p.clients.kms().create_alias(AliasName=name, TargetKeyId=str(props["TargetKeyId"]))
    return Physical("AWS::KMS::Alias", name)


def create_ses_configuration_set(
    p: Provisioning, logical_id: str, props: dict[str, Any]
) -> Physical:
    """CloudFormation's options have the SESv2 API's shapes, so they pass through as they are."""
    name = props.get("Name") or p.physical_name(logical_id)
    request: dict[str, Any] = {"ConfigurationSetName": name}
    for key in _CONFIGURATION_SET_OPTIONS:
        if key in props:
            request[key] = props[key]
    if props.get("Tags"):
        request["Tags"] = props["Tags"]
    p.clients.sesv2().create_configuration_set(**request)
    return Physical("AWS::SES::ConfigurationSet", name)


_CONFIGURATION_SET_OPTIONS = (
    "DeliveryOptions",
    "ReputationOptions",
    "SendingOptions",
    "SuppressionOptions",
    "TrackingOptions",
    "VdmOptions",
)


def create_ses_email_identity(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    """A sending identity (an address or a domain): moto counts it verified at once, so mail
    from it (or from any address of the domain) is accepted."""
    identity = str(props["EmailIdentity"])
    request: dict[str, Any] = {"EmailIdentity": identity}
    configuration_set = props.get("ConfigurationSetAttributes", {}).get("ConfigurationSetName")
    if configuration_set:
        request["ConfigurationSetName"] = configuration_set
    if props.get("Tags"):
        request["Tags"] = props["Tags"]
    if props.get("DkimSigningAttributes"):  # the same field names as the SESv2 API's
        request["DkimSigningAttributes"] = props["DkimSigningAttributes"]
    p.clients.sesv2().create_email_identity(**request)
    for key in ("DkimAttributes", "FeedbackAttributes", "MailFromAttributes"):
        if key in props:
            log.debug("identity %s: %s is ignored locally (no DNS, no real mail)", identity, key)
    # Easy DKIM's three CNAME records: moto makes no tokens, and there is no DNS to put them in.
    dkim = {f"DkimDNSToken{part}{n}": "" for part in ("Name", "Value") for n in (1, 2, 3)}
    return Physical("AWS::SES::EmailIdentity", identity, dkim)


def create_secret(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    """A Secrets Manager secret; ``GenerateSecretString`` draws its value as AWS does (moto's
    GetRandomPassword with the same options). ``Ref`` is the ARN."""
    client = p.clients.secretsmanager()
    name = props.get("Name") or p.physical_name(logical_id)
    value = props.get("SecretString")
    generate = props.get("GenerateSecretString")
    if value is None and generate is not None:
        options = {k: v for k, v in generate.items() if k in _RANDOM_PASSWORD_OPTIONS}
        value = client.get_random_password(**options)["RandomPassword"]
    request: dict[str, Any] = {"Name": name, "SecretString": value or ""}
    if "Description" in props:
        request["Description"] = props["Description"]
    arn = client.create_secret(**request)["ARN"]
    return Physical("AWS::SecretsManager::Secret", arn, {"Id": arn})


_RANDOM_PASSWORD_OPTIONS = (
    "PasswordLength",
    "ExcludeCharacters",
    "ExcludeNumbers",
    "ExcludePunctuation",
    "ExcludeUppercase",
    "ExcludeLowercase",
    "IncludeSpace",
    "RequireEachIncludedType",
)


# ==================================================================== recorders
def record_function(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    name = props.get("FunctionName") or p.physical_name(logical_id)
    arn = p.arn("lambda", f"function:{name}")
    variables = props.get("Environment", {}).get("Variables", {})
    p.stack.functions[logical_id] = FunctionSpec(
        logical_id=logical_id,
        name=name,
        arn=arn,
        handler=str(props["Handler"]),
        environment={k: str(v) for k, v in variables.items()},
        memory_mb=int(props.get("MemorySize", 128)),
        timeout_s=int(props.get("Timeout", 3)),
        table_policy=_table_statements(p, logical_id),
        table_arn=_table_arn(p),
    )
    return Physical("AWS::Lambda::Function", name, {"Arn": arn}, emulated=False)


def _table_statements(p: Provisioning, logical_id: str) -> list[dict[str, Any]]:
    return table_statements(p.template, logical_id, p.scope)


def table_statements(template: Template, logical_id: str, scope: Scope) -> list[dict[str, Any]]:
    """The statements of a function's role (inline and managed policies of this template) that
    name a DynamoDB action, resolved in ``scope``, each ``Action`` a list: what the local table
    guard enforces, and what tests/unit/test_table_policies.py compares with its grants."""
    role_ref = template.resources[logical_id]["Properties"].get("Role")
    if not (isinstance(role_ref, Mapping) and "Fn::GetAtt" in role_ref):
        return []
    role = template.resources[role_ref["Fn::GetAtt"][0]].get("Properties", {})
    documents = [policy["PolicyDocument"] for policy in role.get("Policies", [])]
    for arn in role.get("ManagedPolicyArns", []):
        if isinstance(arn, Mapping) and "Ref" in arn and arn["Ref"] in template.resources:
            documents.append(template.resources[arn["Ref"]]["Properties"]["PolicyDocument"])
    statements = []
    for document in documents:
        for statement in resolve(document, scope).get("Statement", []):
            actions = statement.get("Action", [])
            actions = list(actions) if isinstance(actions, list) else [actions]
            if any(str(a).startswith("dynamodb:") for a in actions):
                statements.append(statement | {"Action": actions})
    return statements


def _table_arn(p: Provisioning) -> str:
    tables = [
        physical.attributes.get("Arn", "")
        for physical in p.stack.resources.values()
        if physical.resource_type == "AWS::DynamoDB::Table"
    ]
    return str(tables[0]) if len(tables) == 1 else ""


def record_event_source_mapping(
    p: Provisioning, logical_id: str, props: dict[str, Any]
) -> Physical:
    function = p.stack.function_by_name_or_arn(str(props["FunctionName"]))
    source_arn = str(props.get("EventSourceArn", ""))
    patterns = [
        json.loads(f["Pattern"]) for f in props.get("FilterCriteria", {}).get("Filters", [])
    ]
    partial = "ReportBatchItemFailures" in props.get("FunctionResponseTypes", [])
    if ":dynamodb:" in source_arn and "/stream/" in source_arn:
        on_failure = props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        p.stack.stream_sources.append(
            StreamSource(
                logical_id=logical_id,
                function=function.logical_id,
                stream_arn=source_arn,
                batch_size=int(props.get("BatchSize", 100)),
                starting_position=str(props.get("StartingPosition", "LATEST")),
                filter_patterns=patterns,
                maximum_retry_attempts=int(props.get("MaximumRetryAttempts", -1)),
                maximum_record_age_s=int(props.get("MaximumRecordAgeInSeconds", -1)),
                report_batch_item_failures=partial,
                on_failure_queue_url=_queue_url_of(p, on_failure) if on_failure else None,
            )
        )
    elif source_arn.startswith("arn:aws:sqs:"):
        p.stack.queue_sources.append(
            QueueSource(
                logical_id=logical_id,
                function=function.logical_id,
                queue_url=_queue_url_of(p, source_arn),
                queue_arn=source_arn,
                batch_size=int(props.get("BatchSize", 10)),
                filter_patterns=patterns,
                report_batch_item_failures=partial,
            )
        )
    else:
        raise ProvisioningError(f"event source {source_arn!r} is not emulated (DynamoDB, SQS)")
    return Physical("AWS::Lambda::EventSourceMapping", p.physical_name(logical_id), {}, False)


def _queue_url_of(p: Provisioning, arn: str) -> str:
    for physical in p.stack.resources.values():
        if physical.resource_type == "AWS::SQS::Queue" and physical.attributes["Arn"] == arn:
            return physical.ref
    raise ProvisioningError(f"{arn} is not a queue of this template")


def record_events_rule(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    name = props.get("Name") or p.physical_name(logical_id)
    bus = _bus_name(props.get("EventBusName", "default"))
    arn = p.arn("events", f"rule/{name}" if bus == "default" else f"rule/{bus}/{name}")
    if "ScheduleExpression" in props:
        _record_schedules(p, logical_id, name, arn, props)
    elif "EventPattern" in props:
        _put_pattern_rule(p, logical_id, name, bus, props)
    else:
        raise ProvisioningError("a rule needs ScheduleExpression or EventPattern")
    return Physical("AWS::Events::Rule", name, {"Arn": arn})


def _bus_name(name_or_arn: str) -> str:
    return name_or_arn.split("event-bus/", 1)[1] if ":event-bus/" in name_or_arn else name_or_arn


def _record_schedules(
    p: Provisioning, logical_id: str, name: str, arn: str, props: Mapping[str, Any]
) -> None:
    for target in props.get("Targets", []):
        function = _lambda_target(p, logical_id, target)
        retry = target.get("RetryPolicy", {})
        dead_letter = target.get("DeadLetterConfig", {}).get("Arn")
        p.stack.schedules.append(
            Schedule(
                rule_logical_id=logical_id,
                rule_name=name,
                rule_arn=arn,
                expression=str(props["ScheduleExpression"]),
                function=function.logical_id,
                target_id=str(target["Id"]),
                input=target.get("Input"),
                maximum_retry_attempts=int(retry.get("MaximumRetryAttempts", 2)),
                dead_letter_queue_url=_queue_url_of(p, dead_letter) if dead_letter else None,
            )
        )


def _put_pattern_rule(
    p: Provisioning, logical_id: str, name: str, bus: str, props: Mapping[str, Any]
) -> None:
    pattern = props["EventPattern"]
    client = p.clients.events()
    client.put_rule(
        Name=name,
        EventBusName=bus,
        EventPattern=pattern if isinstance(pattern, str) else json.dumps(pattern),
        State=props.get("State", "ENABLED"),
    )
    targets = [_local_target(p, logical_id, name, target) for target in props.get("Targets", [])]
    if targets:
        client.put_targets(Rule=name, EventBusName=bus, Targets=targets)


def _local_target(
    p: Provisioning, logical_id: str, rule_name: str, target: Mapping[str, Any]
) -> Any:
    """SQS targets as they are; a function target becomes a dispatch queue (see RuleDispatch)."""
    arn = str(target["Arn"])
    kept = {k: target[k] for k in ("Id", "Input", "InputPath", "InputTransformer") if k in target}
    if arn.startswith("arn:aws:sqs:"):
        return kept | {"Arn": arn}
    function = _lambda_target(p, logical_id, target)
    queue = create_queue(p.clients, p.physical_name(logical_id, f"-{target['Id']}")[:80])
    retry = target.get("RetryPolicy", {})
    dead_letter = target.get("DeadLetterConfig", {}).get("Arn")
    p.stack.rule_dispatches.append(
        RuleDispatch(
            rule_logical_id=logical_id,
            rule_name=rule_name,
            target_id=str(target["Id"]),
            function=function.logical_id,
            queue_url=queue.ref,
            queue_arn=queue.attributes["Arn"],
            maximum_retry_attempts=int(retry.get("MaximumRetryAttempts", 2)),
            dead_letter_queue_url=_queue_url_of(p, dead_letter) if dead_letter else None,
        )
    )
    return kept | {"Arn": queue.attributes["Arn"]}


def _lambda_target(p: Provisioning, logical_id: str, target: Mapping[str, Any]) -> FunctionSpec:
    arn = str(target["Arn"])
    if ":lambda:" not in arn:
        raise ProvisioningError(f"rule {logical_id}: target {arn} is not emulated (Lambda, SQS)")
    return p.stack.function_by_name_or_arn(arn)


def record_rest_api(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    if "Body" not in props:
        raise ProvisioningError("the local gateway needs the API definition inline (Body)")
    digest = hashlib.sha256(f"{p.stack.stack_name}/{logical_id}".encode()).hexdigest()
    api_id = digest[:10]
    p.stack.rest_apis.append(RestApiSpec(logical_id, api_id, props["Body"]))
    return Physical("AWS::ApiGateway::RestApi", api_id, {"RootResourceId": "root"}, False)


def record_api_stage(p: Provisioning, logical_id: str, props: dict[str, Any]) -> Physical:
    stage = str(props["StageName"])
    api_id = str(props["RestApiId"])
    for index, api in enumerate(p.stack.rest_apis):
        if api.api_id == api_id:
            p.stack.rest_apis[index] = RestApiSpec(api.logical_id, api.api_id, api.body, stage)
    return Physical("AWS::ApiGateway::Stage", stage, {}, False)


ResourceHandler = Callable[[Provisioning, str, dict[str, Any]], Physical]

#: Created in moto.
CREATORS: dict[str, ResourceHandler] = {
    "AWS::DynamoDB::Table": create_dynamodb_table,
    "AWS::Events::EventBus": create_event_bus,
    "AWS::SQS::Queue": create_sqs_queue,
    "AWS::SQS::QueuePolicy": create_queue_policy,
    "AWS::Cognito::UserPool": create_user_pool,
    "AWS::Cognito::UserPoolClient": create_user_pool_client,
    "AWS::Cognito::UserPoolGroup": create_user_pool_group,
    "AWS::S3::Bucket": create_s3_bucket,
    "AWS::KMS::Key": create_kms_key,
    "AWS::KMS::Alias": create_kms_alias,
    "AWS::SES::ConfigurationSet": create_ses_configuration_set,
    "AWS::SES::EmailIdentity": create_ses_email_identity,
    "AWS::SecretsManager::Secret": create_secret,
}

#: Not created in moto, recorded for the gateway, the workers and the scheduler.
RECORDERS: dict[str, ResourceHandler] = {
    "AWS::Lambda::Function": record_function,
    "AWS::Lambda::EventSourceMapping": record_event_source_mapping,
    "AWS::Events::Rule": record_events_rule,
    "AWS::ApiGateway::RestApi": record_rest_api,
    "AWS::ApiGateway::Stage": record_api_stage,
}

#: Deliberately skipped, with the reason. ``Ref``/``GetAtt`` on them give ARN-shaped names.
NOT_EMULATED: dict[str, str] = {
    "AWS::IAM::Role": "IAM is not enforced locally; functions run as local processes",
    "AWS::IAM::Policy": "IAM is not enforced locally",
    "AWS::IAM::ManagedPolicy": "IAM is not enforced locally",
    "AWS::Lambda::Permission": "the gateway, workers and scheduler invoke functions directly",
    "AWS::Lambda::EventInvokeConfig": (
        "the scheduler retries a failed run and dead-letters it itself (into the queue that is "
        "the template's on-failure destination too)"
    ),
    "AWS::CloudWatch::Alarm": "there are no metrics locally",
    "AWS::CloudFront::Distribution": "`make run` serves the web bundle itself (infra/local/web.py)",
    "AWS::CloudFront::OriginAccessControl": "`make run` serves the web bundle itself",
    "AWS::SNS::Topic": "only alarms publish to SNS, and alarms are not emulated",
    "AWS::SNS::Subscription": "only alarms publish to SNS, and alarms are not emulated",
    "AWS::Events::Archive": "every event on the bus is appended to .local/events.jsonl instead",
    "AWS::Logs::LogGroup": "functions log to the local stack's output",
    "AWS::ApiGateway::Deployment": "the local gateway serves the RestApi body directly",
    "AWS::ApiGateway::Account": "API Gateway logging is an account setting",
    "AWS::S3::BucketPolicy": "moto does not enforce bucket policies (nor TLS-only access)",
    "AWS::WAFv2::WebACL": "there is no firewall in front of the local gateway (EnableWaf)",
    "AWS::WAFv2::WebACLAssociation": "there is no firewall in front of the local gateway",
    "AWS::SES::ConfigurationSetEventDestination": (
        "moto's SES delivers no mail, so there are no delivery, bounce or complaint events to route"
    ),
}
