"""The evidence library through the assessment handler: real REST events, AWS mocked in-process.

Uploads and downloads go through the presigned form and link with ``requests``; in-process
moto answers them like S3 would, except that it does not enforce the form's policy. So
:func:`post_file` first checks the form's policy the way S3 does (:func:`policy_refusal`), and
the tests that need a file the policy would refuse to reach the bucket anyway post it raw.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import requests
from botocore.stub import Stubber

from functions.directory.bootstrap import create_national_admin
from shared.adapters import aws
from shared.domain.instrument import load_instrument
from shared.settings import get_settings
from tests.support import aws as support
from tests.support.lambdas import User, header, invoke, table_items

EVIDENCE = "/programs/{programId}/evidence"
DOCUMENT = "/programs/{programId}/evidence/{documentId}"
CONFIRM = DOCUMENT + "/confirm"
LINKS = DOCUMENT + "/links"
DOWNLOAD = DOCUMENT + "/download"
PDF = b"%PDF-1.7\n" + b"evidence " * 40


def bucket() -> str:
    """The template's evidence bucket, as the function sees it."""
    return os.environ["EVIDENCE_BUCKET"]


def call(method: str, resource: str, user: User | None, params: dict[str, str] | None = None, **kw):
    from functions.assessment.handler import lambda_handler

    return invoke(lambda_handler, method, resource, user, params, **kw)


def directory(method: str, resource: str, user: User, params: dict[str, str] | None = None, **kw):
    from functions.directory.handler import lambda_handler

    status, body, _ = invoke(lambda_handler, method, resource, user, params, **kw)
    assert status == 201, body
    return body


@dataclass
class World:
    program: str
    other_program: str
    coordinator: User  # program staff of `program`
    other_coordinator: User  # program staff of `other_program` (same affiliate)
    va_staff: User  # staff of the affiliate serving `program`
    ne_staff: User  # staff of an affiliate that does not serve it
    admin: User  # national staff with the admin and results grants


def _program(affiliate_id: str, staff: User, name: str) -> str:
    body = {
        "name": name,
        "contact": {"name": "Pat Lee", "email": "pat@program.example"},
        "matching_since": "2020-09-01",
        "primary_affiliate_id": affiliate_id,
    }
    return str(directory("POST", "/programs", staff, body=body)["program_id"])


def _staff(resource: str, params: dict[str, str], admin: User, email: str, group: str) -> User:
    member = directory("POST", resource, admin, params, body={"email": email, "name": "Sam Staff"})
    return User(member["user_id"], email, [group])


@pytest.fixture
def world(aws_env: support.Resources) -> World:
    admin = User(
        create_national_admin("admin@mentor.example", "Ada Admin"),
        "admin@mentor.example",
        ["national-staff"],
    )
    affiliates = {}
    for state, zone in (("VA", "America/New_York"), ("NE", "America/Chicago")):
        affiliates[state] = directory(
            "POST",
            "/affiliates",
            admin,
            body={
                "name": f"MENTOR {state}",
                "state": state,
                "time_zone": zone,
                "contact_email": f"nqms@mentor-{state.lower()}.example",
            },
        )["affiliate_id"]
    members = "/affiliates/{affiliateId}/members"
    va_staff = _staff(
        members, {"affiliateId": affiliates["VA"]}, admin, "s@va.example", "affiliate-staff"
    )
    ne_staff = _staff(
        members, {"affiliateId": affiliates["NE"]}, admin, "s@ne.example", "affiliate-staff"
    )
    program = _program(affiliates["VA"], va_staff, "Big Futures")
    other = _program(affiliates["VA"], va_staff, "Small Steps")
    program_members = "/programs/{programId}/members"
    coordinator = _staff(
        program_members, {"programId": program}, va_staff, "c@big.example", "program-staff"
    )
    other_coordinator = _staff(
        program_members, {"programId": other}, va_staff, "c@small.example", "program-staff"
    )
    return World(program, other, coordinator, other_coordinator, va_staff, ne_staff, admin)


