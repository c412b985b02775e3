"""Evidence through the local stack: presigned upload straight to storage, confirm, link,
download (of the confirmed bytes, whatever the form uploads later); another affiliate's staff
see nothing."""

from __future__ import annotations

import hashlib

import requests

from tests.e2e.conftest import Session

RICHMOND_STAFF = "coordinator@richmond-mentoring.example"
VA_STAFF = "staff@mentor-va.example"
NE_STAFF = "staff@mentor-ne.example"


def test_a_document_is_uploaded_confirmed_linked_and_downloaded(local: Session) -> None:
    staff = local.as_user(RICHMOND_STAFF)
    program_id = local.demo_id("programs", "richmond")
    content = b"Mentor screening policy, version 3.\n"
    created = staff.post(
        f"/programs/{program_id}/evidence",
        {"filename": "screening.txt", "content_type": "text/plain", "size_bytes": len(content)},
    )
    assert created.status == 201, created.body
    document_id, upload = created.json["document_id"], created.json["upload"]
    base = f"/programs/{program_id}/evidence"

    uploaded = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("screening.txt", content, "text/plain")},
        timeout=10,
    )
    assert uploaded.status_code in (200, 201, 204), uploaded.text
    confirmed = staff.post(f"{base}/{document_id}/confirm", None)
    assert confirmed.status == 200, confirmed.body
    assert confirmed.json["state"] == "available"
    assert confirmed.json["sha256"] == hashlib.sha256(content).hexdigest()
    linked = staff.request(
        "PUT", f"{base}/{document_id}/links", {"items": ["H39", "H40"]}, {"If-Match": '"2"'}
    )
    assert linked.status == 200, linked.body
    assert [i["code"] for i in linked.json["items"]] == ["H39", "H40"]

    # The form, reused after confirmation, stores a newer version that nothing serves.
    forged = b"Mentor screening policy, version 0.\n"
    assert len(forged) == len(content)
    reused = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("screening.txt", forged, "text/plain")},
        timeout=10,
    )
    assert reused.status_code in (200, 201, 204), reused.text

    # The serving affiliate sees and downloads it; the file is what was confirmed.
    listed = local.as_user(VA_STAFF).get(base)
    assert document_id in [d["document_id"] for d in listed.json["items"]]
    download = local.as_user(VA_STAFF).get(f"{base}/{document_id}/download")
    assert download.status == 200, download.body
    fetched = requests.get(download.json["url"], timeout=10)
    assert fetched.content == content
    assert hashlib.sha256(fetched.content).hexdigest() == confirmed.json["sha256"]
    assert "attachment" in fetched.headers["Content-Disposition"]

    # Another affiliate's staff: 404, no URL.
    hidden = local.as_user(NE_STAFF).get(f"{base}/{document_id}/download")
    assert hidden.status == 404
    assert "url" not in hidden.body.decode()


def test_a_file_of_another_type_than_declared_is_refused_at_confirmation(
    local: Session,
) -> None:
    staff = local.as_user(RICHMOND_STAFF)
    program_id = local.demo_id("programs", "richmond")
    created = staff.post(
        f"/programs/{program_id}/evidence",
        {"filename": "plan.pdf", "content_type": "application/pdf", "size_bytes": 100},
    )
    upload = created.json["upload"]
    # S3 refuses a form that breaks its policy; moto does not, and confirmation checks the
    # stored object itself either way.
    tampered = {**upload["fields"], "Content-Type": "text/plain"}
    requests.post(
        upload["url"],
        data=tampered,
        files={"file": ("plan.txt", b"not a pdf", "text/plain")},
        timeout=10,
    )
    refused = staff.post(
        f"/programs/{program_id}/evidence/{created.json['document_id']}/confirm", None
    )
    assert refused.status == 422, refused.body
    listed = staff.get(f"/programs/{program_id}/evidence").json["items"]
    assert created.json["document_id"] not in [d["document_id"] for d in listed]
