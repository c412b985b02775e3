"""The self-assessment instrument: the packaged bank, the validator, the loader, crosswalks."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from shared.domain.instrument import (
    DEFAULT_INSTRUMENT,
    Crosswalk,
    Instrument,
    InstrumentError,
    crosswalk_for,
    load_instrument,
    translate_key,
    validate_crosswalk,
    validate_instrument,
)


@pytest.fixture(scope="module")
def bank() -> Instrument:
    return load_instrument()


@pytest.fixture
def data(bank: Instrument) -> dict[str, Any]:
    """A fresh, valid copy of the packaged bank, to break one thing per test."""
    return copy.deepcopy(bank.to_dict())


def rejected(data: dict[str, Any]) -> str:
    with pytest.raises(InstrumentError) as caught:
        validate_instrument(data)
    return str(caught.value)


# --------------------------------------------------------------------------- packaged bank
def test_packaged_bank_is_the_default_and_validates(bank):
    assert bank.key == DEFAULT_INSTRUMENT == "nqms-eepm4"
    assert bank.version == 1
    assert validate_instrument(bank.to_dict()) == bank


def test_packaged_bank_has_92_items(bank):
    assert bank.item_count == 92
    assert len(bank.items) == 92


def test_three_parts_in_order_each_with_items(bank):
    assert [p.id for p in bank.parts] == ["design", "operations", "evaluation"]
    assert [p.title for p in bank.parts] == [
        "Program Design and Management",
        "Program Operations",
        "Program Evaluation",
    ]
    for part in bank.parts:
        assert any(i.part == part.id for i in bank.items), part.id
    # parts follow each other: all design items, then operations, then evaluation
    order = [p.id for p in bank.parts]
    assert [order.index(i.part) for i in bank.items] == sorted(
        order.index(i.part) for i in bank.items
    )


def test_codes_are_section_letter_plus_continuous_number(bank):
    assert bank.items[0].code == "A1"
    assert bank.items[-1].code.endswith("92")
    for n, item in enumerate(bank.items, start=1):
        assert item.code == f"{item.section}{n}"


def test_sections_are_lettered_in_order_and_all_used(bank):
    letters = [s.letter for s in bank.sections]
    assert letters == [chr(ord("A") + n) for n in range(len(letters))]
    for section in bank.sections:
        assert bank.items_in_section(section.letter), section.letter
    assert sum(len(bank.items_in_section(s.letter)) for s in bank.sections) == 92


def test_operations_covers_the_six_standards(bank):
    operations = [s.title for s in bank.sections if s.part == "operations"]
    assert operations == [
        "Recruitment",
        "Screening",
        "Training",
        "Matching and initiating",
        "Monitoring and support",
        "Closure",
    ]


def test_keys_are_unique_and_stable_looking(bank):
    keys = [i.key for i in bank.items]
    assert len(set(keys)) == 92
    for key in keys:
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", key), key
        assert not re.search(r"[A-Z]\d", key)  # independent of the display code


def test_every_item_is_complete_and_its_kind_follows_its_reference(bank):
    kinds = {"B": "benchmark", "E": "enhancement", "PM": "management"}
    prompts = set()
    for item in bank.items:
        assert item.prompt.strip()
        assert item.guidance.strip()
        assert item.evidence_hint.strip()
        assert item.references
        assert item.kind == kinds[item.references[0].split(".")[0]]
        prompts.add(item.prompt)
    assert len(prompts) == 92  # each a distinct practice


def test_operations_items_tie_to_benchmarks_or_enhancements(bank):
    operations = [i for i in bank.items if i.part == "operations"]
    assert all(i.kind in {"benchmark", "enhancement"} for i in operations)
    assert any(i.kind == "benchmark" for i in operations)
    assert any(i.kind == "enhancement" for i in operations)


def test_na_is_allowed_on_some_items_only(bank):
    allowing = [i for i in bank.items if i.allows_na]
    assert 10 <= len(allowing) <= 20
    assert not bank.item_by_code("H43").allows_na  # background checks are never optional


def test_lookup_by_key_and_by_code(bank):
    first = bank.items[0]
    assert bank.item_by_key(first.key) is first
    assert bank.item_by_key("nope") is None
    assert bank.item_by_code("a1") is first
    assert bank.item_by_code("A1") is first
    assert bank.item_by_code(" p92 ") is bank.items[-1]
    assert bank.item_by_code("Z99") is None


def test_items_in_section(bank):
    in_a = bank.items_in_section("A")
    assert [i.code for i in in_a] == ["A1", "A2", "A3", "A4", "A5"]
    assert bank.items_in_section("a") == in_a
    assert bank.items_in_section("Z") == ()


def test_to_dict_round_trips_and_is_plain_json(bank):
    import json

    data = bank.to_dict()
    assert validate_instrument(json.loads(json.dumps(data))) == bank
    assert data["items"][0]["references"] == list(bank.items[0].references)


def test_loader_caches_and_rejects_unknown_instruments(bank):
    assert load_instrument(DEFAULT_INSTRUMENT, 1) is load_instrument()
    with pytest.raises(InstrumentError, match="unknown instrument"):
        load_instrument(DEFAULT_INSTRUMENT, 99)
    with pytest.raises(InstrumentError, match="unknown instrument"):
        load_instrument("no-such-bank", 1)
    with pytest.raises(InstrumentError, match="invalid instrument key"):
        load_instrument("../secrets", 1)
    with pytest.raises(InstrumentError, match="invalid instrument version"):
        load_instrument(DEFAULT_INSTRUMENT, 0)


# --------------------------------------------------------------------------- validator
def test_missing_item_is_rejected_as_wrong_count(data):
    data["items"].pop()
    assert "item count 91 differs from the declared item_count 92" in rejected(data)


def test_declared_count_must_be_92_for_this_instrument(data):
    data["item_count"] = 91
    data["items"].pop()
    assert "item_count of nqms-eepm4 must be 92, not 91" in rejected(data)


def test_other_instruments_need_the_declared_count_only(data):
    data["key"] = "pilot-bank"
    data["item_count"] = 91
    data["items"].pop()
    smaller = validate_instrument(data)
    assert len(smaller.items) == 91
    data["item_count"] = 90
    assert "item count 91 differs from the declared item_count 90" in rejected(data)


def test_duplicate_code_is_rejected(data):
    data["items"][1]["code"] = "a1"
    message = rejected(data)
    assert "duplicate code 'a1'" in message


def test_duplicate_key_is_rejected(data):
    data["items"][7]["key"] = data["items"][3]["key"]
    assert f"duplicate key {data['items'][3]['key']!r}" in rejected(data)


def test_unknown_section_is_rejected(data):
    data["items"][0]["section"] = "Z"
    message = rejected(data)
    assert "item 1 (A1): unknown section 'Z'" in message


def test_unknown_part_is_rejected(data):
    data["items"][0]["part"] = "finance"
    assert "item 1 (A1): unknown part 'finance'" in rejected(data)


def test_section_of_unknown_part_is_rejected(data):
    data["sections"][0]["part"] = "finance"
    assert "section A: unknown part 'finance'" in rejected(data)


def test_item_part_must_match_its_section(data):
    data["items"][0]["part"] = "evaluation"
    assert "part 'evaluation' differs from the part 'design' of section A" in rejected(data)


def test_missing_reference_is_rejected(data):
    data["items"][4]["references"] = []
    assert "item 5 (A5): missing reference" in rejected(data)
    del data["items"][4]["references"]
    assert "item 5 (A5): missing references" in rejected(data)


@pytest.mark.parametrize("reference", ["B.7.1", "B2.4", "E.1", "PM.Governance", "X.1.1", 3])
def test_malformed_reference_is_rejected(data, reference):
    data["items"][30]["references"] = [reference]
    assert f"malformed reference {reference!r}" in rejected(data)


def test_kind_inconsistent_with_reference_is_rejected(data):
    item = data["items"][30]
    assert item["references"][0].startswith("B.")
    item["kind"] = "enhancement"
    message = rejected(data)
    assert "kind 'enhancement' inconsistent with references" in message
    assert "makes it 'benchmark'" in message


def test_unknown_kind_is_rejected(data):
    data["items"][0]["kind"] = "optional"
    assert "unknown kind 'optional'" in rejected(data)


def test_codes_must_be_continuous(data):
    data["items"][5]["code"] = "B7"
    message = rejected(data)
    assert "codes not continuous" in message
    assert "item 6 must be numbered 6, not 7" in message


def test_code_letter_must_be_the_items_section(data):
    data["items"][5]["code"] = "A6"
    assert "code letter is not the item's section 'B'" in rejected(data)


def test_items_must_be_grouped_by_section_in_order(data):
    items = data["items"]
    # move A1 after the B items, renumbering so only the grouping is wrong
    moved = items.pop(0)
    items.insert(9, moved)
    for n, item in enumerate(items, start=1):
        item["code"] = f"{item['section']}{n}"
    assert "items not grouped by section in order" in rejected(data)


def test_sections_must_be_in_letter_order(data):
    data["sections"][0]["letter"], data["sections"][1]["letter"] = "B", "A"
    assert "sections out of letter order" in rejected(data)


def test_invalid_key_format_is_rejected(data):
    data["items"][0]["key"] = "Des Leadership"
    assert "invalid key format 'Des Leadership'" in rejected(data)


@pytest.mark.parametrize("version", [0, -1, "1", True, None])
def test_version_must_be_a_positive_integer(data, version):
    data["version"] = version
    assert "version" in rejected(data)


def test_blank_and_missing_fields_are_named(data):
    data["items"][0]["prompt"] = "  "
    del data["items"][1]["guidance"]
    data["title"] = ""
    message = rejected(data)
    assert "item 1 (A1): prompt is blank" in message
    assert "item 2 (A2): missing guidance" in message
    assert "instrument: title is blank" in message


def test_wrong_types_are_named(data):
    data["items"][0]["allows_na"] = "yes"
    data["items"][1]["references"] = "PM.governance"
    data["parts"] = "design"
    message = rejected(data)
    assert "allows_na must be true or false" in message
    assert "references must be a list" in message
    assert "parts must be a list" in message


def test_all_problems_are_reported_together(data):
    data["items"][1]["code"] = "A1"
    data["items"][2]["references"] = ["nonsense"]
    data["items"][3]["kind"] = "benchmark"
    with pytest.raises(InstrumentError) as caught:
        validate_instrument(data)
    error = caught.value
    assert len(error.problems) >= 3
    assert str(error) == "; ".join(error.problems)


def test_not_an_object_is_rejected():
    with pytest.raises(InstrumentError, match="must be an object"):
        validate_instrument([])


# --------------------------------------------------------------------------- crosswalks
@pytest.fixture
def versions(bank: Instrument) -> tuple[Instrument, Instrument]:
    """Version 2: A1 renamed, A2 retired, a new item added at the end of section A."""
    data = bank.to_dict()
    data["version"] = 2
    items = data["items"]
    items[0]["key"] = "des.leadership.mission-and-vision"
    retired = items.pop(1)
    items.insert(
        4,
        {**retired, "key": "des.leadership.succession", "prompt": "Leaders plan succession."},
    )
    for n, item in enumerate(items, start=1):
        item["code"] = f"{item['section']}{n}"
    return bank, validate_instrument(data)


def test_crosswalk_translates_renamed_retired_and_unchanged_keys(versions):
    old, new = versions
    crosswalk = crosswalk_for(
        old,
        new,
        {old.items[0].key: "des.leadership.mission-and-vision", old.items[1].key: None},
    )
    assert (crosswalk.from_version, crosswalk.to_version) == (1, 2)
    assert translate_key(crosswalk, old.items[0].key) == "des.leadership.mission-and-vision"
    assert translate_key(crosswalk, old.items[1].key) is None
    assert translate_key(crosswalk, old.items[2].key) == old.items[2].key
    assert translate_key(None, "anything") == "anything"
    # an unchanged item keeps its key even though its code moved
    same = old.items[2].key
    assert old.item_by_key(same).code == "A3"
    assert new.item_by_key(same).code == "A2"


def test_crosswalk_rejects_unknown_old_and_new_keys(versions):
    old, new = versions
    mapping = {
        old.items[0].key: "des.leadership.mission-and-vision",
        old.items[1].key: None,
        "des.leadership.ghost": None,
        old.items[2].key: "des.leadership.nowhere",
    }
    with pytest.raises(InstrumentError) as caught:
        validate_crosswalk(mapping, old, new)
    message = str(caught.value)
    assert "unknown old key 'des.leadership.ghost'" in message
    assert "unknown new key 'des.leadership.nowhere'" in message


def test_crosswalk_rejects_old_keys_that_would_silently_drop(versions):
    old, new = versions
    with pytest.raises(InstrumentError, match="neither in version 2 nor mapped") as caught:
        crosswalk_for(old, new, None)
    assert old.items[0].key in str(caught.value)
    assert old.items[1].key in str(caught.value)


def test_crosswalk_rejects_two_old_keys_on_one_new_key(versions):
    old, new = versions
    mapping = {
        old.items[0].key: old.items[2].key,
        old.items[1].key: None,
    }
    with pytest.raises(InstrumentError, match="both map to new key"):
        validate_crosswalk(mapping, old, new)


def test_crosswalk_rejects_retiring_a_key_still_in_use(versions):
    old, new = versions
    mapping = {
        old.items[0].key: "des.leadership.mission-and-vision",
        old.items[1].key: None,
        old.items[2].key: None,
    }
    with pytest.raises(InstrumentError, match="retired but still in version 2"):
        validate_crosswalk(mapping, old, new)


def test_identical_versions_need_no_mapping(bank):
    data = bank.to_dict()
    data["version"] = 2
    crosswalk = crosswalk_for(bank, validate_instrument(data), None)
    assert crosswalk == Crosswalk(1, 2, {})
    assert translate_key(crosswalk, bank.items[0].key) == bank.items[0].key


def test_crosswalk_must_go_forward_within_one_instrument(bank):
    with pytest.raises(InstrumentError, match="later version"):
        crosswalk_for(bank, bank, None)