def s3() -> Any:
    return boto3.client("s3", region_name="us-east-1")


def object_exists(key: str) -> bool:
    try:
        s3().head_object(Bucket=bucket(), Key=key)
    except s3().exceptions.ClientError:
        return False
    return True


def upload_form(
    world: World, filename: str = "handbook.pdf", content_type: str = "application/pdf", **kw: Any
) -> dict[str, Any]:
    body = {"filename": filename, "content_type": content_type, "size_bytes": len(PDF), **kw}
    status, created, _ = call(
        "POST", EVIDENCE, world.coordinator, {"programId": world.program}, body=body
    )
    assert status == 201, created
    return created


def policy_refusal(upload: dict[str, Any], content: bytes) -> str | None:
    """Why S3 would refuse this form and file (None: it would store it), read from the policy
    as S3 reads it: every condition holds, and every form field is named by a condition."""
    policy = json.loads(base64.b64decode(upload["fields"]["policy"]))
    form = {k.lower(): v for k, v in upload["fields"].items()}
    form["bucket"] = bucket()
    named = {"policy", "x-amz-signature", "file"}
    for condition in policy["conditions"]:
        if isinstance(condition, dict):
            [(field, value)] = condition.items()
            operator, field = "eq", field.lower()
        elif condition[0] == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if len(content) < low:
                return f"EntityTooSmall: {len(content)} bytes, at least {low}"
            if len(content) > high:
                return f"EntityTooLarge: {len(content)} bytes, at most {high}"
            continue
        else:
            operator, field, value = condition[0], condition[1].lstrip("$").lower(), condition[2]
        named.add(field)
        actual = form.get(field)
        if actual is None or not (
            actual == value if operator == "eq" else actual.startswith(value)
        ):
            return f"AccessDenied: {field}={actual!r} breaks {condition}"
    unnamed = set(form) - named
    return f"AccessDenied: no condition names {sorted(unnamed)}" if unnamed else None


def post_raw(created: dict[str, Any], content: bytes) -> None:
    """The form and file straight to the bucket (moto stores what S3's policy would refuse)."""
    upload = created["upload"]
    content_type = upload["fields"]["Content-Type"]
    response = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": (created["filename"], content, content_type)},
        timeout=10,
    )
    assert response.status_code in (200, 201, 204), response.text


def post_file(created: dict[str, Any], content: bytes = PDF) -> None:
    """What a browser does with the form (every field, then the file), as S3 would take it."""
    refusal = policy_refusal(created["upload"], content)
    assert refusal is None, refusal
    post_raw(created, content)


def available_document(world: World, **kw: Any) -> dict[str, Any]:
    created = upload_form(world, **kw)
    post_file(created)
    status, confirmed, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert status == 200, confirmed
    return confirmed


def params(world: World, document: dict[str, Any]) -> dict[str, str]:
    return {"programId": world.program, "documentId": document["document_id"]}


def listed(world: World, user: User | None = None) -> list[dict[str, Any]]:
    status, page, _ = call("GET", EVIDENCE, user or world.coordinator, {"programId": world.program})
    assert status == 200, page
    return list(page["items"])


def audit_entries(operation: str) -> list[dict[str, Any]]:
    return [
        {k: next(iter(v.values())) for k, v in i.items()}
        for i in table_items()
        if i.get("type", {}).get("S") == "audit" and i["operation"]["S"] == operation
    ]


