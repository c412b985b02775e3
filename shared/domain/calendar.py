"""The review meeting as an RFC 5545 calendar (an iTIP invite, RFC 5546), for the review's
``.ics`` route and for the invite the notification service attaches: one renderer, one invite
(in ``shared`` because both functions' artifacts need it; it takes any object shaped like the
review's ``Meeting``).

What goes in is the meeting only (times, place, agenda, people). Nothing of the assessment
(answers, review notes, flags) is ever passed here, because invites travel by email and end
up in calendars that others may see.

``icalendar`` is imported inside :func:`render_invite`: it costs ~100 ms of import, which
every cold start of the review function would pay although only the ``.ics`` route needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from shared.domain.formats import normalize_email

PRODID = "-//MENTOR//NQMS Cloud review meeting//EN"
#: The VTIMEZONE describes the zone this long around the meeting: enough for the meeting's
#: own offset and the neighbouring transitions, small (a whole history would be ~KBs).
TIMEZONE_MARGIN = timedelta(days=366)
#: Zones whose times are written in UTC ("Z") with no VTIMEZONE, as RFC 5545 prefers.
_UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"})


class Meeting(Protocol):
    """What an invite is made of (the review's ``rules.Meeting`` is one)."""

    @property
    def uid(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def status(self) -> str: ...  # "scheduled" | "cancelled"
    @property
    def time_zone(self) -> str: ...
    @property
    def start(self) -> datetime: ...  # aware, UTC
    @property
    def end(self) -> datetime: ...
    @property
    def local_start(self) -> datetime: ...
    @property
    def local_end(self) -> datetime: ...
    @property
    def mode(self) -> str: ...  # "in_person" | "online"
    @property
    def address(self) -> str | None: ...
    @property
    def link(self) -> str | None: ...
    @property
    def agenda(self) -> str | None: ...


@dataclass(frozen=True)
class Person:
    """Someone on the invite: the handler resolves staff user ids to their email and name."""

    email: str
    name: str | None = None
    #: Required participants are the program's and the affiliate's staff; guests are optional.
    required: bool = True


def summary_for(program_name: str) -> str:
    """The invite's title: which review, not what it found."""
    return f"NQMS review meeting: {program_name.strip()}"


def render_invite(
    meeting: Meeting,
    *,
    program_name: str,
    organizer: Person,
    attendees: Sequence[Person],
    now: datetime,
) -> bytes:
    """The meeting as a calendar with one VEVENT: METHOD:REQUEST while it is scheduled,
    METHOD:CANCEL (and STATUS:CANCELLED) once cancelled, so a calendar program that imported
    an earlier SEQUENCE updates or removes the same entry (same UID).

    ``now`` (the injectable clock) is the DTSTAMP: when this version of the invite was made.
    """
    from icalendar import Calendar, Event, Timezone, vCalAddress

    if now.tzinfo is None:
        raise ValueError("render_invite needs an aware now")
    cancelled = meeting.status == "cancelled"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")

    in_utc = meeting.time_zone in _UTC_ZONES
    if not in_utc:
        calendar.add_component(
            Timezone.from_tzinfo(
                ZoneInfo(meeting.time_zone),
                tzid=meeting.time_zone,
                first_date=(meeting.start - TIMEZONE_MARGIN).date(),
                last_date=(meeting.end + TIMEZONE_MARGIN).date(),
            )
        )

    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now.astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", meeting.start if in_utc else meeting.local_start)
    event.add("dtend", meeting.end if in_utc else meeting.local_end)
    event.add("summary", summary_for(program_name))
    if meeting.mode == "in_person" and meeting.address:
        event.add("location", meeting.address)
    elif meeting.link:
        event.add("location", meeting.link)
    if meeting.link:
        event.add("url", meeting.link)
    description = _description(meeting)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")

    host = vCalAddress(_mailto(organizer.email))
    if organizer.name:
        host.params["CN"] = organizer.name
    event.add("organizer", host)
    seen = {organizer.email.casefold()}
    for person in attendees:
        if person.email.casefold() in seen:
            continue  # one line per address, whoever listed it twice
        seen.add(person.email.casefold())
        address = vCalAddress(_mailto(person.email))
        if person.name:
            address.params["CN"] = person.name
        address.params["CUTYPE"] = "INDIVIDUAL"
        address.params["ROLE"] = "REQ-PARTICIPANT" if person.required else "OPT-PARTICIPANT"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "FALSE" if cancelled else "TRUE"
        event.add("attendee", address)

    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def _mailto(email: str) -> str:
    address = normalize_email(email)
    if address is None:
        raise ValueError(f"not an email address: {email!r}")
    return f"mailto:{address}"


def _description(meeting: Meeting) -> str:
    """The agenda, and for an online meeting the link (some programs show only this)."""
    parts = [meeting.agenda] if meeting.agenda else []
    if meeting.link:
        parts.append(f"Join: {meeting.link}")
    return "\n\n".join(parts)
