"""Sending email: SESv2 ``SendEmail`` with raw MIME, from the verified identity, through the
configuration set (whose event destination reports bounces and complaints).

SESv2 has templates, but moto has none and ours need Jinja2's autoescaping and a calendar
attachment: messages are rendered and assembled by the caller and sent here as bytes.
Errors become ours: a message SES refuses for good (:class:`MailRejected`: a bad address, an
unverified sender) must not be retried; anything else (throttling, a network error) is
:class:`~shared.errors.ServiceBusy` and the delivery is retried.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.adapters import aws
from shared.errors import DomainError, ServiceBusy

#: SES codes that no retry changes.
_PERMANENT = frozenset(
    {
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "SendingPausedException",
        "BadRequestException",
        "NotFoundException",
    }
)


class MailRejected(DomainError):
    """SES refused the message for good (retrying sends nothing either)."""

    status, kind, title = 422, "mail-rejected", "Mail Rejected"


@dataclass(frozen=True)
class Mailer:
    """Sends raw messages as ``sender`` through ``configuration_set`` (empty: none)."""

    sender: str
    configuration_set: str = ""

    def send_raw(self, raw: bytes, recipient: str) -> str:
        """Send one message (its own headers name ``recipient``); SES's message id."""
        request: dict[str, object] = {
            "FromEmailAddress": self.sender,
            "Destination": {"ToAddresses": [recipient]},
            "Content": {"Raw": {"Data": raw}},
        }
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        try:
            response = aws.sesv2().send_email(**request)  # type: ignore[arg-type]
        except Exception as exc:
            code = aws.error_code(exc)
            if code in _PERMANENT:
                raise MailRejected(f"SES refused the message ({code}).") from exc
            if code is not None:
                raise ServiceBusy(f"SES did not take the message ({code}); retry.") from exc
            raise
        return str(response.get("MessageId", ""))
