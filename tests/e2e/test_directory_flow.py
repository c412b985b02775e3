"""The directory through the gateway, as a client uses it: tokens, tenancy, events on the bus."""

from __future__ import annotations

from tests.e2e.conftest import Session

VA_STAFF = "staff@mentor-va.example"
NE_STAFF = "staff@mentor-ne.example"
RICHMOND_STAFF = "coordinator@richmond-mentoring.example"


def test_affiliate_staff_enroll_a_program_and_it_is_announced_on_the_bus(local: Session) -> None:
    va = local.as_user(VA_STAFF)
    body = {
        "name": "Shenandoah Valley Mentors",
        "contact": {"name": "Sam Vale", "email": "sam@shenandoah.example"},
        "matching_since": "2019-03-01",
        "primary_affiliate_id": local.demo_id("affiliates", "va"),
    }

    created = va.post("/programs", body)

    assert created.status == 201, created.body
    program_id = created.json["program_id"]
    assert va.get(f"/programs/{program_id}").json["name"] == "Shenandoah Valley Mentors"
    assert program_id in [p["program_id"] for p in va.get("/programs").json["items"]]
    enrolled = local.wait_for_events(
        lambda e: e["detail-type"] == "ProgramEnrolled" and e["detail"]["program_id"] == program_id
    )
    assert len(enrolled) == 1
    assert enrolled[0]["source"] == "nqms.directory"
    assert enrolled[0]["detail"]["data"]["matching_since"] == "2019-03-01"

    # Another affiliate's staff cannot tell the program exists.
    ne = local.as_user(NE_STAFF)
    hidden = ne.get(f"/programs/{program_id}")
    assert hidden.status == 404
    assert hidden.content_type == "application/problem+json"
    assert program_id not in [p["program_id"] for p in ne.get("/programs").json["items"]]


def test_program_staff_see_only_their_own_program(local: Session) -> None:
    listed = local.as_user(RICHMOND_STAFF).get("/programs")

    assert listed.status == 200
    assert [p["program_id"] for p in listed.json["items"]] == [
        local.demo_id("programs", "richmond")
    ]
    omaha = local.demo_id("programs", "omaha")
    assert local.as_user(RICHMOND_STAFF).get(f"/programs/{omaha}").status == 404


def test_no_token_or_a_bad_one_gets_a_401_problem(local: Session) -> None:
    for client in (local.anonymous, local.anonymous.as_user("forged.token.value")):
        response = client.get("/programs")
        assert response.status == 401
        assert response.content_type == "application/problem+json"
        assert response.json["status"] == 401


def test_the_docs_and_the_merged_openapi_document_are_served(local: Session) -> None:
    document = local.anonymous.get("/openapi.json")
    docs = local.anonymous.get("/docs")

    assert document.status == 200
    assert "/programs" in document.json["paths"]
    assert docs.status == 200
    assert "swagger" in docs.body.decode().lower()


def test_a_web_client_on_localhost_may_call_the_local_api(local: Session) -> None:
    """A front end in development (Vite's 5173, React's 3000) calls `make run`'s API."""
    dev, stranger = "http://localhost:5173", "https://evil.example"
    preflight = local.anonymous.request(
        "OPTIONS",
        "/programs",
        headers={"Origin": dev, "Access-Control-Request-Method": "POST"},
    )
    listed = local.as_user(RICHMOND_STAFF).get("/programs", headers={"Origin": dev})
    refused = local.as_user(RICHMOND_STAFF).get("/programs", headers={"Origin": stranger})

    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == dev
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert listed.status == 200
    assert listed.headers["Access-Control-Allow-Origin"] == dev
    assert "Access-Control-Allow-Origin" not in refused.headers
