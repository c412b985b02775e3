"""The notifier through its Lambda handler, with SES and the table in moto: events from the
outbox in SQS batches, as the rule and the queue deliver them. Each message once per
recipient, however often its event arrives; nothing to suppressed addresses; optional
messages follow each person's preferences."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, cast

import pytest

from functions.notify import bounces, logic
from functions.notify.content import Links
from shared import adapters, keys
from shared.adapters.mail import Mailer
from shared.adapters.table import default_table
from shared.errors import ServiceBusy
from shared.events import SYSTEM, Actor, Envelope, new_event
from shared.events.reminders import GoalRef, OverdueDigestDue
from tests.integration.test_assessment import World, open_cycle, world
from tests.support.aws import Resources
from tests.support.consumers import as_body, bus_event, sqs_event
from tests.support.lambdas import LambdaContext, User, invoke, outbox_events

__all__ = ["world"]  # a fixture, imported to be used here


@pytest.fixture
def notifier(aws_env: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    """The notifier's environment as the template resolves it (sender, configuration set)."""
    for name, value in aws_env.stack.functions["NotifyFunction"].environment.items():
        monkeypatch.setenv(name, value)
    from functions.notify.settings import notify_settings

    notify_settings.cache_clear()
    adapters.reset()


def deliver(*envelopes: dict[str, Any]) -> dict[str, Any]:
    from functions.notify.consumer import lambda_handler

    bodies = [as_body(bus_event(Envelope.model_validate(e))) for e in envelopes]
    return dict(lambda_handler(sqs_event(*bodies), LambdaContext()))


