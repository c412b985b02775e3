"""The access table: every operation decided for every role; deny by default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.access import (
    ACCESS,
    Relation,
    decide,
    relations_to_affiliate,
    relations_to_program,
    roles_without_entry,
)
from shared.identity import Caller, Membership, Role

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = sorted(
    operation["operationId"]
    for item in json.loads((ROOT / "openapi.json").read_text())["paths"].values()
    for operation in item.values()
)


@pytest.mark.parametrize("operation_id", OPERATIONS)
@pytest.mark.parametrize("role", list(Role))
def test_every_operation_has_an_entry_for_every_role(operation_id: str, role: Role) -> None:
    assert operation_id in ACCESS, f"{operation_id} has no entry in shared/access.py ACCESS"
    assert role not in roles_without_entry(operation_id), f"{operation_id}: no decision for {role}"


def test_the_table_has_no_entries_for_operations_that_do_not_exist() -> None:
    assert set(ACCESS) - set(OPERATIONS) == set()


def test_an_unknown_operation_is_denied_to_everyone() -> None:
    assert not decide("dropEverything", list(Role), list(Relation))


def staff_of(affiliate_id: str) -> Caller:
    return Caller(
        user_id="u1",
        roles=frozenset({Role.AFFILIATE_STAFF}),
        memberships=(Membership("affiliate", affiliate_id),),
    )


def test_affiliate_staff_reach_a_program_only_through_an_affiliate_serving_it() -> None:
    caller = staff_of("aff_va")
    served = relations_to_program(caller, "prg_1", ["aff_ne", "aff_va"])
    not_served = relations_to_program(caller, "prg_2", ["aff_ne"])
    assert decide("getProgram", caller.roles, served)
    assert not decide("getProgram", caller.roles, not_served)


def test_program_membership_without_the_program_staff_role_grants_nothing() -> None:
    caller = Caller(user_id="u2", roles=frozenset(), memberships=(Membership("program", "prg_1"),))
    assert not decide("getProgram", caller.roles, relations_to_program(caller, "prg_1", []))


def test_national_staff_need_an_explicit_grant() -> None:
    plain = Caller(user_id="n1", roles=frozenset({Role.NATIONAL_STAFF}), memberships=())
    granted = Caller(
        user_id="n2",
        roles=frozenset({Role.NATIONAL_STAFF}),
        memberships=(Membership("national", None, frozenset({"results"})),),
    )
    assert not decide("getProgram", plain.roles, relations_to_program(plain, "prg_1", ["a"]))
    assert decide("getProgram", granted.roles, relations_to_program(granted, "prg_1", ["a"]))
    assert not decide("createAffiliate", granted.roles, relations_to_affiliate(granted, "a"))