# --------------------------------------------------------------------------- upload
def test_the_upload_form_pins_the_key_the_type_and_the_size(world: World) -> None:
    created = upload_form(world, title="Mentor handbook")
    document_id = created["document_id"]
    key = f"programs/{world.program}/evidence/{document_id}"
    assert document_id.startswith("doc_")
    assert created["state"] == "pending"
    assert created["title"] == "Mentor handbook"
    assert created["uploaded_by"] == world.coordinator.sub
    assert created["version"] == 1

    fields = created["upload"]["fields"]
    assert fields["key"] == key
    assert fields["Content-Type"] == "application/pdf"
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": key} in conditions
    assert {"bucket": bucket()} in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    # The size is the declared one, not a range up to the limit.
    assert [c for c in conditions if isinstance(c, list) and c[0] == "content-length-range"] == [
        ["content-length-range", len(PDF), len(PDF)]
    ]
    assert bucket() in created["upload"]["url"]
    assert created["upload"]["expires_at"].endswith("Z")

    # Until it is uploaded and confirmed, it is nobody's document.
    assert listed(world) == []


def test_an_uploaded_and_confirmed_document_is_listed(world: World) -> None:
    created = upload_form(world)
    post_file(created)
    status, confirmed, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert status == 200, confirmed
    assert confirmed["state"] == "available"
    assert confirmed["size_bytes"] == len(PDF)
    assert confirmed["confirmed_at"]
    assert confirmed["version"] == 2

    assert [d["document_id"] for d in listed(world)] == [created["document_id"]]
    assert [d["document_id"] for d in listed(world, world.va_staff)] == [created["document_id"]]

    again, second, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert again == 200
    assert second == confirmed  # confirming twice changes nothing


def test_confirming_before_the_upload_is_a_409_and_nothing_is_listed(world: World) -> None:
    created = upload_form(world)
    status, problem, response = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert status == 409
    assert header(response, "Content-Type") == "application/problem+json"
    assert "has not arrived" in problem["detail"]
    assert listed(world) == []
    download, _, _ = call("GET", DOWNLOAD, world.coordinator, params(world, created))
    assert download == 404


@pytest.mark.parametrize(
    ("code", "message"), [("403", "Forbidden"), ("AccessDenied", "Access Denied")]
)
def test_on_aws_a_missing_upload_answers_403_and_confirming_is_still_a_409(
    world: World, code: str, message: str
) -> None:
    """The function has no s3:ListBucket, so S3 answers HeadObject of a missing key with 403
    (no body, so the code is "403"; "AccessDenied" when there is one). moto says 404."""
    created = upload_form(world)
    key = created["upload"]["fields"]["key"]
    with Stubber(aws.s3()) as stub:
        stub.add_client_error(
            "head_object",
            service_error_code=code,
            service_message=message,
            http_status_code=403,
            expected_params={"Bucket": bucket(), "Key": key},
        )
        status, problem, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
        stub.assert_no_pending_responses()
    assert status == 409, problem
    assert "has not arrived" in problem["detail"]
    assert listed(world) == []


def test_an_upload_removed_between_the_check_and_the_hash_is_a_409(world: World) -> None:
    created = upload_form(world)
    key = created["upload"]["fields"]["key"]
    with Stubber(aws.s3()) as stub:
        stub.add_response(
            "head_object",
            {"ContentLength": len(PDF), "ContentType": "application/pdf", "VersionId": "v1"},
            {"Bucket": bucket(), "Key": key},
        )
        stub.add_client_error(
            "get_object",
            service_error_code="NoSuchVersion",
            http_status_code=404,
            expected_params={"Bucket": bucket(), "Key": key, "VersionId": "v1"},
        )
        status, problem, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
        stub.assert_no_pending_responses()
    assert status == 409, problem
    assert listed(world) == []


