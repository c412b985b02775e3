"""The boundary types have one rule each, wherever a value of that kind comes in: every email
field and every reader of an address agree on what an address is, and every reader of a time
zone knows the same zones as the time-zone fields."""

from __future__ import annotations

from datetime import UTC, datetime
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel, ValidationError

from functions.assessment import evidence_models
from functions.assessment import models as assessment_models
from functions.badge import models as badge_models
from functions.directory import models as directory_models
from functions.directory.models import AffiliateIn, ContactIn, MemberIn
from functions.notify import models as notify_models
from functions.notify.content import zone_of
from functions.plan import models as plan_models
from functions.review import models as review_models
from functions.review.models import MeetingIn
from functions.review.rules import schedule_meeting
from shared.domain.calendar import Person, render_invite
from shared.domain.formats import normalize_email
from shared.edge.types import Input, Output

MODEL_MODULES: list[ModuleType] = [
    assessment_models,
    evidence_models,
    badge_models,
    directory_models,
    notify_models,
    plan_models,
    review_models,
]
#: Not bodies of ours: a public JWK as RFC 7517 has it (any member allowed).
NOT_BODIES = {"SigningKey"}
NOW = datetime(2026, 1, 5, tzinfo=UTC)
MEETING: dict[str, Any] = {
    "time_zone": "America/Chicago",
    "start": "2026-01-20T10:00:00",
    "end": "2026-01-20T11:00:00",
    "mode": "online",
    "link": "https://meet.example.org/x",
}

EMAIL_FIELDS: list[tuple[type[BaseModel], str, dict[str, Any]]] = [
    (AffiliateIn, "contact_email", {"name": "MENTOR Test", "state": "VA", "time_zone": "UTC"}),
    (ContactIn, "email", {"name": "Ann"}),
    (MemberIn, "email", {"name": "Ann"}),
]
NOT_ADDRESSES = [
    "a,b@example.org",  # a header reads two addresses
    "<a>@example.org",
    "a;b@example.org",
    'a"b@example.org',
    "a@-example.org",
    "a@example..org",
    "a@example",
    "a b@example.org",
    "a@b@example.org",
    "x" * 250 + "@example.org",
]
ADDRESSES = ["Coordinator@Program.Example", "first.last+nqms@mail.example.org", "a@b.co"]


@pytest.mark.parametrize(("model", "field", "rest"), EMAIL_FIELDS, ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("address", NOT_ADDRESSES, ids=range(len(NOT_ADDRESSES)))
def test_every_email_field_refuses_what_is_not_an_address(
    model: type[BaseModel], field: str, rest: dict[str, Any], address: str
) -> None:
    assert normalize_email(address) is None
    with pytest.raises(ValidationError) as refused:
        model.model_validate({**rest, field: address})
    assert [error["loc"] for error in refused.value.errors()] == [(field,)]


@pytest.mark.parametrize(("model", "field", "rest"), EMAIL_FIELDS, ids=lambda v: str(v)[:20])
def test_every_email_field_takes_an_address_and_keeps_it_in_lower_case(
    model: type[BaseModel], field: str, rest: dict[str, Any]
) -> None:
    for address in ADDRESSES:
        assert getattr(model.model_validate({**rest, field: f" {address} "}), field) == (
            address.lower()
        )


@pytest.mark.parametrize("address", NOT_ADDRESSES, ids=range(len(NOT_ADDRESSES)))
def test_a_meeting_guest_and_an_invite_refuse_the_same_addresses(address: str) -> None:
    with pytest.raises(ValidationError) as refused:
        MeetingIn.model_validate({**MEETING, "attendees": {"guests": ["ok@example.org", address]}})
    assert [(e["loc"], e["type"]) for e in refused.value.errors()] == [
        (("attendees", "guests[1]"), "invalid_email")
    ]
    meeting = MeetingIn.model_validate(MEETING)
    scheduled = schedule_meeting(
        "cyc_1", meeting, state="in_review", existing=None, now=NOW, eligible_staff=()
    )
    with pytest.raises(ValueError, match="not an email address"):
        render_invite(scheduled, program_name="P", organizer=Person(address), attendees=[], now=NOW)


def test_a_guest_keeps_the_case_of_its_name_and_is_listed_once() -> None:
    guests = ["Board.Chair@Example.ORG", "board.chair@example.org", " guest@mail.example "]
    meeting = MeetingIn.model_validate({**MEETING, "attendees": {"guests": guests}})
    assert meeting.guests == ["Board.Chair@example.org", "guest@mail.example"]


@pytest.mark.parametrize("zone", ["Factory", "localtime", "x" * 256, "../../etc/passwd", ""])
def test_an_email_is_shown_in_a_zone_the_time_zone_fields_know(zone: str) -> None:
    assert zone_of(zone, "America/Chicago") == ZoneInfo("America/Chicago")
    assert zone_of(None, zone) == ZoneInfo("UTC")
    assert zone_of("Asia/Tokyo", "America/Chicago") == ZoneInfo("Asia/Tokyo")


def test_every_model_is_made_of_the_one_input_and_output() -> None:
    """A request model refuses an unknown field and a response model drops one, in every
    service: each is built on ``shared.edge.types``."""
    for module in MODEL_MODULES:
        for name, value in vars(module).items():
            if not (isinstance(value, type) and issubclass(value, BaseModel)):
                continue
            if value.__module__ != module.__name__ or name in NOT_BODIES:
                continue
            assert issubclass(value, Input if name.endswith("In") else Output), name
