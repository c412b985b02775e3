"""Partners verify a badge through its link, without an account: the badge as it stands today
(active, expired the day after its date, renewal in progress while a newer cycle runs), as
JSON or a page for a browser; altered links are refused; verifying never calls KMS."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from functions.badge import logic
from shared import adapters, clock, jws, keys
from shared.adapters import aws
from shared.adapters.table import default_table
from shared.identity import Grant
from tests.integration.test_assessment import World, world
from tests.integration.test_assessment import call as assessment_call
from tests.integration.test_badge_issuer import badges, deliver, issuer
from tests.integration.test_plan import cycle_id, finalized
from tests.support.apigw import api_event
from tests.support.aws import Resources
from tests.support.lambdas import LambdaContext, header, invoke, outbox_events
from tests.support.people import national
from tests.unit.test_badge_credential import ob_schema_errors

__all__ = ["cycle_id", "issuer", "world"]  # fixtures, imported to be used here


def get(
    path: str, resource: str, params: dict[str, str], accept: str = "application/json"
) -> dict[str, Any]:
    """A public GET through the badge function (no token), the raw proxy response."""
    from functions.badge.handler import lambda_handler

    logic.forget_published_keys()  # as a cold function would
    event = api_event("GET", resource, params, claims=None, headers={"Accept": accept})
    return dict(lambda_handler(event, LambdaContext()))


API = "http://api.example"
#: The public routes a credential's URLs lead to (path template -> its parameter names).
PUBLIC_ROUTES = {
    "/keys/{kid}": ("kid",),
    "/issuers/{affiliateId}": ("affiliateId",),
    "/issuers/{affiliateId}/revocations": ("affiliateId",),
    "/achievements/{level}": ("level",),
    "/badges/{badgeId}/image.svg": ("badgeId",),
    "/badges/{badgeId}/credential": ("badgeId",),
}


def follow(url: str) -> dict[str, Any]:
    """A URL of this API, fetched as a verifier would (anonymously)."""
    assert url.startswith(API + "/"), url
    path = url.removeprefix(API)
    parts = path.strip("/").split("/")
    for resource, names in PUBLIC_ROUTES.items():
        shape = resource.strip("/").split("/")
        if len(shape) == len(parts) and all(
            a == b or a.startswith("{") for a, b in zip(shape, parts, strict=True)
        ):
            values = [b for a, b in zip(shape, parts, strict=True) if a.startswith("{")]
            return get(path, resource, dict(zip(names, values, strict=True)))
    raise AssertionError(f"no public route answers {url}")


def verify(token: str, accept: str = "application/json") -> dict[str, Any]:
    return get(f"/verify/{token}", "/verify/{token}", {"token": token}, accept)


@pytest.fixture
def step1(world: World, cycle_id: str, issuer: None) -> dict[str, Any]:
    finalized(world, cycle_id)
    assert deliver(*outbox_events("PlanFinalized")) == {"batchItemFailures": []}
    return badges(cycle_id)["step1"]


def days_after_today(day: str) -> timedelta:
    return date.fromisoformat(day) - date.today()


def test_a_partner_verifies_a_badge_as_json_or_as_a_page(
    step1: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_kms() -> None:
        raise AssertionError("verifying a badge must not call KMS")

    monkeypatch.setattr(aws, "kms", no_kms)
    response = verify(step1["verify_token"])
    assert response["statusCode"] == 200, response["body"]
    import json

    shown = json.loads(response["body"])
    assert shown["program_name"] == "Big Futures"
    assert (shown["level"], shown["level_name"], shown["status"], shown["valid"]) == (
        "step1",
        "Initiated in NQMS",
        "active",
        True,
    )
    assert shown["valid_until"] == step1["valid_until"]
    assert set(shown) == {
        "badge_id", "program_name", "affiliate_name", "level", "level_name",
        "issued", "valid_until", "status", "valid", "image",
    }  # fmt: skip

    page = verify(step1["verify_token"], accept="text/html,application/xhtml+xml")
    assert page["statusCode"] == 200
    assert str(header(page, "Content-Type")).startswith("text/html")
    assert "Big Futures" in page["body"]
    assert "Initiated in NQMS" in page["body"]


def test_the_keys_are_published_before_the_first_badge(
    aws_env: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in aws_env.stack.functions["BadgeFunction"].environment.items():
        monkeypatch.setenv(name, value)
    adapters.reset()
    jwks = get("/.well-known/jwks.json", "/.well-known/jwks.json", {})
    assert jwks["statusCode"] == 200, jwks["body"]
    published = {k["alg"]: k for k in json.loads(jwks["body"])["keys"]}
    assert set(published) == {"ES256", "RS256"}  # the link key and the credential key
    assert (published["ES256"]["kty"], published["ES256"]["crv"]) == ("EC", "P-256")
    assert not any("d" in key or "p" in key for key in published.values())  # public only


def test_a_link_changed_or_cut_short_is_a_400_and_a_page_for_a_browser(
    step1: dict[str, Any],
) -> None:
    import json

    token = step1["verify_token"]
    head, payload, signature = token.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    cut_short = token[: len(head) + 20]  # a link cut in an email: no signature at all
    for bad in (f"{head}.{payload}.{flipped}", token[:-1] + "!", "abc", cut_short):
        response = verify(bad)
        assert response["statusCode"] == 400, (bad, response["body"])
        problem = json.loads(response["body"])
        assert header(response, "Content-Type") == "application/problem+json"
        assert "Traceback" not in response["body"]
        assert problem["status"] == response["statusCode"]
        # A browser gets a page that says so plainly and what to do; still a 400.
        page = verify(bad, accept="text/html,application/xhtml+xml,*/*;q=0.8")
        assert page["statusCode"] == 400
        assert header(page, "Content-Type") == "text/html; charset=utf-8"
        assert "This badge link is not valid" in page["body"]
        assert "What to do" in page["body"]
        assert bad not in page["body"]  # nothing of the link is echoed back


def test_the_status_is_todays_expired_after_its_date_renewing_while_a_newer_cycle_runs(
    world: World, step1: dict[str, Any]
) -> None:
    import json

    token = step1["verify_token"]
    after = days_after_today(step1["valid_until"]) + timedelta(days=1)
    with clock.use_clock(clock.OffsetClock(after)):
        assert json.loads(verify(token)["body"])["status"] == "expired"
        image = get(
            f"/badges/{step1['badge_id']}/image.svg",
            "/badges/{badgeId}/image.svg",
            {"badgeId": step1["badge_id"]},
        )
        assert image["statusCode"] == 200
        assert str(header(image, "Content-Type")).startswith("image/svg+xml")
        assert "Expired" in image["body"]

    # The program opens its next cycle in time: the badge stays valid, renewal in progress,
    # past its date and through the grace period.
    status, opened, _ = assessment_call(
        "POST",
        "/programs/{programId}/cycles",
        world.va_staff,
        {"programId": world.program},
        body={},
    )
    assert status == 201, opened
    assert json.loads(verify(token)["body"])["status"] == "renewal_in_progress"
    with clock.use_clock(clock.OffsetClock(after)):
        renewing = json.loads(verify(token)["body"])
        assert (renewing["status"], renewing["valid"]) == ("renewal_in_progress", True)
    assert default_table().get(keys.badge(step1["badge_id"])) is not None


def test_an_unknown_badge_is_404(step1: dict[str, Any]) -> None:
    missing = "bdg_00000000000000000000"
    response = get(
        f"/badges/{missing}/image.svg", "/badges/{badgeId}/image.svg", {"badgeId": missing}
    )
    assert response["statusCode"] == 404


def test_the_program_lists_its_badges_with_link_image_and_snippet(
    world: World, step1: dict[str, Any]
) -> None:
    from functions.badge.handler import lambda_handler

    params, listing = {"programId": world.program}, "/programs/{programId}/badges"
    status, held, _ = invoke(lambda_handler, "GET", listing, world.alice, params)
    assert status == 200, held
    (badge,) = held["items"]
    assert (badge["badge_id"], badge["status"], badge["valid"]) == (
        step1["badge_id"],
        "active",
        True,
    )
    assert badge["verify_url"].endswith(f"/verify/{step1['verify_token']}")
    assert badge["image"].endswith(f"/badges/{step1['badge_id']}/image.svg")
    assert badge["embed_html"].startswith(f'<a href="{badge["verify_url"]}"><img src=')
    for outsider in (world.ne_staff, world.carol):
        status, problem, _ = invoke(lambda_handler, "GET", listing, outsider, params)
        assert status == 404, problem


def test_the_affiliate_revokes_a_badge_and_verification_says_so_at_once(
    world: World, step1: dict[str, Any]
) -> None:
    from functions.badge.handler import lambda_handler

    params, where = {"badgeId": step1["badge_id"]}, "/badges/{badgeId}/revoke"
    body = {"reason": "The program closed its mentoring arm."}
    status, problem, _ = invoke(lambda_handler, "POST", where, world.alice, params, body=body)
    assert (status, problem["missing_permission"]) == (403, "revokeBadge"), problem
    for outsider in (world.ne_staff, world.carol, national()):
        assert invoke(lambda_handler, "POST", where, outsider, params, body=body)[0] == 404
    # The results grant reads the program's badges, so revoking one is refused by name (403).
    results = national(Grant.RESULTS)
    listing = ("GET", "/programs/{programId}/badges", results, {"programId": world.program})
    assert invoke(lambda_handler, *listing)[0] == 200
    status, problem, _ = invoke(lambda_handler, "POST", where, results, params, body=body)
    assert (status, problem["missing_permission"]) == (403, "revokeBadge"), problem
    assert problem["required"] == ["serving_affiliate_staff", "national_admin"]
    status, done, _ = invoke(lambda_handler, "POST", where, world.va_staff, params, body=body)
    assert (status, done["status"]) == (200, "revoked"), done
    (revoked,) = outbox_events("BadgeRevoked")
    assert "reason" not in revoked["data"]  # text stays in the table

    shown = json.loads(verify(step1["verify_token"])["body"])
    assert (shown["status"], shown["valid"]) == ("revoked", False)
    image = get(f"/badges/{step1['badge_id']}/image.svg", "/badges/{badgeId}/image.svg", params)
    assert "Revoked" in image["body"]
    status, problem, _ = invoke(lambda_handler, "POST", where, world.va_staff, params, body=body)
    assert (status, problem["current_state"]) == (409, "revoked"), problem


def test_the_open_badges_credential_verifies_with_an_independent_library(
    world: World, step1: dict[str, Any], monkeypatch: pytest.MonkeyPatch, aws_env: Resources
) -> None:
    from joserfc import jwk as joserfc_jwk
    from joserfc import jws as joserfc_jws

    for name, value in aws_env.stack.functions["BadgeFunction"].environment.items():
        monkeypatch.setenv(name, value)
    adapters.reset()
    params = {"badgeId": step1["badge_id"]}
    where = "/badges/{badgeId}/credential"
    response = get(f"/badges/{step1['badge_id']}/credential", where, params)
    assert response["statusCode"] == 200, response["body"]
    assert header(response, "Content-Type") == "application/jwt"
    token = response["body"]

    # A verifier follows the header's kid (a URL) to the public key, and checks the proof.
    kid = jws.parse(token).header["kid"]
    assert kid.startswith(f"{API}/keys/"), kid
    answered = follow(kid)
    assert answered["statusCode"] == 200, answered["body"]
    rsa = json.loads(answered["body"])
    published = json.loads(get("/.well-known/jwks.json", "/.well-known/jwks.json", {})["body"])
    assert rsa in published["keys"]  # the same key the JWKS lists
    key = joserfc_jwk.import_key({k: v for k, v in rsa.items() if k != "use"})
    checked = joserfc_jws.deserialize_compact(token, key, algorithms=["RS256"])
    claims = json.loads(checked.payload)
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == claims["issuer"]["id"]
    assert claims["jti"] == claims["id"]
    assert claims["sub"] == claims["credentialSubject"]["id"]
    assert claims["validUntil"].startswith(step1["valid_until"])
    assert claims["credentialSubject"]["name"] == "Big Futures"
    assert (
        "Improvement and Innovation Plan"
        in (claims["credentialSubject"]["achievement"]["criteria"]["narrative"])
    )
    assert ob_schema_errors(claims) == []  # 1EdTech's OB 3.0 JSON schema

    # Every URL the credential names answers publicly with what it names.
    profile = json.loads(follow(claims["issuer"]["id"])["body"])
    assert (profile["id"], profile["name"]) == (claims["issuer"]["id"], claims["issuer"]["name"])
    achievement = claims["credentialSubject"]["achievement"]
    shown = json.loads(follow(achievement["id"])["body"])
    assert {k: v for k, v in achievement.items() if k != "image"} == {
        k: v for k, v in shown.items() if k != "@context"
    }
    assert follow(achievement["image"]["id"])["statusCode"] == 200
    assert follow(claims["id"])["body"] == token

    # Its status read as the specification says: the issuer's 1EdTech revocation list.
    assert claims["credentialStatus"]["type"] == "1EdTechRevocationList"
    before = json.loads(follow(claims["credentialStatus"]["id"])["body"])
    assert before["issuer"] == claims["issuer"]["id"]
    assert claims["id"] not in [c["id"] for c in before["revokedCredentials"]]
    from functions.badge.handler import lambda_handler

    params = {"badgeId": step1["badge_id"]}
    body = {"reason": "The program closed."}
    revoke = "/badges/{badgeId}/revoke"
    assert invoke(lambda_handler, "POST", revoke, world.va_staff, params, body=body)[0] == 200
    after = json.loads(follow(claims["credentialStatus"]["id"])["body"])
    assert [c["id"] for c in after["revokedCredentials"]] == [claims["id"]]
    assert "closed" not in json.dumps(after)  # the reason stays in the table

    # Signed once: asking again makes no KMS call and answers the same credential.
    def no_kms() -> None:
        raise AssertionError("the credential is signed once")

    monkeypatch.setattr(aws, "kms", no_kms)
    assert get(f"/badges/{step1['badge_id']}/credential", where, params)["body"] == token