def test_confirming_records_the_stored_version_and_its_sha256(world: World) -> None:
    created = upload_form(world)
    assert created["sha256"] is None  # nothing to hash yet
    post_file(created)
    key = created["upload"]["fields"]["key"]
    stored_version = s3().head_object(Bucket=bucket(), Key=key)["VersionId"]

    status, confirmed, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert status == 200, confirmed
    assert confirmed["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert confirmed["size_bytes"] == len(PDF)
    [shown] = listed(world, world.va_staff)
    assert shown["sha256"] == confirmed["sha256"]
    record = aws.dynamodb().get_item(
        TableName=os.environ["TABLE_NAME"],
        Key={
            "pk": {"S": f"PROGRAM#{world.program}"},
            "sk": {"S": f"EVIDENCE#{created['document_id']}"},
        },
    )["Item"]
    assert record["object_version"]["S"] == stored_version
    # The bucket is versioned as the template says: what makes the version worth recording.
    assert s3().get_bucket_versioning(Bucket=bucket())["Status"] == "Enabled"
    status, link, _ = call("GET", DOWNLOAD, world.coordinator, params(world, created))
    assert status == 200, link
    assert f"versionId={stored_version}" in link["url"]
    assert record["sha256"]["S"] == confirmed["sha256"]


def test_a_form_reused_after_confirmation_changes_nothing_that_is_served(world: World) -> None:
    created = upload_form(world)
    post_file(created)
    status, confirmed, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert status == 200, confirmed

    # The form is still valid for its 15 minutes: the same size and type pass its policy.
    swapped = b"%PDF-1.7\n" + b"forgery! " * 40
    assert len(swapped) == len(PDF)
    post_file(created, swapped)
    key = created["upload"]["fields"]["key"]
    assert s3().get_object(Bucket=bucket(), Key=key)["Body"].read() == swapped  # it landed

    for user in (world.coordinator, world.va_staff):
        status, link, _ = call("GET", DOWNLOAD, user, params(world, created))
        assert status == 200, link
        got = requests.get(link["url"], timeout=10)
        assert got.status_code == 200
        assert got.content == PDF
        assert hashlib.sha256(got.content).hexdigest() == confirmed["sha256"]
    again, document, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert again == 200
    assert document == confirmed  # confirming again does not adopt the new bytes
    assert listed(world) == [confirmed]


@pytest.mark.parametrize(
    ("size", "s3_error"), [(len(PDF) - 1, "EntityTooSmall"), (len(PDF) + 1, "EntityTooLarge")]
)
def test_a_file_of_another_size_than_declared_is_refused(
    world: World, size: int, s3_error: str
) -> None:
    created = upload_form(world)
    content = (PDF * 2)[:size]
    refusal = policy_refusal(created["upload"], content)
    assert refusal is not None
    assert refusal.startswith(s3_error)
    assert policy_refusal(created["upload"], PDF) is None

    # Should the bytes reach the bucket anyway (moto stores them), confirming refuses them.
    post_raw(created, content)
    key = created["upload"]["fields"]["key"]
    status, problem, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert status == 422, problem
    assert f"{size} bytes, not the declared {len(PDF)}" in problem["detail"]
    assert problem["declared_size_bytes"] == len(PDF)
    assert not object_exists(key)
    assert listed(world) == []


def test_a_too_large_upload_is_refused_and_removed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVIDENCE_MAX_BYTES", "100")
    get_settings.cache_clear()
    created = upload_form(world, size_bytes=90)
    policy = json.loads(base64.b64decode(created["upload"]["fields"]["policy"]))
    assert ["content-length-range", 90, 90] in policy["conditions"]
    post_raw(created, b"x" * 101)  # S3 would refuse this; moto does not check the policy
    key = created["upload"]["fields"]["key"]
    assert object_exists(key)

    status, problem, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert status == 422
    assert "101 bytes" in problem["detail"]
    assert problem["max_bytes"] == 100
    assert not object_exists(key)
    assert listed(world) == []

    declared, problem, _ = call(
        "POST",
        EVIDENCE,
        world.coordinator,
        {"programId": world.program},
        body={"filename": "big.pdf", "content_type": "application/pdf", "size_bytes": 101},
    )
    assert declared == 422
    assert problem["field"] == "body.size_bytes"


def test_an_upload_of_another_type_is_refused_and_removed(world: World) -> None:
    created = upload_form(world)
    key = created["upload"]["fields"]["key"]
    s3().put_object(Bucket=bucket(), Key=key, Body=b"MZ...", ContentType="application/x-msdownload")
    status, problem, _ = call("POST", CONFIRM, world.coordinator, params(world, created))
    assert status == 422
    assert "application/x-msdownload" in problem["detail"]
    assert not object_exists(key)
    assert listed(world) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"filename": "../../etc/passwd"}, "body.filename"),
        ({"filename": "a\\b.pdf"}, "body.filename"),
        ({"filename": ""}, "body.filename"),
        ({"content_type": "text/html"}, "body.content_type"),
        ({"size_bytes": 0}, "body.size_bytes"),
        ({"owner": "someone"}, "body.owner"),
    ],
)
def test_malformed_uploads_are_422_naming_the_field(
    world: World, change: dict[str, Any], field: str
) -> None:
    body = {"filename": "a.pdf", "content_type": "application/pdf", "size_bytes": 10, **change}
    status, problem, _ = call(
        "POST", EVIDENCE, world.coordinator, {"programId": world.program}, body=body
    )
    assert status == 422
    assert field in {e["field"] for e in problem["errors"]}