def sent() -> list[EmailMessage]:
    """Every message moto's SES accepted, parsed as a mail program would."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    raw = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(m.raw_data.encode()) for m in raw]


def to_of(messages: list[EmailMessage], kind: str) -> list[str]:
    return sorted(
        str(m["To"].addresses[0].addr_spec) for m in messages if m["X-NQMS-Message"] == kind
    )


def test_a_cycle_opened_reaches_each_program_staff_member_once(
    world: World, notifier: None
) -> None:
    open_cycle(world)
    [event] = outbox_events("CycleOpened")

    first = deliver(event, event)  # twice in one batch: two invocations racing
    again = deliver(event)

    assert first == again == {"batchItemFailures": []}
    messages = sent()
    assert to_of(messages, "cycle-opened") == [world.alice.email, world.bob.email]
    message = next(m for m in messages if m["X-NQMS-Message"] == "cycle-opened")
    assert message["From"].addresses[0].addr_spec == "notifications@nqms.example.org"
    assert str(message["Reply-To"]) == "nqms@mentor-va.example"  # the affiliate's contact
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    due = event["data"]["due_date"]
    assert due in text.get_content()
    assert due in html.get_content()
    assert "MENTOR Virginia" in text.get_content()


def test_an_invitation_goes_to_the_invitee_alone(world: World, notifier: None) -> None:
    invited = [
        e
        for e in outbox_events("MemberInvited")
        if e["data"]["user_id"] in (world.alice.sub, world.va_staff.sub)
    ]

    deliver(*invited)

    # Alice joined a program: welcomed. VA's staff joined an affiliate: not in the table.
    assert to_of(sent(), "invitation") == [world.alice.email]


def test_a_suppressed_address_gets_nothing_more(world: World, notifier: None) -> None:
    bounce = {
        "version": "0",
        "source": "aws.ses",
        "detail-type": "Email Bounced",
        "detail": {
            "eventType": "Bounce",
            "mail": {"messageId": "0100018c-bounce"},
            "bounce": {
                "bounceType": "Permanent",
                "bouncedRecipients": [{"emailAddress": world.alice.email.upper()}],
            },
        },
    }
    transient = json.loads(json.dumps(bounce))
    transient["detail"]["bounce"]["bounceType"] = "Transient"
    transient["detail"]["bounce"]["bouncedRecipients"] = [{"emailAddress": world.bob.email}]

    answer = bounces.lambda_handler(
        sqs_event(json.dumps(bounce), json.dumps(transient)), LambdaContext()
    )
    open_cycle(world)
    deliver(*outbox_events("CycleOpened"))

    assert answer == {"batchItemFailures": []}
    assert to_of(sent(), "cycle-opened") == [world.bob.email]
    recorded = default_table().get(keys.mail_suppression(world.alice.email))
    assert recorded is not None
    assert recorded["reason"] == "bounce"


def test_an_email_ses_did_not_take_is_sent_by_the_retry(world: World, notifier: None) -> None:
    open_cycle(world)
    [event] = outbox_events("CycleOpened")
    envelope = Envelope.model_validate(event)
    mailer = Mailer("notifications@nqms.example.org")
    links = Links("https://app.example", "https://api.example")
    calls: list[str] = []

    def flaky(raw: bytes, recipient: str) -> str:
        calls.append(recipient)
        if len(calls) == 2:
            raise ServiceBusy("throttled")
        return mailer.send_raw(raw, recipient)

    with pytest.raises(ServiceBusy):
        logic.notify(default_table(), mailer, envelope, links, send=flaky)
    retried = logic.notify(default_table(), mailer, envelope, links)

    assert len(retried.sent) == 1  # the one SES did not take; the first is not sent again
    assert to_of(sent(), "cycle-opened") == [world.alice.email, world.bob.email]


def test_the_weekly_digest_goes_only_to_staff_who_opted_in(world: World, notifier: None) -> None:
    cycle = open_cycle(world)
    affiliate_id = _affiliate_of(world)
    digest = new_event(
        OverdueDigestDue(
            affiliate_id=affiliate_id,
            week_of=date(2026, 11, 23),
            cycle_ids=[cycle["cycle_id"]],
            goals=[GoalRef(cycle_id=cycle["cycle_id"], goal_id="gol_missing")],
        ),
        actor=Actor(kind="system"),
        correlation_id="digest-1",
        affiliate_ids=[affiliate_id],
    ).model_dump(mode="json")

    deliver(digest)
    assert to_of(sent(), "overdue-digest") == []  # opt-in: nobody chose it yet

    uow = default_table().unit_of_work()
    uow.create(
        {**keys.notification_preferences(world.va_staff.sub), "digest": True},
        what="Preferences",
    )
    uow.commit()
    digest["event_id"] = "another-week"
    deliver(digest)

    [message] = [m for m in sent() if m["X-NQMS-Message"] == "overdue-digest"]
    assert str(message["To"].addresses[0].addr_spec) == world.va_staff.email
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "Big Futures" in body.get_content()


def _affiliate_of(world: World) -> str:
    program = default_table().get(keys.program(world.program))
    assert program is not None
    return str(program["primary_affiliate_id"])


def api(
    method: str, resource: str, user: User, params: dict[str, str] | None = None, **kw: Any
) -> tuple[int, Any, dict[str, Any]]:
    from functions.notify.handler import lambda_handler

    return invoke(lambda_handler, method, resource, user, params, **kw)


def test_preferences_turn_off_only_the_optional_messages(world: World) -> None:
    path = "/me/notification-preferences"

    status, defaults, _ = api("GET", path, world.alice)
    refused, problem, _ = api("PUT", path, world.alice, body={"cycle_opened": False})
    off, saved, _ = api("PUT", path, world.alice, body={"reminders": False})
    bad_zone, _, _ = api("PUT", path, world.alice, body={"time_zone": "Mars/Olympus"})

    assert (status, defaults) == (
        200,
        {"reminders": True, "digest": False, "time_zone": None, "version": 0},
    )
    assert refused == 422, problem  # a message that is part of the cycle cannot be turned off
    assert (off, saved["reminders"], saved["digest"]) == (200, False, False)
    assert bad_zone == 422
    _, bob, _ = api("GET", path, world.bob)  # each person's own record
    assert bob["reminders"] is True


def test_a_time_zone_the_list_does_not_know_is_a_422_whatever_its_length(world: World) -> None:
    path = "/me/notification-preferences"
    for zone in ("x" * 256, "A/" * 300, "localtime"):
        status, problem, _ = api("PUT", path, world.alice, body={"time_zone": zone})
        assert status == 422, (zone[:20], problem)
        assert [e["field"] for e in problem["errors"]] == ["body.time_zone"], problem
    _, kept, _ = api("GET", path, world.alice)
    assert kept["time_zone"] is None  # nothing was saved


def test_an_affiliate_sees_the_suppressed_addresses_of_its_people_only(world: World) -> None:
    table = default_table()
    for email in (world.alice.email, "stranger@elsewhere.example"):
        bounces.record(table, email, "bounce", "msg-1")
    affiliate = _affiliate_of(world)
    path = "/affiliates/{affiliateId}/mail-suppressions"

    status, listed, _ = api("GET", path, world.va_staff, {"affiliateId": affiliate})
    other, _, _ = api("GET", path, world.ne_staff, {"affiliateId": affiliate})
    program, _, _ = api("GET", path, world.alice, {"affiliateId": affiliate})

    assert status == 200
    assert [(s["email"], s["reason"]) for s in listed["items"]] == [(world.alice.email, "bounce")]
    assert (other, program) == (404, 404)  # another tenant's affiliate looks missing


def test_the_invite_is_the_reviews_and_a_cancel_removes_the_same_entry(
    world: World, notifier: None
) -> None:
    from icalendar import Calendar

    from tests.integration.test_review import MEETING, meeting_body, submitted_cycle
    from tests.integration.test_review import call as review_call

    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    attendees = {"staff": [world.alice.sub, world.va_staff.sub], "guests": ["chair@board.example"]}
    body = meeting_body(30, 10, attendees=attendees)
    assert review_call("POST", MEETING, world.va_staff, params, body=body)[0] == 200
    assert review_call("POST", MEETING + "/cancel", world.va_staff, params)[0] == 200

    deliver(*outbox_events("ReviewMeetingScheduled"), *outbox_events("ReviewMeetingCancelled"))

    invites: dict[str, list[tuple[str, Any]]] = {}
    for message in sent():
        if message["X-NQMS-Message"] in ("meeting-scheduled", "meeting-cancelled"):
            [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
            invites.setdefault(str(message["X-NQMS-Message"]), []).append(
                (str(message["To"].addresses[0].addr_spec), part)
            )
    # Program staff are emailed; the affiliate's staff and the guest are on the invite only.
    assert sorted(to for to, _ in invites["meeting-scheduled"]) == [
        world.alice.email,
        world.bob.email,
    ]
    request = Calendar.from_ical(invites["meeting-scheduled"][0][1].get_content())
    cancel = Calendar.from_ical(invites["meeting-cancelled"][0][1].get_content())
    [first], [last] = request.walk("VEVENT"), cancel.walk("VEVENT")
    assert (str(request["METHOD"]), str(cancel["METHOD"])) == ("REQUEST", "CANCEL")
    assert str(first["UID"]) == str(last["UID"])
    assert int(last["SEQUENCE"]) > int(first["SEQUENCE"])
    attendees_on_invite: list[Any] = cast(Any, first["ATTENDEE"])
    assert sorted(str(a) for a in attendees_on_invite) == [
        "mailto:alice@bigfutures.example",
        "mailto:chair@board.example",
        "mailto:staff@va.example",
    ]
    assert invites["meeting-cancelled"][0][1].get_param("method") == "CANCEL"


def test_an_affiliate_pages_through_its_suppressed_addresses(world: World) -> None:
    table = default_table()
    people = [world.alice, world.bob, world.carol, world.va_staff]
    for user in people:
        bounces.record(table, user.email, "bounce", f"msg-{user.sub}")
    bounces.record(table, "stranger@elsewhere.example", "complaint", "msg-x")
    path = "/affiliates/{affiliateId}/mail-suppressions"
    params = {"affiliateId": _affiliate_of(world)}

    seen: list[str] = []
    query: dict[str, str] = {"limit": "3"}
    pages = 0
    while True:
        status, page, _ = api("GET", path, world.va_staff, params, query=query)
        assert status == 200, page
        assert len(page["items"]) <= 3
        seen += [s["email"] for s in page["items"]]
        pages += 1
        if not page.get("next"):
            break
        query = {"limit": "3", "next": page["next"]}
    tampered, problem, _ = api(
        "GET", path, world.va_staff, params, query={"next": page["items"][0]["email"]}
    )
    other = {"affiliateId": world_affiliate_of_ne(world)}
    stolen_status, _, _ = api("GET", path, world.ne_staff, other, query=query)

    assert pages == 2
    assert seen == sorted(u.email.casefold() for u in people)  # each once, by address
    assert tampered == 400, problem
    assert stolen_status == 400  # a cursor of one affiliate's list is not another's


def world_affiliate_of_ne(world: World) -> str:
    status, me, _ = _directory("GET", "/me", world.ne_staff)
    assert status == 200
    [affiliate] = [m["scope_id"] for m in me["memberships"] if m["scope"] == "affiliate"]
    return str(affiliate)


def _directory(method: str, resource: str, user: User) -> tuple[int, Any, dict[str, Any]]:
    from functions.directory.handler import lambda_handler

    return invoke(lambda_handler, method, resource, user)


def _calendar_of(message: EmailMessage) -> Any:
    from icalendar import Calendar

    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return next(iter(Calendar.from_ical(part.get_content()).walk("VEVENT")))


def test_each_meeting_email_and_invite_describe_the_version_its_event_names(
    world: World, notifier: None
) -> None:
    """Scheduled in person, moved online before the notifier ran: the "scheduled" email and
    its invite still say in person at 10:00 (SEQUENCE 0), the "moved" ones online at 14:00
    (SEQUENCE 1); neither mixes one version's time with the other's place."""
    from tests.integration.test_review import MEETING, meeting_body, submitted_cycle
    from tests.integration.test_review import call as review_call

    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    attendees = {"staff": [world.alice.sub]}
    first = meeting_body(30, 10, attendees=attendees)
    assert review_call("POST", MEETING, world.va_staff, params, body=first)[0] == 200
    link = "https://meet.example/nqms-review"
    online = meeting_body(31, 14, attendees={"staff": [world.alice.sub, world.va_staff.sub]})
    online |= {"mode": "online", "address": None, "link": link, "version": 1}
    status, moved, _ = review_call("PUT", MEETING, world.va_staff, params, body=online)
    assert status == 200, moved

    # Delivered late, and the newer event first.
    deliver(*outbox_events("ReviewMeetingRescheduled"), *outbox_events("ReviewMeetingScheduled"))

    mails = [m for m in sent() if m["To"].addresses[0].addr_spec == world.alice.email]
    by_kind = {str(m["X-NQMS-Message"]): m for m in mails}
    scheduled, rescheduled = by_kind["meeting-scheduled"], by_kind["meeting-rescheduled"]
    text_of = {kind: _text(mail) for kind, mail in by_kind.items()}
    # Shown in the recipient's zone (the affiliate's, New York): 10:00 Chicago is 11:00.
    assert "11:00 EST" in text_of["meeting-scheduled"]
    assert "12 Main St, Richmond" in text_of["meeting-scheduled"]
    assert link not in text_of["meeting-scheduled"]
    assert "15:00 EST" in text_of["meeting-rescheduled"]
    assert f"Online: {link}" in text_of["meeting-rescheduled"]
    assert "12 Main St" not in text_of["meeting-rescheduled"]

    old, new = _calendar_of(scheduled), _calendar_of(rescheduled)
    assert (int(old["SEQUENCE"]), int(new["SEQUENCE"])) == (0, 1)
    assert (old.decoded("DTSTART").hour, str(old["LOCATION"])) == (10, "12 Main St, Richmond")
    assert (new.decoded("DTSTART").hour, str(new["LOCATION"])) == (14, link)
    # The attendees of each version: the affiliate's staff were added by the move only.
    assert [str(a) for a in _attendees(old)] == ["mailto:alice@bigfutures.example"]
    assert sorted(str(a) for a in _attendees(new)) == [
        "mailto:alice@bigfutures.example",
        "mailto:staff@va.example",
    ]


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _attendees(event: Any) -> list[Any]:
    found = event.get("ATTENDEE")
    return list(found) if isinstance(found, list) else [found]


def test_a_meeting_moved_into_the_past_to_record_it_updates_calendars(
    world: World, notifier: None
) -> None:
    """Recording the meeting as held (moved to its real, past time) sends the update, so
    calendars leave the planned time; a meeting first scheduled in the past sends nothing."""
    from tests.integration.test_review import MEETING, meeting_body, submitted_cycle
    from tests.integration.test_review import call as review_call

    cycle_id = submitted_cycle(world)
    params = {"cycleId": cycle_id}
    assert review_call("POST", MEETING, world.va_staff, params, body=meeting_body(5, 10))[0] == 200
    held = meeting_body(-1, 9) | {"version": 1}
    assert review_call("PUT", MEETING, world.va_staff, params, body=held)[0] == 200

    deliver(*outbox_events("ReviewMeetingScheduled"), *outbox_events("ReviewMeetingRescheduled"))

    [update] = [
        m
        for m in sent()
        if m["X-NQMS-Message"] == "meeting-rescheduled"
        and m["To"].addresses[0].addr_spec == world.alice.email
    ]
    assert "recorded as held" in str(update["Subject"])
    event = _calendar_of(update)
    assert (int(event["SEQUENCE"]), event.decoded("DTSTART").hour) == (1, 9)
    assert event.decoded("DTSTART").date() == date.today() - timedelta(days=1)


def test_an_email_of_a_superseded_return_is_not_sent(world: World, notifier: None) -> None:
    """A return's email shows that return's comment; once a later return replaced it (the
    event delivered late), it is not sent with the newer comment: the newer one's event is."""
    from shared.events import EventData

    cycle_id = str(open_cycle(world)["cycle_id"])
    table = default_table()
    cycle = table.get(keys.cycle(cycle_id)) or {}
    table.client.update_item(
        TableName=table.name,
        Key={"pk": {"S": cycle["pk"]}, "sk": {"S": cycle["sk"]}},
        UpdateExpression="SET returned_at = :r, return_comment = :c",
        ExpressionAttributeValues={
            ":r": {"S": "2026-02-01T10:00:00Z"},
            ":c": {"S": "The second return's comment"},
        },
    )
    from shared.events.assessment import AssessmentReturned

    def returned(at: str) -> dict[str, Any]:
        data: EventData = AssessmentReturned(
            cycle_id=cycle_id, program_id=world.program, returned_by="u", returned_at=at
        )
        event = new_event(
            data, actor=SYSTEM, correlation_id="c", program_id=world.program, cycle_id=cycle_id
        )
        return event.model_dump(mode="json")

    deliver(returned("2026-01-01T10:00:00Z"))
    assert to_of(sent(), "assessment-returned") == []
    deliver(returned("2026-02-01T10:00:00Z"))
    assert to_of(sent(), "assessment-returned") == [world.alice.email, world.bob.email]


