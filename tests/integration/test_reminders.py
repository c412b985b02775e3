"""The daily reminders job against moto: "due in 7 days" and "overdue" once each however often
it runs, a missed day caught up, a submitted cycle left alone and a returned one reminded, the
Monday digest of overdue assessments and goals once per affiliate and week; never a Scan."""

from __future__ import annotations

from datetime import date, timedelta

from functions.plan.rules import add_months
from tests.integration.test_assessment import World, open_cycle, world
from tests.integration.test_assessment import call as assessment_call
from tests.integration.test_directory import call as directory_call
from tests.integration.test_plan import cycle_id, finalized
from tests.integration.test_review import submitted_cycle
from tests.support.clocks import as_of
from tests.support.lambdas import dynamodb_requests, outbox_events, table_items

__all__ = ["cycle_id", "world"]  # fixtures, imported to be used here

DAY = timedelta(days=1)
NOTHING = {"days": 0, "due_soon": 0, "overdue": 0, "digests": 0}


def run_job(day: date) -> dict[str, int]:
    from functions.notify.reminder_job import remind

    with as_of(day):
        return remind({"id": f"run-{day}"}, None)


def _affiliates(world: World, program_id: str) -> list[str]:
    """The affiliates serving the program (whom its reminders concern)."""
    status, program, _ = directory_call(
        "GET", "/programs/{programId}", world.va_staff, {"programId": program_id}
    )
    assert status == 200, program
    return sorted([program["primary_affiliate_id"], *program["secondary_affiliate_ids"]])


def _not_monday(day: date) -> date:
    """``day``, or the day after if it is a Monday (so no digest joins the run)."""
    return day + DAY if day.weekday() == 0 else day


def test_due_soon_then_overdue_each_once_a_missed_day_caught_up_and_no_scan(
    world: World,
) -> None:
    cycle = open_cycle(world)
    due = date.fromisoformat(cycle["due_date"])
    soon_day = due - timedelta(days=7)

    with dynamodb_requests() as calls:
        first = run_job(soon_day)
        assert first["due_soon"] == 1
        assert run_job(soon_day) == NOTHING  # the same day again: nothing twice
        # The job then misses a week and more: the overdue reminder is caught up three days
        # late, and the Monday digest in between (the cycle is overdue now).
        late_day = _not_monday(due + 3 * DAY)
        calls.clear()
        late = run_job(late_day)
        days = (late_day - soon_day).days
        assert late == {"days": days, "due_soon": 0, "overdue": 1, "digests": 1}
        # One query per day and one of the watch list, whatever else the table holds; the job
        # state, the cycle, the watched cycles in one batch; reminder, digest, state written.
        assert (calls["Query"], calls["GetItem"], calls["BatchGetItem"]) == (days + 1, 2, 1)
        assert calls["TransactWriteItems"] == 3
        assert run_job(late_day) == NOTHING
    assert "Scan" not in calls

    (soon,) = outbox_events("AssessmentDueSoon")
    (overdue,) = outbox_events("AssessmentOverdue")
    expected = {
        "cycle_id": cycle["cycle_id"],
        "program_id": world.program,
        "affiliate_ids": _affiliates(world, world.program),
        "due_date": due.isoformat(),
    }
    for event in (soon, overdue):
        assert event["data"] == expected
        assert (event["cycle_id"], event["program_id"]) == (cycle["cycle_id"], world.program)
        assert event["affiliate_ids"] == expected["affiliate_ids"]  # notify tells the affiliates
        assert event["actor"] == {"kind": "system", "user_id": None}


def test_a_submitted_cycle_is_not_reminded_and_a_returned_one_is(world: World) -> None:
    submitted = submitted_cycle(world)
    status, cycle, _ = assessment_call(
        "GET", "/cycles/{cycleId}", world.alice, {"cycleId": submitted}
    )
    assert status == 200, cycle
    due = date.fromisoformat(cycle["due_date"])

    assert run_job(due - timedelta(days=7))["due_soon"] == 0
    assert outbox_events("AssessmentDueSoon") == []

    status, returned, _ = assessment_call(
        "POST",
        "/cycles/{cycleId}/return",
        world.va_staff,
        {"cycleId": submitted},
        body={"comment": "Please add the screening policy."},
    )
    assert (status, returned["state"]) == (200, "returned"), returned
    assert run_job(_not_monday(due + DAY))["overdue"] == 1
    (overdue,) = outbox_events("AssessmentOverdue")
    assert overdue["data"]["cycle_id"] == submitted


def test_the_monday_digest_lists_overdue_assessments_and_goals_once_per_affiliate(
    world: World, cycle_id: str
) -> None:
    goal_ids = finalized(world, cycle_id)  # world.program: a plan in effect, goals due in 9 months
    late = open_cycle(world, world.other_program)  # never submitted
    due = date.fromisoformat(late["due_date"])
    run_job(_not_monday(due + DAY))  # the overdue reminder (and the job's last day)
    monday = add_months(date.today(), 9) + DAY
    monday += timedelta(days=(7 - monday.weekday()) % 7)

    with dynamodb_requests() as calls:
        report = run_job(monday)
        assert report["digests"] == 1
        assert run_job(monday)["digests"] == 0  # the same day again
        assert run_job(monday + DAY)["digests"] == 0  # a Tuesday: no digest
    assert "Scan" not in calls

    (digest,) = [
        e for e in outbox_events("OverdueDigestDue") if e["data"]["week_of"] == f"{monday}"
    ]
    (affiliate_id,) = _affiliates(world, world.other_program)
    assert digest["affiliate_ids"] == [affiliate_id]
    assert digest["data"] == {
        "affiliate_id": affiliate_id,
        "week_of": monday.isoformat(),
        "cycle_ids": [late["cycle_id"]],
        "goals": [{"cycle_id": cycle_id, "goal_id": g} for g in sorted(goal_ids)],
    }


def test_a_superseded_cycle_leaves_the_digest_and_its_watch_is_dropped(
    world: World, cycle_id: str
) -> None:
    finalized(world, cycle_id)
    newer = open_cycle(world)  # supersedes the finalized cycle; due in 8 weeks
    monday = add_months(date.today(), 9) + DAY
    monday += timedelta(days=(7 - monday.weekday()) % 7)

    assert run_job(monday)["digests"] == 1
    (digest,) = outbox_events("OverdueDigestDue")
    assert digest["data"]["cycle_ids"] == [newer["cycle_id"]]  # overdue by then
    assert digest["data"]["goals"] == []  # the superseded plan's goals are not worked on
    watches = {i["pk"]["S"] for i in table_items() if i["sk"]["S"] == "WATCH"}
    assert watches == {f"REMINDER#{newer['cycle_id']}"}  # the historical cycle's is dropped
