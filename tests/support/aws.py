"""Create the template's core resources in whatever AWS boto3 points at (moto, in-process)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from cfnlint.decode import decode


@dataclass
class Resources:
    table_name: str
    bus_name: str
    user_pool_id: str
    client_id: str
    evidence_bucket: str = "nqms-test-evidence"

    def environment(self) -> dict[str, str]:
        return {
            "TABLE_NAME": self.table_name,
            "EVENT_BUS_NAME": self.bus_name,
            "USER_POOL_ID": self.user_pool_id,
            "ALLOWED_ORIGINS": "http://localhost:3000",
            "EVIDENCE_BUCKET": self.evidence_bucket,
        }


def create_resources(template_path: Path) -> Resources:
    template, errors = decode(str(template_path))
    assert not errors, errors
    res: dict[str, Any] = template["Resources"]
    table = res["Table"]["Properties"]
    ddb = boto3.client("dynamodb", region_name="us-east-1")
    gsis = [
        {k: v for k, v in g.items() if k in {"IndexName", "KeySchema", "Projection"}}
        for g in table["GlobalSecondaryIndexes"]
    ]
    ddb.create_table(
        TableName="nqms-test",
        AttributeDefinitions=table["AttributeDefinitions"],
        KeySchema=table["KeySchema"],
        GlobalSecondaryIndexes=gsis,
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    events = boto3.client("events", region_name="us-east-1")
    events.create_event_bus(Name="nqms-test")
    idp = boto3.client("cognito-idp", region_name="us-east-1")
    pool = idp.create_user_pool(PoolName="nqms-test", UsernameAttributes=["email"])["UserPool"]
    for group in ("program-staff", "affiliate-staff", "national-staff"):
        idp.create_group(UserPoolId=pool["Id"], GroupName=group)
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="test", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="nqms-test-evidence")
    return Resources("nqms-test", "nqms-test", pool["Id"], client["ClientId"])