def test_the_programs_staff_hear_when_a_badge_of_theirs_is_revoked(
    world: World, notifier: None
) -> None:
    from shared.events.badge import BadgeRevoked

    badge_id = "bdg_00000000000000000001"
    uow = default_table().unit_of_work()
    uow.create(
        {
            **keys.badge(badge_id),
            "type": "badge",
            "badge_id": badge_id,
            "program_id": world.program,
            "level": "step1",
            "valid_until": "2029-11-20",
            "revoked": True,
            "revoked_at": "2027-03-04T10:00:00Z",
            "revoked_reason": "The program closed its mentoring arm.",
        },
        what="Badge",
    )
    uow.commit()
    data = BadgeRevoked(badge_id=badge_id, program_id=world.program, revoked_by="u")
    event = new_event(data, actor=SYSTEM, correlation_id="c", program_id=world.program)
    assert deliver(event.model_dump(mode="json")) == {"batchItemFailures": []}

    mails = [m for m in sent() if m["X-NQMS-Message"] == "badge-revoked"]
    assert sorted(str(m["To"].addresses[0].addr_spec) for m in mails) == [
        world.alice.email,
        world.bob.email,
    ]
    text = _text(mails[0])
    assert "“Initiated in NQMS” was revoked on 4 March 2027" in text
    assert "The reason given: The program closed its mentoring arm." in text


