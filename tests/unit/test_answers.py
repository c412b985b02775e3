"""Pure rules of answers: n/a only where allowed, progress and resume, readiness, comparison."""

from __future__ import annotations

from typing import Any

import pytest

from shared.domain.answers import check_answer_fits_item, compare, progress, readiness_blockers
from shared.domain.instrument import Crosswalk, load_instrument, translate_answers
from shared.errors import RuleViolation

INSTRUMENT = load_instrument()
ITEMS = INSTRUMENT.items


def _no() -> dict[str, Any]:
    return {"in_practice": "no", "rating": None}


def test_na_is_refused_where_the_item_does_not_allow_it() -> None:
    strict = next(i for i in ITEMS if not i.allows_na)
    lenient = next(i for i in ITEMS if i.allows_na)
    with pytest.raises(RuleViolation) as raised:
        check_answer_fits_item(strict, "n/a")
    assert raised.value.extensions["field"] == "body.in_practice"
    assert strict.code in raised.value.detail
    check_answer_fits_item(lenient, "n/a")
    check_answer_fits_item(strict, "no")


def test_progress_counts_per_section_and_resumes_at_the_first_gap() -> None:
    answered = [ITEMS[0].key, ITEMS[1].key, ITEMS[3].key]
    done = progress(INSTRUMENT, answered)
    assert (done.answered, done.total) == (3, 92)
    assert done.sections[0].answered == 3
    assert sum(s.total for s in done.sections) == 92
    assert done.resume_at == ITEMS[2].code
    assert progress(INSTRUMENT, [i.key for i in ITEMS]).resume_at is None


def test_readiness_lists_every_unanswered_item_and_a_locked_cycle() -> None:
    answers = {i.key: _no() for i in ITEMS[:-2]}
    blockers = readiness_blockers(INSTRUMENT, answers, answerable=True, state="open")
    assert [b.item_code for b in blockers] == [ITEMS[-2].code, ITEMS[-1].code]
    complete = {i.key: _no() for i in ITEMS}
    assert readiness_blockers(INSTRUMENT, complete, answerable=True, state="open") == []
    locked = readiness_blockers(INSTRUMENT, complete, answerable=False, state="submitted")
    assert [b.code for b in locked] == ["not-answerable"]


def test_comparison_matches_items_by_key_and_averages_ratings_per_section() -> None:
    first, second = ITEMS[0], ITEMS[1]
    before = {first.key: {"in_practice": "yes", "rating": 2}, second.key: _no()}
    after = {
        first.key: {"in_practice": "yes", "rating": 5},
        second.key: {"in_practice": "yes", "rating": 3},
    }
    items, sections = compare(INSTRUMENT, after, before)
    assert items[0].rating_change == 3
    assert items[1].rating_change is None  # no rating before
    assert items[2].before is None
    assert items[2].after is None
    assert sections[0].in_practice_before == 1
    assert sections[0].in_practice_after == 2
    assert sections[0].average_rating_before == 2
    assert sections[0].average_rating_after == 4


def test_comparison_translates_renamed_keys_and_drops_retired_ones() -> None:
    first, second = ITEMS[0], ITEMS[1]
    crosswalk = Crosswalk(1, 2, {"old-" + first.key: first.key, "old-gone": None})
    before = {
        "old-" + first.key: {"in_practice": "yes", "rating": 1},
        "old-gone": {"in_practice": "yes", "rating": 5},
        second.key: {"in_practice": "yes", "rating": 4},
    }
    items, _ = compare(INSTRUMENT, {}, translate_answers(before, [crosswalk]))
    assert items[0].before == {"in_practice": "yes", "rating": 1}
    assert items[1].before == {"in_practice": "yes", "rating": 4}