def test_an_idempotency_key_creates_one_document(world: World) -> None:
    body = {"filename": "plan.docx", "content_type": "text/plain", "size_bytes": 5}
    headers = {"Idempotency-Key": "evidence-0b7e4c11"}
    where = {"programId": world.program}
    first = call("POST", EVIDENCE, world.coordinator, where, body=body, headers=headers)
    second = call("POST", EVIDENCE, world.coordinator, where, body=body, headers=headers)
    assert first[0] == second[0] == 201
    assert first[1]["document_id"] == second[1]["document_id"]
    assert (
        header(first[2], "Location")
        == f"/programs/{world.program}/evidence/" + (first[1]["document_id"])
    )
    records = aws.dynamodb().query(
        TableName=os.environ["TABLE_NAME"],
        KeyConditionExpression="pk = :pk AND begins_with(sk, :sk)",
        ExpressionAttributeValues={
            ":pk": {"S": f"PROGRAM#{world.program}"},
            ":sk": {"S": "EVIDENCE#"},
        },
    )["Items"]
    assert len(records) == 1


# --------------------------------------------------------------------------- links
def test_links_by_code_store_stable_keys(world: World) -> None:
    instrument = load_instrument()
    first, second = instrument.items[0], instrument.items[1]
    document = available_document(world)
    body = {"items": [first.code.lower(), first.code, second.key], "version": document["version"]}
    status, linked, _ = call("PUT", LINKS, world.coordinator, params(world, document), body=body)
    assert status == 200, linked
    assert linked["items"] == [
        {"key": first.key, "code": first.code},
        {"key": second.key, "code": second.code},
    ]
    assert linked["version"] == document["version"] + 1
    [shown] = listed(world, world.va_staff)
    assert shown["items"] == linked["items"]
    stored = aws.dynamodb().get_item(
        TableName=os.environ["TABLE_NAME"],
        Key={
            "pk": {"S": f"PROGRAM#{world.program}"},
            "sk": {"S": f"EVIDENCE#{document['document_id']}"},
        },
    )["Item"]
    assert [v["S"] for v in stored["item_keys"]["L"]] == [first.key, second.key]


def test_an_unknown_item_is_a_422_naming_it(world: World) -> None:
    document = available_document(world)
    status, problem, _ = call(
        "PUT", LINKS, world.coordinator, params(world, document), body={"items": ["ZZ99", "A1"]}
    )
    assert status == 422
    assert problem["field"] == "body.items[0]"
    assert "ZZ99" in problem["detail"]
    assert listed(world)[0]["items"] == []

    too_many = {"items": ["A1"] * 93}
    status, problem, _ = call(
        "PUT", LINKS, world.coordinator, params(world, document), body=too_many
    )
    assert status == 422
    assert "body.items" in {e["field"] for e in problem["errors"]}


