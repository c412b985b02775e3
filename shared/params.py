"""Request parameters every API shares, declared once (Powertools OpenAPI annotations)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query

from shared.pagination import MAX_LIMIT

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Next = Annotated[str | None, Query(alias="next", description="Cursor from the previous page.")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Makes the request safe to retry: the same key replays the first response.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description='The version you read, e.g. "3" (or body.version).'),
]
AffiliateId = Annotated[str, Path(alias="affiliateId", min_length=1, max_length=64)]
ProgramId = Annotated[str, Path(alias="programId", min_length=1, max_length=64)]
InvitationId = Annotated[str, Path(alias="invitationId", pattern=r"^inv_[0-9a-f]{20}$")]
