"""The reminders job's rules: which day each reminder comes, whether it still applies on that
day, what is overdue, and which Monday's digest is due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from functions.notify import reminders as rules
from shared import keys
from shared.domain.cycle_states import CycleState
from shared.domain.reminders import ReminderKind, reminder_days
from shared.store.reminders import reminder_records

DUE = date(2027, 3, 15)  # a Monday
DAY = timedelta(days=1)


def test_due_soon_comes_a_week_before_and_overdue_the_day_after() -> None:
    assert reminder_days(DUE) == {
        ReminderKind.DUE_SOON: date(2027, 3, 8),
        ReminderKind.OVERDUE: date(2027, 3, 16),
    }


def test_weekends_are_nothing_special() -> None:
    saturday = date(2027, 3, 20)
    days = reminder_days(saturday)
    assert days[ReminderKind.DUE_SOON].weekday() == 5  # a Saturday too
    assert days[ReminderKind.OVERDUE] == date(2027, 3, 21)  # a Sunday
    assert rules.still_applies(ReminderKind.OVERDUE, CycleState.OPEN, saturday, saturday + DAY)


def test_a_cycle_opened_with_less_than_a_week_left_gets_no_due_soon() -> None:
    opened = DUE - timedelta(days=7)  # due-soon would be today: the opening message says it
    records = reminder_records("cyc_1", "prg_1", DUE, opened)
    kinds = [r.get("kind") for r in records]
    assert kinds == [None, "overdue"]  # the watch, and the overdue reminder
    assert records[0]["gsi1pk"] == keys.REMINDERS_WATCH_INDEX_PK
    assert records[1]["gsi1pk"] == keys.reminders_due_index_pk("2027-03-16")


def test_a_cycle_opened_in_time_gets_both_reminders_indexed_by_their_day() -> None:
    records = reminder_records("cyc_1", "prg_1", DUE, DUE - timedelta(weeks=8))
    assert sorted(r["gsi1pk"] for r in records if "kind" in r) == [
        "REMINDERS-DUE#2027-03-08",
        "REMINDERS-DUE#2027-03-16",
    ]


@pytest.mark.parametrize("state", [CycleState.OPEN, CycleState.RETURNED])
def test_open_and_returned_cycles_are_reminded(state: CycleState) -> None:
    assert rules.still_applies(ReminderKind.DUE_SOON, state, DUE, DUE - timedelta(days=7))
    assert rules.still_applies(ReminderKind.OVERDUE, state, DUE, DUE + DAY)


@pytest.mark.parametrize(
    "state", [s for s in CycleState if s not in (CycleState.OPEN, CycleState.RETURNED)]
)
def test_a_cycle_submitted_in_between_or_further_on_is_not_reminded(state: CycleState) -> None:
    assert not rules.still_applies(ReminderKind.DUE_SOON, state, DUE, DUE - timedelta(days=7))
    assert not rules.still_applies(ReminderKind.OVERDUE, state, DUE, DUE + DAY)


def test_a_late_due_soon_is_sent_up_to_the_due_date_itself_never_after() -> None:
    assert rules.still_applies(ReminderKind.DUE_SOON, CycleState.OPEN, DUE, DUE)
    assert not rules.still_applies(ReminderKind.DUE_SOON, CycleState.OPEN, DUE, DUE + DAY)


def test_overdue_only_once_the_due_date_has_passed() -> None:
    assert not rules.still_applies(ReminderKind.OVERDUE, CycleState.OPEN, DUE, DUE)
    assert not rules.assessment_overdue(CycleState.OPEN, DUE, DUE)
    assert rules.assessment_overdue(CycleState.RETURNED, DUE, DUE + DAY)
    assert not rules.assessment_overdue(CycleState.SUBMITTED, DUE, DUE + DAY)


def test_a_cycle_is_watched_until_superseded_or_archived() -> None:
    watched = {s for s in CycleState if rules.still_watched(s)}
    assert watched == set(CycleState) - {CycleState.HISTORICAL, CycleState.ARCHIVED}


@pytest.mark.parametrize(
    ("first", "last", "monday"),
    [
        (date(2027, 3, 15), date(2027, 3, 15), date(2027, 3, 15)),  # a Monday run
        (date(2027, 3, 16), date(2027, 3, 16), None),  # Tuesday: nothing
        (date(2027, 3, 14), date(2027, 3, 14), None),  # Sunday: nothing
        (date(2027, 3, 15), date(2027, 3, 17), date(2027, 3, 15)),  # Monday caught up
        (date(2027, 3, 1), date(2027, 3, 17), date(2027, 3, 15)),  # weeks missed: the latest
        (date(2027, 3, 16), date(2027, 3, 15), None),  # nothing to do
    ],
)
def test_the_digest_is_due_on_mondays_and_a_catch_up_sends_the_latest_week(
    first: date, last: date, monday: date | None
) -> None:
    assert rules.digest_week(first, last) == monday


def test_each_affiliate_gets_the_overdue_work_of_the_programs_it_serves() -> None:
    work = [
        rules.OverdueWork("cyc_2", ("aff_a", "aff_b"), False, ("gol_9", "gol_1")),
        rules.OverdueWork("cyc_1", ("aff_a",), True),
        rules.OverdueWork("cyc_3", ("aff_c",), False),  # nothing overdue: no digest
    ]
    found = rules.digests(work)
    assert sorted(found) == ["aff_a", "aff_b"]
    assert found["aff_a"].cycle_ids == ["cyc_1"]
    assert [(g.cycle_id, g.goal_id) for g in found["aff_a"].goals] == [
        ("cyc_2", "gol_1"),
        ("cyc_2", "gol_9"),
    ]
    assert (found["aff_b"].cycle_ids, len(found["aff_b"].goals)) == ([], 2)