def test_a_stale_version_is_a_409_with_the_current_document(world: World) -> None:
    code = load_instrument().items[0].code
    document = available_document(world)
    where = params(world, document)
    status, linked, _ = call(
        "PUT", LINKS, world.coordinator, where, body={"items": [code]}, headers={"If-Match": '"2"'}
    )
    assert status == 200, linked
    assert linked["version"] == 3

    status, problem, _ = call(
        "PUT", LINKS, world.coordinator, where, body={"items": []}, headers={"If-Match": '"2"'}
    )
    assert status == 409
    assert problem["type"] == "urn:nqms:problem:version-conflict"
    assert problem["current"]["version"] == 3
    assert [i["code"] for i in problem["current"]["items"]] == [code]

    status, problem, _ = call(
        "PUT", LINKS, world.coordinator, where, body={"items": [], "version": 1}
    )
    assert status == 409
    assert listed(world)[0]["items"] == linked["items"]  # nothing changed


def test_a_pending_document_cannot_be_linked(world: World) -> None:
    created = upload_form(world)
    status, problem, _ = call(
        "PUT", LINKS, world.coordinator, params(world, created), body={"items": ["A1"]}
    )
    assert status == 409
    assert "confirm" in problem["detail"]


# --------------------------------------------------------------------------- download
def test_program_staff_and_serving_affiliate_staff_download_and_it_is_audited(
    world: World,
) -> None:
    document = available_document(world, filename="Mentor handbook (2025).pdf")
    for user in (world.coordinator, world.va_staff):
        status, link, _ = call("GET", DOWNLOAD, user, params(world, document))
        assert status == 200, link
        assert link["filename"] == "Mentor handbook (2025).pdf"
        assert link["expires_at"].endswith("Z")
        got = requests.get(link["url"], timeout=10)
        assert got.status_code == 200
        assert got.content == PDF
        assert got.headers["Content-Type"] == "application/pdf"
        assert got.headers["Content-Disposition"].startswith("attachment;")
        assert "Mentor%20handbook%20%282025%29.pdf" in got.headers["Content-Disposition"]

    entries = audit_entries("downloadEvidence")
    assert sorted(e["actor_id"] for e in entries) == sorted(
        [world.coordinator.sub, world.va_staff.sub]
    )
    assert {e["target"] for e in entries} == {f"evidence:{document['document_id']}"}
    assert {e["action"] for e in entries} == {"export"}
    assert all(e["pk"].startswith(f"AUDIT#PROGRAM#{world.program}#") for e in entries)


def test_no_audit_entry_no_link(world: World) -> None:
    document = available_document(world)

    def refuse(**_: Any) -> None:
        raise RuntimeError("the table refuses writes")

    events = aws.dynamodb().meta.events
    writes = ("TransactWriteItems", "PutItem")
    for write in writes:
        events.register(f"before-call.dynamodb.{write}", refuse)
    try:
        status, body, _ = call("GET", DOWNLOAD, world.coordinator, params(world, document))
    finally:
        for write in writes:
            events.unregister(f"before-call.dynamodb.{write}", refuse)
    assert status == 500
    assert "url" not in body
    assert "X-Amz-Signature" not in json.dumps(body)


