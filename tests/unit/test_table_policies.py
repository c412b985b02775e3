"""Least privilege on the table (issue 18 item 4): each function's policy in the template is
exactly what the table below says its code uses, and the local stack enforces it.

Reads are unconditioned (tenancy is the access rules' job, checked on every request); writes
name the actions the code calls and the partition keys it writes. Every e2e, deploy and fuzz
test runs each function under this policy (infra/local/table_guard.py refuses anything else with
AccessDenied, as IAM would), so a grant the code needs and the table lacks fails there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from infra.local.intrinsics import Scope
from infra.local.resources import table_statements
from infra.local.table_guard import AccessDenied, TableGuard
from infra.local.template import Template, load_template

GET, BATCH_GET, QUERY = "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"
CHECK = "dynamodb:ConditionCheckItem"
PUT, UPDATE, DELETE = "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"
ALL_READS = [GET, BATCH_GET, QUERY, CHECK]
TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/unit-Table"


@dataclass(frozen=True)
class Grant:
    reads: list[str]
    #: (actions, partition key patterns), one statement each
    writes: list[tuple[list[str], list[str]]]


#: What each function's code does with the table. Appends (AUDIT#, OUTBOX#, INBOX#) are PutItem
#: only; IDEMPOTENCY# is Powertools' idempotency (put, update on success, delete on failure).
GRANTS = {
    "DirectoryFunction": Grant(
        reads=ALL_READS,
        writes=[
            ([PUT], ["AFFILIATE#*", "AFFILIATE_NAME#*", "USER#*", "AUDIT#*", "OUTBOX#*"]),
            ([PUT, UPDATE], ["PROGRAM#*"]),  # programs, and their links to affiliates
            # a rename rewrites the name's copies: cycles, queue entries, badges, listings
            ([PUT], ["CYCLE#*", "BADGE#*"]),
            ([UPDATE], ["REVIEW#*", "LISTING#*"]),
            ([DELETE], ["USER#*"]),  # a removed member's membership
            ([PUT, UPDATE, DELETE], ["IDEMPOTENCY#*"]),
        ],
    ),
    "AssessmentFunction": Grant(
        reads=[GET, QUERY, CHECK],
        writes=[
            # cycles and answers; evidence under the program; the review queue entries and the
            # reminders' watch a submission or a return changes
            ([PUT, UPDATE, DELETE], ["CYCLE#*", "PROGRAM#*", "REVIEW#*", "REMINDER#*"]),
            ([PUT], ["AUDIT#*", "OUTBOX#*"]),
            ([PUT, UPDATE, DELETE], ["IDEMPOTENCY#*"]),
        ],
    ),
    "ReviewFunction": Grant(
        reads=ALL_READS,
        writes=[
            ([PUT, UPDATE], ["CYCLE#*", "REVIEW#*"]),
            ([PUT], ["MEETING#*", "AUDIT#*", "OUTBOX#*"]),  # each meeting version, kept as sent
        ],
    ),
    "PlanFunction": Grant(
        reads=ALL_READS,
        writes=[([PUT], ["CYCLE#*", "PLAN#*", "AUDIT#*", "OUTBOX#*"])],
    ),
    # Documents: the cycle, its answers and plan, the program's cycles; each download audited.
    # + a research export's request and its event; requests replayed by Idempotency-Key
    "ReportFunction": Grant(
        reads=[GET, BATCH_GET, QUERY],
        writes=[
            ([PUT], ["AUDIT#*", "RESEARCH_EXPORT#*", "OUTBOX#*"]),
            ([PUT, UPDATE, DELETE], ["IDEMPOTENCY#*"]),
        ],
    ),
    # The export marked ready with its event, once (inbox).
    "ResearchExportFunction": Grant(
        reads=[GET, BATCH_GET, QUERY],
        writes=[([PUT], ["RESEARCH_EXPORT#*", "INBOX#*", "OUTBOX#*"])],
    ),
    # A cycle's contribution, the program's cycles per cell and the inbox (puts); the counters
    # and the grid, kept with ADD (updates).
    "ReportAggregatesFunction": Grant(
        reads=[GET, BATCH_GET, QUERY],
        writes=[
            ([PUT], ["CONTRIBUTION#*", "PROGRAM_CELLS#*", "INBOX#*"]),
            ([UPDATE], ["AGGREGATE#*"]),
        ],
    ),
    # The public face: badges (a revocation, a credential kept on the badge), the listing, the
    # published signing keys; nothing of a program's answers, plan or review.
    "BadgeFunction": Grant(
        reads=[GET, BATCH_GET, QUERY],
        writes=[
            ([PUT, UPDATE], ["BADGE#*"]),
            ([UPDATE], ["LISTING#*"]),
            ([PUT], ["REVOKED#*", "SIGNING-KEYS", "AUDIT#*", "OUTBOX#*"]),  # + revocation lists
        ],
    ),
    "BadgeIssuerFunction": Grant(
        reads=[GET, BATCH_GET, QUERY],
        writes=[
            ([PUT], ["BADGE#*", "SIGNING-KEYS", "INBOX#*", "OUTBOX#*"]),
            ([UPDATE], ["LISTING#*"]),
        ],
    ),
    "BadgeExpiryFunction": Grant(
        reads=[GET, QUERY],
        writes=[
            ([PUT, DELETE], ["BADGE#*"]),
            ([UPDATE], ["LISTING#*"]),
            ([PUT], ["JOB#*", "OUTBOX#*"]),
        ],
    ),
    "ReminderFunction": Grant(
        reads=ALL_READS,
        writes=[([PUT, DELETE], ["REMINDER#*", "DIGEST#*"]), ([PUT], ["JOB#*", "OUTBOX#*"])],
    ),
    "NotifyFunction": Grant(
        reads=[GET, BATCH_GET, QUERY],
        writes=[([PUT, DELETE], ["INBOX#*"])],  # a claim per recipient, released if SES refuses
    ),
    "NotifyApiFunction": Grant(reads=[GET, BATCH_GET, QUERY], writes=[([PUT], ["USER#*"])]),
    "MailEventsFunction": Grant(reads=[], writes=[([PUT], ["MAIL_SUPPRESSION#*"])]),
    # The outbox functions: OutboxRecordsPolicy (outbox records only) and the pending index.
    "OutboxRelayFunction": Grant(reads=[], writes=[([BATCH_GET, UPDATE], ["OUTBOX#*"])]),
    "OutboxSweeperFunction": Grant(reads=[QUERY], writes=[([BATCH_GET, UPDATE], ["OUTBOX#*"])]),
}


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template(region="us-east-1", account_id="123456789012", stack_name="unit")


def _statements(template: Template, function: str) -> list[dict[str, Any]]:
    """The function role's statements that name a DynamoDB action, resolved as the local stack
    resolves them for its guard (the table's ARN: TABLE)."""
    scope = Scope(
        parameters=template.parameters,
        conditions=template.conditions,
        ref=lambda name: f"ref:{name}",
        get_att=lambda name, attribute: TABLE if (name, attribute) == ("Table", "Arn") else name,
    )
    return table_statements(template, function, scope)


def _as_grant(statements: list[dict[str, Any]]) -> Grant:
    reads: list[str] = []
    writes = []
    for statement in statements:
        condition = statement.get("Condition")
        if condition is None:
            reads += statement["Action"]
        else:
            keys = condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
            writes.append((statement["Action"], keys))
    return Grant(reads=reads, writes=writes)


def test_every_function_that_touches_the_table_is_in_the_grants_table(template: Template) -> None:
    touching = {
        name
        for name, resource in template.source["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function" and _statements(template, name)
    }
    assert touching == set(GRANTS)


@pytest.mark.parametrize("function", sorted(GRANTS))
def test_a_functions_table_policy_is_exactly_its_grant(template: Template, function: str) -> None:
    assert _as_grant(_statements(template, function)) == GRANTS[function]


@pytest.mark.parametrize("function", sorted(GRANTS))
def test_no_function_may_scan_or_write_without_naming_its_partition_keys(
    template: Template, function: str
) -> None:
    for statement in _statements(template, function):
        assert "dynamodb:Scan" not in statement["Action"]
        assert not any("*" in a for a in statement["Action"])
        if set(statement["Action"]) & {PUT, UPDATE, DELETE}:
            assert "Condition" in statement, (function, statement)


def test_the_public_badge_api_cannot_write_a_programs_answers_plan_or_review(
    template: Template,
) -> None:
    guard = TableGuard(_statements(template, "BadgeFunction"), TABLE)

    for pk in ("CYCLE#c1", "PLAN#c1", "REVIEW#c1", "PROGRAM#p1", "USER#u1"):
        for action in (PUT, UPDATE, DELETE):
            assert not guard.allows(action, TABLE, [pk]), (action, pk)
    assert guard.allows(GET, TABLE, ["CYCLE#c1"])  # it reads what a badge page shows
    assert guard.allows(UPDATE, TABLE, ["BADGE#b1"])


# ---------------------------------------------------------------- the local guard itself
def test_the_guard_checks_each_item_of_a_transaction() -> None:
    guard = TableGuard(
        [
            {"Effect": "Allow", "Action": [GET], "Resource": [TABLE]},
            {
                "Effect": "Allow",
                "Action": [PUT],
                "Resource": TABLE,
                "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["OUTBOX#*"]}},
            },
        ],
        TABLE,
    )
    allowed = {"TransactItems": [{"Put": {"Item": {"pk": {"S": "OUTBOX#e1"}}}}]}
    mixed = {
        "TransactItems": [
            {"Put": {"Item": {"pk": {"S": "OUTBOX#e1"}}}},
            {"Update": {"Key": {"pk": {"S": "OUTBOX#e2"}}}},
        ]
    }

    guard.check("TransactWriteItems", allowed)
    guard.check("GetItem", {"Key": {"pk": {"S": "CYCLE#c1"}}})
    with pytest.raises(AccessDenied, match="dynamodb:UpdateItem"):
        guard.check("TransactWriteItems", mixed)
    with pytest.raises(AccessDenied, match="dynamodb:PutItem"):
        guard.check("PutItem", {"Item": {"pk": {"S": "CYCLE#c1"}}})
    with pytest.raises(AccessDenied, match="dynamodb:Query"):
        guard.check("Query", {"IndexName": "gsi1"})  # the index is not in the statement
