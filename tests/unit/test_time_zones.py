"""One time-zone type for every field that takes one: any name it does not know is a 422."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from functions.directory.models import AffiliateIn
from functions.notify.models import PreferencesIn
from functions.review.models import MeetingIn
from shared.domain.formats import is_known_zone

ROOT = Path(__file__).resolve().parents[2]

AFFILIATE = {"name": "MENTOR Test", "state": "VA", "contact_email": "a@b.example"}
MEETING = {
    "start": "2030-01-01T10:00:00",
    "end": "2030-01-01T11:00:00",
    "mode": "online",
    "link": "https://meet.example/review",
}
MODELS: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (PreferencesIn, {}),
    (AffiliateIn, AFFILIATE),
    (MeetingIn, MEETING),
]
HOSTILE = [
    "x" * 256,  # ZoneInfo: OSError "File name too long", a 500 before
    "A/" * 200,
    "",
    "Mars/Olympus",
    "localtime",  # loads from some hosts' zoneinfo; not a place
    "../../etc/passwd",
    "America/Chicago\x00",
    "america/chicago",
]


@pytest.mark.parametrize(("model", "rest"), MODELS, ids=lambda m: getattr(m, "__name__", ""))
@pytest.mark.parametrize("zone", HOSTILE, ids=range(len(HOSTILE)))
def test_every_time_zone_field_refuses_what_it_does_not_know(
    model: type[BaseModel], rest: dict[str, Any], zone: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate({**rest, "time_zone": zone})
    [error] = refused.value.errors()
    assert error["loc"] == ("time_zone",)
    assert error["type"] in {"unknown_time_zone", "string_too_long"}


@pytest.mark.parametrize(("model", "rest"), MODELS, ids=lambda m: getattr(m, "__name__", ""))
def test_every_time_zone_field_takes_an_iana_zone(
    model: type[BaseModel], rest: dict[str, Any]
) -> None:
    for zone in ("America/Chicago", "America/Argentina/ComodRivadavia", "UTC", "Asia/Tokyo"):
        assert model.model_validate({**rest, "time_zone": zone}).time_zone == zone  # type: ignore[attr-defined]


def test_the_contract_gives_every_time_zone_field_the_same_schema() -> None:
    document = json.loads((ROOT / "openapi.json").read_text())
    found = {}
    for name, schema in document["components"]["schemas"].items():
        prop = schema.get("properties", {}).get("time_zone")
        if prop is None or not name.endswith("In"):
            continue
        shape = next((s for s in prop.get("anyOf", [prop]) if s.get("type") == "string"), prop)
        found[name] = (shape.get("type"), shape.get("maxLength"))
    assert set(found) >= {"AffiliateIn", "PreferencesIn", "MeetingIn"}, found
    assert set(found.values()) == {("string", 64)}, found


def test_known_zones_are_places() -> None:
    assert is_known_zone("Europe/Paris")
    assert not is_known_zone("posixrules")
    assert not is_known_zone("Factory")