def test_a_reminder_for_an_assessment_submitted_since_is_not_sent(
    world: World, notifier: None
) -> None:
    """The overdue reminder was published while the cycle was open; it is submitted before
    the notifier runs: nobody is told to submit what they submitted."""
    from shared.events.reminders import AssessmentOverdue

    cycle_id = str(open_cycle(world)["cycle_id"])
    table = default_table()
    affiliates = (table.get(keys.program(world.program)) or {})["affiliate_ids"]
    data = AssessmentOverdue(
        cycle_id=cycle_id, program_id=world.program, affiliate_ids=affiliates, due_date=date.today()
    )
    event = new_event(
        data, actor=SYSTEM, correlation_id="c", program_id=world.program, cycle_id=cycle_id
    ).model_dump(mode="json")
    cycle = table.get(keys.cycle(cycle_id)) or {}
    table.client.update_item(
        TableName=table.name,
        Key={"pk": {"S": cycle["pk"]}, "sk": {"S": cycle["sk"]}},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":s": {"S": "submitted"}},
    )
    deliver(event)
    assert to_of(sent(), "assessment-overdue") == []
    table.client.update_item(
        TableName=table.name,
        Key={"pk": {"S": cycle["pk"]}, "sk": {"S": cycle["sk"]}},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":s": {"S": "returned"}},
    )
    deliver({**event, "event_id": str(uuid.uuid4())})
    assert to_of(sent(), "assessment-overdue") == [world.alice.email, world.bob.email]
