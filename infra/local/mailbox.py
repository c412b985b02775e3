"""Mail the functions send through SESv2, saved as ``.eml`` files while the local stack runs.

moto's SES accepts a raw message (and checks the sender is a verified identity) but delivers
nothing. :func:`saving_sent_mail` wraps moto's backend (it runs in this process, as in
:mod:`infra.local.invitations`) so each accepted message is also written, byte for byte as the
function sent it, to the stack's mail directory. The functions' code is unchanged: they call
SESv2 as in AWS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email import message_from_string
from pathlib import Path
from typing import Any

#: The header our notifier sets (functions/notify/render.py); "mail" for any other sender.
KIND_HEADER = "X-NQMS-Message"


def eml_name(raw: str, destination: str) -> str:
    """``<UTC time>-notify.<message>.<recipient>.eml``: names sort by the time they were sent,
    and never look like Cognito's ``-invitation-`` files, which ``make token`` reads for a
    temporary password (our ``invitation`` message has none)."""
    kind = message_from_string(raw).get(KIND_HEADER) or "mail"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    safe = re.sub(r"[^A-Za-z0-9@._-]", "_", f"{kind}.{destination}")
    return f"{stamp}-notify.{safe}.eml"


@contextmanager
def saving_sent_mail(mail_dir: Path) -> Iterator[None]:
    """While inside, every raw message moto's SESv2 accepts lands in ``mail_dir``."""
    from moto.sesv2.models import SESV2Backend

    original = SESV2Backend.send_raw_email

    def send_raw_email(
        backend: SESV2Backend, source: str, destinations: list[str], raw_data: str
    ) -> Any:
        message = original(backend, source, list(destinations), raw_data)  # refused: not saved
        mail_dir.mkdir(parents=True, exist_ok=True)
        to = destinations[0] if destinations else "unknown"
        (mail_dir / eml_name(raw_data, to)).write_bytes(raw_data.encode("utf-8"))
        return message

    SESV2Backend.send_raw_email = send_raw_email  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        SESV2Backend.send_raw_email = original  # type: ignore[method-assign]
