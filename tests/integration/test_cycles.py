"""The cycle helpers every service shares (shared/store/cycles.py), used as a service would."""

from __future__ import annotations

import pytest

from shared import keys
from shared.adapters import aws
from shared.adapters.table import Table
from shared.context import Context
from shared.domain.cycle_states import Action, CycleState
from shared.errors import Forbidden, NotFound, VersionConflict
from shared.events import CycleArchived
from shared.identity import Caller, Membership, Role
from shared.settings import FunctionSettings, get_settings
from shared.store import cycles
from tests.integration import test_assessment as assessment
from tests.integration.test_assessment import World, open_cycle
from tests.support.lambdas import PlainTable

world = assessment.world  # the same users, affiliates and programs

ADMIN = Caller(
    user_id="usr_admin",
    roles=frozenset({Role.NATIONAL_STAFF}),
    memberships=(Membership("national", None, frozenset({"admin"})),),
)


def _staff_of(program_id: str) -> Caller:
    return Caller(
        user_id="usr_staff",
        roles=frozenset({Role.PROGRAM_STAFF}),
        memberships=(Membership("program", program_id),),
    )


def _archive(caller: Caller) -> Context:
    return Context(caller=caller, operation_id="archiveCycle", correlation_id="test")


def test_loading_decides_403_or_404_like_every_cycle_operation(world: World) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    table = Table(get_settings(FunctionSettings).table_name, aws.dynamodb())
    loaded = cycles.authorized_cycle(_archive(ADMIN), table, cycle_id)
    assert (loaded.program_id, loaded.state) == (world.program, CycleState.OPEN)
    with pytest.raises(Forbidden):  # its own program's staff read it but may not archive it
        cycles.authorized_cycle(_archive(_staff_of(world.program)), table, cycle_id)
    with pytest.raises(NotFound):  # another program's staff learn nothing
        cycles.authorized_cycle(_archive(_staff_of(world.other_program)), table, cycle_id)


def test_a_transition_is_refused_once_the_cycle_left_the_actions_source_states(
    world: World,
) -> None:
    cycle_id = open_cycle(world)["cycle_id"]
    table = Table(get_settings(FunctionSettings).table_name, aws.dynamodb())
    ctx = _archive(ADMIN)
    loaded = cycles.authorized_cycle(ctx, table, cycle_id)
    # another writer moved the cycle on without changing its version (as scripts/bench.py does)
    stored = PlainTable(table.name)
    stored.update_item(
        Key=keys.cycle(cycle_id),
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":s": CycleState.ARCHIVED.value},
    )
    event = CycleArchived(cycle_id=cycle_id, program_id=world.program, previous_state="open")
    uow, _ = cycles.transition_cycle(ctx, table, loaded, Action.ARCHIVE, {"x": 1}, event)
    with pytest.raises(VersionConflict):
        uow.commit()
    after = stored.get_item(Key=keys.cycle(cycle_id))["Item"]
    assert (after["version"], "x" in after) == (loaded.version, False)
