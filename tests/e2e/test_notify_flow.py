"""Notifications through the local stack: one cycle of a program from invitation to badge,
every email read back from `.local/mail/` with Python's email parser and every invite with
icalendar, counted per recipient and message against the README's table; the cycle's events
delivered twice more add no email; a moved meeting keeps its UID with a higher SEQUENCE; an
address SES reports bounced gets nothing more."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from icalendar import Calendar

from tests.e2e.conftest import Session
from tests.e2e.journeys import (
    VA_STAFF,
    answer_and_submit,
    bounce,
    finalized_plan,
    outbox_pending,
    program_with_staff,
)
from tests.unit.test_notify import readme_table


def _mail(local: Session) -> list[EmailMessage]:
    parser = BytesParser(policy=policy.default)
    found = []
    for path in sorted(Path(local.stack.info.mail_dir).glob("*.eml")):
        message = parser.parsebytes(path.read_bytes())
        if message["X-NQMS-Message"] and isinstance(message, EmailMessage):
            found.append(message)
    return found


def _ours(local: Session, program_name: str, people: set[str]) -> Counter[tuple[str, str]]:
    """(recipient, message) of every notification about the program (or to its people)."""
    counted: Counter[tuple[str, str]] = Counter()
    for message in _mail(local):
        to = str(message["To"].addresses[0].addr_spec)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        if to in people or program_name in text:
            counted[(to, str(message["X-NQMS-Message"]))] += 1
    return counted


def _settle(local: Session, queue: str = "NotifyQueue", timeout: float = 60) -> None:
    """Until every event written has crossed the bus (no outbox record pending: the relay may
    be slow on a busy machine) and the function consumed all the queue got, for 1.5 s on end
    (a consumer of another queue may write an event meanwhile)."""
    clients, stack = local.stack.clients, local.stack.provisioned
    assert clients is not None
    assert stack is not None
    url = stack.ref(queue)
    names: list[Any] = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    deadline, quiet_since = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        pending = outbox_pending(clients, local.stack.info.table_name)  # before the queue
        found = clients.sqs().get_queue_attributes(QueueUrl=url, AttributeNames=names)
        if not pending and all(int(found["Attributes"][n]) == 0 for n in names):
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 1.5:
                return
        else:
            quiet_since = None
        time.sleep(0.2)
    raise AssertionError(f"{queue} was not drained")


MEETING_LINK = "https://meet.example/harbor-review"


def _meeting(days: int, hour: int) -> dict[str, Any]:
    day = (datetime.now(UTC) + timedelta(days=days)).date().isoformat()
    return {
        "time_zone": "America/New_York",
        "start": f"{day}T{hour:02d}:00:00",
        "end": f"{day}T{hour + 2:02d}:00:00",
        "mode": "in_person",
        "address": "100 Main St, Richmond, VA",
    }


def _redeliver(local: Session, program_id: str) -> int:
    """Every event of the program put on the bus twice more, as EventBridge may."""
    clients = local.stack.clients
    assert clients is not None
    seen, entries = set(), []
    for e in local.events():
        detail = e["detail"]
        mine = (
            detail.get("program_id") == program_id or detail["data"].get("scope_id") == program_id
        )
        if mine and detail["event_id"] not in seen:
            seen.add(detail["event_id"])
            entries.append(
                {
                    "Source": e["source"],
                    "DetailType": e["detail-type"],
                    "Detail": json.dumps(detail),
                    "EventBusName": local.stack.info.event_bus_name,
                }
            )
    for _ in range(2):
        for start in range(0, len(entries), 10):
            clients.events().put_events(Entries=entries[start : start + 10])
    return len(entries)


def _expected(
    local: Session,
    program_id: str,
    people: dict[str, set[str]],
    by_id: dict[str, str],
    suppressed_after: tuple[str, str],
) -> Counter[tuple[str, str]]:
    """The README's table applied to the events of the program that crossed the bus."""
    table: dict[str, list[tuple[str, str]]] = {}
    for event_type, who, what, _optional in readme_table():
        table.setdefault(event_type, []).append((who, what.split("`")[1]))
    email, since_event = suppressed_after
    expected: Counter[tuple[str, str]] = Counter()
    seen: set[str] = set()
    bounced = False
    for e in local.events():
        detail = e["detail"]
        if detail["event_id"] in seen:
            continue
        seen.add(detail["event_id"])
        if detail["event_id"] == since_event:
            bounced = True
        data = detail["data"]
        if detail.get("program_id") != program_id and data.get("scope_id") != program_id:
            continue
        if e["detail-type"] == "ReviewMeetingScheduled" and data["start"] <= detail["occurred_at"]:
            continue  # scheduled after it was held: in nobody's calendar, no invite
        for who, kind in table.get(e["detail-type"], []):
            if who == "invitee":
                recipients = {by_id[data["user_id"]]} if data["scope"] == "program" else set()
            else:
                recipients = people[who]
            for to in recipients:
                if not (bounced and to == email):
                    expected[(to, kind)] += 1
    return expected


