"""Request parameters every API shares, declared once (Powertools OpenAPI annotations)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query

from shared.store.idempotency import HEADER as IDEMPOTENCY_HEADER
from shared.store.idempotency import KEY_PATTERN
from shared.store.pagination import MAX_LIMIT


def id_pattern(prefix: str) -> str:
    """The shape of the ids we mint (``prg_`` and 20 hex digits): a path id of another shape
    is refused as invalid input (422) before any lookup, and the contract says so."""
    return rf"^{prefix}_[0-9a-f]{{20}}$"


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Next = Annotated[str | None, Query(alias="next", description="Cursor from the previous page.")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        description="Makes the request safe to retry: the same key replays the first response. "
        "8 to 128 letters, digits, `.`, `_`, `:` or `-` (a UUID is a good choice); any other "
        "value is a 400 problem.",
        # Documented, not enforced by validation: a malformed key is a 400, as before.
        json_schema_extra={"pattern": KEY_PATTERN.pattern},
    ),
]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description='The version you read, e.g. "3" (or body.version).'),
]
AffiliateId = Annotated[str, Path(alias="affiliateId", pattern=id_pattern("aff"))]
ProgramId = Annotated[str, Path(alias="programId", pattern=id_pattern("prg"))]
CycleId = Annotated[str, Path(alias="cycleId", pattern=id_pattern("cyc"))]
DocumentId = Annotated[str, Path(alias="documentId", pattern=id_pattern("doc"))]
InvitationId = Annotated[str, Path(alias="invitationId", pattern=id_pattern("inv"))]
#: An instrument item by its display code (``A1``) or stable key, as the logic resolves it.
ItemCode = Annotated[str, Path(alias="itemCode", min_length=1, max_length=16)]
#: A user's id is the Cognito ``sub`` (a UUID), as ``Member.user_id`` shows it.
USER_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
UserId = Annotated[str, Path(alias="userId", pattern=USER_ID_PATTERN)]