# --------------------------------------------------------------------------- access
def test_outsiders_get_404_on_every_evidence_url_and_readers_403_on_changes(
    world: World,
) -> None:
    document = available_document(world)
    where = params(world, document)
    program = {"programId": world.program}
    requests_: list[tuple[str, str, dict[str, str], Any]] = [
        (
            "POST",
            EVIDENCE,
            program,
            {"filename": "x.pdf", "content_type": "text/plain", "size_bytes": 1},
        ),
        ("GET", EVIDENCE, program, None),
        ("POST", CONFIRM, where, None),
        ("PUT", LINKS, where, {"items": []}),
        ("GET", DOWNLOAD, where, None),
        ("DELETE", DOCUMENT, where, None),
    ]
    outsiders = {
        "other program's staff": world.other_coordinator,
        "another affiliate's staff": world.ne_staff,
    }
    for who, user in outsiders.items():
        for method, resource, where_, body in requests_:
            status, problem, _ = call(method, resource, user, where_, body=body)
            assert status == 404, (who, method, resource, problem)
            assert problem["type"] == "urn:nqms:problem:not-found"
            assert document["filename"] not in json.dumps(problem)
    # The serving affiliate and national staff with the results grant read, but do not
    # change, a program's library: they may see it, so a change is a 403.
    for user in (world.va_staff, world.admin):
        for method, resource, where_, body in requests_:
            status, problem, _ = call(method, resource, user, where_, body=body)
            assert status == (200 if method == "GET" else 403), (method, resource, problem)
    assert [d["document_id"] for d in listed(world)] == [document["document_id"]]
    downloads = audit_entries("downloadEvidence")
    assert sorted(e["actor_id"] for e in downloads) == sorted([world.va_staff.sub, world.admin.sub])
    no_token, _, _ = call("GET", EVIDENCE, None, program)
    assert no_token == 401


# --------------------------------------------------------------------------- delete
def test_delete_removes_the_document_its_links_and_its_file_only(world: World) -> None:
    code = load_instrument().items[0].code
    kept = available_document(world, filename="kept.pdf")
    gone = available_document(world, filename="gone.pdf")
    for document in (kept, gone):
        status, _, _ = call(
            "PUT", LINKS, world.coordinator, params(world, document), body={"items": [code]}
        )
        assert status == 200

    status, body, _ = call("DELETE", DOCUMENT, world.coordinator, params(world, gone))
    assert status == 204
    assert body is None
    remaining = listed(world)
    assert [d["document_id"] for d in remaining] == [kept["document_id"]]
    assert [i["code"] for i in remaining[0]["items"]] == [code]
    assert not object_exists(f"programs/{world.program}/evidence/{gone['document_id']}")
    assert object_exists(f"programs/{world.program}/evidence/{kept['document_id']}")
    assert call("GET", DOWNLOAD, world.coordinator, params(world, gone))[0] == 404
    assert call("GET", DOWNLOAD, world.coordinator, params(world, kept))[0] == 200
    assert call("DELETE", DOCUMENT, world.coordinator, params(world, gone))[0] == 404
    assert len(audit_entries("deleteEvidence")) == 1


def test_lists_page_with_a_cursor_bound_to_the_program(world: World) -> None:
    made = {available_document(world, filename=f"doc-{n}.pdf")["document_id"] for n in range(3)}
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        query = {"limit": "2", **({"next": cursor} if cursor else {})}
        status, page, _ = call(
            "GET", EVIDENCE, world.coordinator, {"programId": world.program}, query=query
        )
        assert status == 200
        seen += [d["document_id"] for d in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made)

    first = call(
        "GET", EVIDENCE, world.coordinator, {"programId": world.program}, query={"limit": "1"}
    )[1]
    status, _, _ = call(
        "GET",
        EVIDENCE,
        world.other_coordinator,
        {"programId": world.other_program},
        query={"next": first["next"]},
    )
    assert status == 400


def test_behind_an_endpoint_url_links_are_path_style(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto server and the local stack: http://127.0.0.1:PORT/bucket/key must be the link."""
    document = available_document(world)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    status, link, _ = call("GET", DOWNLOAD, world.coordinator, params(world, document))
    assert status == 200, link
    key = f"programs/{world.program}/evidence/{document['document_id']}"
    assert link["url"].startswith(f"http://127.0.0.1:4566/{bucket()}/{key}?")
    assert "X-Amz-Signature=" in link["url"]  # SigV4, which S3 requires of new buckets
    created = upload_form(world)
    assert created["upload"]["url"] == f"http://127.0.0.1:4566/{bucket()}"
    assert created["upload"]["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
