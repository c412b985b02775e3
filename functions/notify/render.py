"""Messages rendered with Jinja2 (``templates/<kind>.html`` and ``.txt``, the subject a block of
the text template) and assembled as MIME: multipart/alternative (text, HTML), plus the meeting's
``.ics`` (text/calendar, METHOD REQUEST or CANCEL) when the message carries an invite.

HTML templates are autoescaped (names and comments are user text); text templates are not
(they are not HTML). Times are shown in the recipient's zone (a ``local`` filter), dates as
people write them (a ``day`` filter: ``20 November 2029``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from shared.domain.badge_links import long_date

SENDER_NAME = "NQMS Cloud"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@pass_context
def _local(context: Context, value: datetime, style: str = "datetime") -> str:
    """``value`` in the recipient's zone (``zone`` in the context), with the zone's name."""
    zone: ZoneInfo = context["zone"]
    local = value.astimezone(zone)
    if style == "time":
        return f"{local:%H:%M} {local.tzname()}"
    return f"{local:%A %d %B %Y, %H:%M} {local.tzname()} ({zone.key})"


def _day(value: date | str | None) -> str:
    """A date as people write it (``20 November 2029``); nothing for no date."""
    return long_date(value) if value else ""


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("functions.notify", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["local"] = _local
    env.filters["day"] = _day
    return env


def render(kind: str, values: dict[str, Any]) -> Rendered:
    env = environment()
    text_template = env.get_template(f"{kind}.txt")
    context = text_template.new_context(dict(values))
    subject = "".join(text_template.blocks["subject"](context)).strip()
    return Rendered(
        subject=" ".join(subject.split()),  # one line, whatever the names hold
        text=text_template.render(values),
        html=env.get_template(f"{kind}.html").render(values),
    )


def mime(
    rendered: Rendered,
    *,
    sender: str,
    recipient: str,
    recipient_name: str,
    reply_to: str | None,
    kind: str,
    event_id: str,
    invite: tuple[bytes, str] | None = None,
) -> bytes:
    """The raw message. ``invite`` is the calendar and its METHOD."""
    message = EmailMessage()
    message["From"] = formataddr((SENDER_NAME, sender))
    message["To"] = formataddr((recipient_name, recipient))
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(datetime.now().astimezone())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # Which message of which event: support can trace an email without reading it.
    message["X-NQMS-Message"] = kind
    message["X-NQMS-Event"] = event_id
    # Quoted-printable: 7-bit safe for any relay, still readable in the saved .eml.
    message.set_content(rendered.text, cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    if invite is not None:
        calendar, method = invite
        message.add_attachment(
            calendar.decode(),
            subtype="calendar",
            filename="invite.ics",
            params={"method": method},
        )
    return message.as_bytes()