def test_one_cycle_emails_each_person_what_the_table_says_once(local: Session) -> None:
    program_id, (ana, ben) = program_with_staff(local, "Harbor Mentors", "ana", "ben")
    va = local.as_user(VA_STAFF)
    program_name = va.get(f"/programs/{program_id}").json["name"]
    ana_me, ben_me = ana.get("/me").json, ben.get("/me").json
    affiliate = local.demo_id("affiliates", "va")
    members = va.get(f"/affiliates/{affiliate}/members?limit=100").json["items"]
    staff_emails = {m["email"] for m in members if m.get("status", "active") == "active"}
    people = {
        "program staff": {ana_me["email"], ben_me["email"]},
        "affiliate staff": staff_emails,
    }
    by_id = {ana_me["user_id"]: ana_me["email"], ben_me["user_id"]: ben_me["email"]}

    # Opened, submitted, returned with a comment, submitted again.
    opened = va.post(f"/programs/{program_id}/cycles", {})
    assert opened.status == 201, opened.body
    cycle_id = opened.json["cycle_id"]
    answer_and_submit(ana, cycle_id, {"in_practice": "yes", "rating": 2})
    comment = "Please add the screening policy to B9."
    assert va.post(f"/cycles/{cycle_id}/return", {"comment": comment}).status == 200
    answer_and_submit(ana, cycle_id, None)

    # The meeting: scheduled in person, moved online within the second (before the notifier
    # ran), then recorded as held (calendars are moved to when it was), completed.
    scheduled = va.post(f"/cycles/{cycle_id}/review/meeting", _meeting(10, 10))
    assert scheduled.status == 200, scheduled.body
    online = _meeting(11, 14) | {"mode": "online", "address": None, "link": MEETING_LINK}
    moved = va.request(
        "PUT", f"/cycles/{cycle_id}/review/meeting", online, headers={"If-Match": '"1"'}
    )
    assert moved.status == 200, moved.body
    held = va.request(
        "PUT", f"/cycles/{cycle_id}/review/meeting", _meeting(-2, 10), headers={"If-Match": '"2"'}
    )
    assert held.status == 200, held.body
    completed = va.post(f"/cycles/{cycle_id}/review/complete", None)
    assert completed.status == 200, completed.body
    _settle(local)

    # SES reports Ben's address bounced: nothing more goes to it.
    bounce(local, ben_me["email"])
    _settle(local, "MailEventsQueue")
    last_before = local.events()[-1]["detail"]["event_id"]

    plan = f"/cycles/{cycle_id}/plan"
    goals = finalized_plan(local, cycle_id, ana, "Secret plan text")
    assert ana.post(f"{plan}/goals/{goals[0]}/complete", {"note": "Done."}).status == 200
    sent_back = va.post(f"{plan}/goals/{goals[0]}/send-back", {"comment": "Evidence?"})
    assert sent_back.status == 200, sent_back.body
    local.wait_for_events(
        lambda e: e["detail-type"] == "BadgeIssued" and e["detail"]["cycle_id"] == cycle_id
    )
    _settle(local)
    first = _ours(local, program_name, people["program staff"])

    # Every event of the program twice more: no email more.
    assert _redeliver(local, program_id) >= 12
    _settle(local)
    assert _ours(local, program_name, people["program staff"]) == first

    expected = _expected(
        local,
        program_id,
        people,
        by_id,
        suppressed_after=(ben_me["email"], _next_event(local, last_before)),
    )
    assert first == expected
    assert {kind for _, kind in first} >= {
        "invitation", "cycle-opened", "assessment-submitted", "assessment-returned",
        "meeting-scheduled", "meeting-rescheduled", "review-completed", "plan-finalized",
        "goal-completed", "goal-sent-back", "badge-issued",
    }  # fmt: skip
    assert first[(ben_me["email"], "review-completed")] == 1
    assert first[(ben_me["email"], "plan-finalized")] == 0  # bounced before

    mails = [m for m in _mail(local) if m["To"].addresses[0].addr_spec == ana_me["email"]]
    everything = " ".join(
        str(part.get_content()) for m in mails for part in m.walk() if not part.is_multipart()
    )
    assert "Secret plan text" not in everything  # goals by number and date only
    # The badge email's verify link works as emailed: it points at this stack's API.
    badge_mail = next(m for m in mails if m["X-NQMS-Message"] == "badge-issued")
    badge_text = str(badge_mail.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
    link = next(w for w in badge_text.split() if "/verify/" in w)
    assert link.startswith(local.stack.info.api_url), link
    assert local.anonymous.get(link.removeprefix(local.stack.info.api_url)).status == 200
    returned = next(m for m in mails if m["X-NQMS-Message"] == "assessment-returned")
    assert comment in str(returned.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]

    # Each meeting email and its invite describe one version of the meeting, never a mix.
    meeting_mails = sorted(
        (m for m in mails if str(m["X-NQMS-Message"]).startswith("meeting-")),
        key=lambda m: int(_invite_event(m)["SEQUENCE"]),
    )
    events = [_invite_event(m) for m in meeting_mails]
    assert [str(m["X-NQMS-Message"]) for m in meeting_mails] == [
        "meeting-scheduled", "meeting-rescheduled", "meeting-rescheduled",
    ]  # fmt: skip
    assert len({str(e["UID"]) for e in events}) == 1  # one meeting, one calendar entry
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    versions = [
        (10, "100 Main St, Richmond, VA", "Where: 100 Main St, Richmond, VA"),
        (14, MEETING_LINK, f"Online: {MEETING_LINK}"),
        (10, "100 Main St, Richmond, VA", "recorded"),
    ]
    for mail, event, (hour, location, said) in zip(meeting_mails, events, versions, strict=True):
        start = event.decoded("DTSTART")
        assert (start.hour, str(start.tzinfo)) == (hour, "America/New_York")
        assert str(event["LOCATION"]) == location
        text = str(mail.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
        assert said in text
        assert f"{start:%d %B %Y}, {hour:02d}:00" in text  # the recipient's zone is New York
        other = MEETING_LINK if location != MEETING_LINK else "100 Main St"
        assert other not in text
    held_on = events[2].decoded("DTSTART").date()
    assert held_on == (datetime.now(UTC) - timedelta(days=2)).date()


def _invite_event(message: EmailMessage) -> Any:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return next(iter(Calendar.from_ical(part.get_content()).walk("VEVENT")))


def _next_event(local: Session, event_id: str) -> str:
    """The first event on the bus after ``event_id`` (the first one after the bounce)."""
    ids = [e["detail"]["event_id"] for e in local.events()]
    return ids[ids.index(event_id) + 1]
