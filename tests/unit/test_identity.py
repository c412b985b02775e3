from __future__ import annotations

import pytest

from shared.errors import Unauthenticated
from shared.identity import Role, claims_from_authorizer, parse_groups, roles_of


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("affiliate-staff", {"affiliate-staff"}),
        ("program-staff,affiliate-staff", {"program-staff", "affiliate-staff"}),
        ("[program-staff affiliate-staff]", {"program-staff", "affiliate-staff"}),
        (["national-staff"], {"national-staff"}),
        ("", set()),
        (None, set()),
    ],
)
def test_groups_in_every_shape_api_gateway_hands_them_over(raw, expected) -> None:
    assert parse_groups(raw) == expected


def test_unknown_groups_carry_no_role() -> None:
    assert roles_of({"admins", "program-staff"}) == {Role.PROGRAM_STAFF}


def test_claims_without_a_subject_are_unauthenticated() -> None:
    with pytest.raises(Unauthenticated):
        claims_from_authorizer({"claims": {"email": "x@example.org"}})


def test_an_access_token_is_not_accepted_in_place_of_the_id_token() -> None:
    with pytest.raises(Unauthenticated):
        claims_from_authorizer({"claims": {"sub": "u", "token_use": "access"}})


def test_claims_are_read_from_strings() -> None:
    claims = claims_from_authorizer(
        {
            "claims": {
                "sub": "u1",
                "email": "a@b.example",
                "cognito:groups": "program-staff",
                "token_use": "id",
            }
        }
    )
    assert claims.sub == "u1"
    assert claims.groups == {"program-staff"}
