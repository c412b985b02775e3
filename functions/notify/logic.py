"""The notifier: an event in, each of its messages (``messages.MESSAGES``) to each recipient once.

Once per (event, message, recipient): before sending, a conditional inbox record keyed by the
event and ``<kind>:<user id>`` is written (``Inbox.claim``); a repeated delivery, or a racing
consumer, finds it and sends nothing. The record is written *before* sending, so the choice
at a crash is at most once:

- SES answers with an error (throttled, unavailable): the claim is deleted again and the
  delivery fails, so the queue retries and that recipient is sent to then;
- SES refuses the message for good (``MailRejected``): the claim stays (a retry cannot help);
- the process dies between the claim and SES accepting the message (a timeout, a crash):
  that one email is not sent. We prefer a rare missing email to duplicates (a second invite
  or badge email confuses more than a missing one, which the app still shows).

Recipients whose address is suppressed (a bounce or a complaint) are skipped, as are those
who turned an optional message off (or never turned the opt-in digest on).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from functions.notify import content, messages, recipients
from functions.notify.content import Facts, Links
from functions.notify.messages import Message
from functions.notify.recipients import Recipient
from functions.notify.render import mime, render
from shared import clock
from shared.adapters.mail import Mailer, MailRejected
from shared.adapters.table import Table
from shared.consumers import Inbox
from shared.domain.calendar import Person, render_invite
from shared.events import Envelope
from shared.events.review import ReviewMeetingCancelled, ReviewMeetingChange
from shared.observability import logger
from shared.store.programs import read_program
from shared.store.tenancy import memberships_among

CONSUMER = "notify"


@dataclass
class Outcome:
    sent: list[tuple[str, str]]  # (kind, email)
    skipped: list[tuple[str, str, str]]  # (kind, email, why)


def notify(
    table: Table,
    mailer: Mailer,
    event: Envelope,
    links: Links,
    *,
    send: Callable[[bytes, str], str] | None = None,
) -> Outcome:
    """Send every message of ``event`` that is still unsent; what was sent and skipped."""
    deliver = send or mailer.send_raw
    inbox = Inbox(table, CONSUMER)
    outcome = Outcome([], [])
    for message in messages.messages_for(event.event_type):
        facts = content.gather(table, event, message, links)
        if facts is None or not facts.recipients:
            continue
        people = facts.recipients
        prefs = recipients.preferences(table, [r.user_id for r in people])
        blocked = recipients.suppressed(table, [r.email for r in people])
        for person in people:
            why = _skip(message, person, prefs[person.user_id], blocked)
            if why:
                outcome.skipped.append((message.kind, person.email, why))
                continue
            part = f"{message.kind}:{person.user_id}"
            if not inbox.claim(event, part=part):
                outcome.skipped.append((message.kind, person.email, "already sent"))
                continue
            raw = _compose(table, mailer, event, message, facts, person, prefs[person.user_id])
            try:
                deliver(raw, person.email)
            except MailRejected:
                logger.warning("SES refused a message", extra={"kind": message.kind})
                outcome.skipped.append((message.kind, person.email, "rejected"))
                continue
            except Exception:
                _release(table, inbox, event, part)
                raise
            outcome.sent.append((message.kind, person.email))
    logger.info("notified", extra={"sent": len(outcome.sent), "skipped": len(outcome.skipped)})
    return outcome


def _skip(
    message: Message,
    person: Recipient,
    prefs: recipients.Preferences,
    blocked: set[str],
) -> str | None:
    if person.email.casefold() in blocked:
        return "suppressed"
    if not prefs.wants(message.optional):
        return "preference"
    return None


def _release(table: Table, inbox: Inbox, event: Envelope, part: str) -> None:
    """Undo a claim whose email SES did not take, so the retried delivery sends it."""
    uow = table.unit_of_work()
    inbox.release(uow, event, part=part)
    try:
        uow.commit()
    except Exception:  # the retry then skips this recipient: logged, not hidden
        logger.exception("could not release a notification claim", extra={"part": part})


def _compose(
    table: Table,
    mailer: Mailer,
    event: Envelope,
    message: Message,
    facts: Facts,
    person: Recipient,
    prefs: recipients.Preferences,
) -> bytes:
    affiliate = facts.affiliates.get(person.affiliate_id) or {}
    zone = content.zone_of(prefs.time_zone, str(affiliate.get("time_zone") or ""))
    values: dict[str, Any] = {
        **facts.values,
        "zone": zone,
        "recipient_name": person.name,
        "affiliate": {
            "name": affiliate.get("name") or "",
            "contact_email": affiliate.get("contact_email") or "",
        },
    }
    invite = _invite(table, mailer, event, facts) if message.invite else None
    return mime(
        render(message.kind, values),
        sender=mailer.sender,
        recipient=person.email,
        recipient_name=person.name,
        reply_to=str(affiliate.get("contact_email") or "") or None,
        kind=message.kind,
        event_id=event.event_id,
        invite=invite,
    )


@dataclass(frozen=True)
class _InviteMeeting:
    """The meeting as this event saw it (uid, sequence, times), placed as the record says."""

    uid: str
    sequence: int
    status: str
    time_zone: str
    start: datetime
    end: datetime
    mode: str
    address: str | None
    link: str | None
    agenda: str | None

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(content.zone_of(self.time_zone, "UTC"))

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(content.zone_of(self.time_zone, "UTC"))


def _invite(table: Table, mailer: Mailer, event: Envelope, facts: Facts) -> tuple[bytes, str]:
    data, record = event.data_as(ReviewMeetingChange), facts.meeting or {}
    cancelled = isinstance(data, ReviewMeetingCancelled)
    meeting = _InviteMeeting(
        uid=data.uid,
        sequence=data.sequence,
        status="cancelled" if cancelled else "scheduled",
        time_zone=data.time_zone,
        start=facts.values["start"],
        end=facts.values["end"],
        mode=str(record.get("mode") or "in_person"),
        address=record.get("address"),
        link=record.get("link"),
        agenda=record.get("agenda"),
    )
    program_name = str(facts.values.get("program_name") or "")
    calendar = render_invite(
        meeting,
        program_name=program_name,
        organizer=Person(mailer.sender, "NQMS review"),
        attendees=_attendees(table, data.program_id, record),
        now=clock.now(),
    )
    return calendar, "CANCEL" if cancelled else "REQUEST"


def _attendees(table: Table, program_id: str, record: dict[str, Any]) -> list[Person]:
    """The meeting's people, as the review's own ``.ics`` lists them: its staff attendees
    (program and affiliate staff, by membership) and its guests (optional)."""
    program = read_program(table, program_id)
    serving = program.affiliate_ids if program is not None else ()
    scopes = [("program", program_id)] + [("affiliate", a) for a in serving]
    staff = [str(u) for u in record.get("staff") or []]
    members = memberships_among(table, staff, scopes)
    people = {m.user_id: Person(m.email, m.item.get("name")) for m in members}
    return [people[u] for u in staff if u in people] + [
        Person(str(guest), required=False) for guest in record.get("guests") or []
    ]
