"""Request parameters every API shares, declared once, and the markers that declare them.

``Path``, ``Query``, ``Header`` and ``Body`` mark a route's ``Annotated`` parameters, as
Powertools' markers of the same names did (the same keyword arguments): the edge
(``shared.edge.router``) validates each with pydantic, and ``scripts/openapi.py`` hands them
to Powertools' OpenAPI generator at build time. Nothing here imports Powertools.
"""

from __future__ import annotations

from typing import Annotated, Any

from shared.store.idempotency import HEADER as IDEMPOTENCY_HEADER
from shared.store.idempotency import KEY_PATTERN
from shared.store.pagination import MAX_LIMIT

#: The keyword arguments that constrain a value (the rest only document it).
CONSTRAINTS = frozenset(
    {"gt", "ge", "lt", "le", "min_length", "max_length", "pattern", "strict", "multiple_of"}
)


class Param:
    """Where a route parameter comes from (``in_``), its name there (``alias``), its
    constraints and its documentation, as given (``kwargs``)."""

    in_ = ""

    def __init__(self, default: Any = ..., **kwargs: Any) -> None:
        self.default = default
        self.kwargs = kwargs
        self.alias: str | None = kwargs.get("alias")
        self.constraints = {k: v for k, v in kwargs.items() if k in CONSTRAINTS}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.kwargs!r})"


class Path(Param):
    in_ = "path"


class Query(Param):
    in_ = "query"


class Header(Param):
    in_ = "header"


class Body(Param):
    in_ = "body"


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
