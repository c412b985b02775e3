"""problem+json (RFC 9457): the one place where errors become HTTP bodies."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:nqms:problem:"


class FieldError(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    field: str = Field(description="Dotted location of the field, e.g. `body.contact.email`.")
    message: str
    code: str = Field(description="Machine-readable reason, e.g. `missing`, `string_too_short`.")


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    type: str = Field(examples=[f"{TYPE_PREFIX}not-found"])
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = Field(
        default=None, description="Field errors, for 422 validation problems."
    )


def problem(
    status: int, kind: str, detail: str, *, title: str | None = None, **extensions: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + kind,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    body.update({k: v for k, v in extensions.items() if v is not None})
    return body


def from_domain_error(error: DomainError, instance: str | None = None) -> dict[str, Any]:
    return problem(
        error.status,
        error.kind,
        error.detail,
        title=error.title,
        instance=instance,
        **error.extensions,
    )


BODY_REFUSALS = frozenset({"utf8_invalid", "json_too_deep"})
"""Error types (raised by shared.edge.api) of a body refused whole: their message is the detail."""


def validation_problem(
    errors: list[dict[str, Any]], instance: str | None = None, body: Any = None
) -> dict[str, Any]:
    """422 from pydantic/Powertools validation errors, naming each field in ``errors`` and the
    first one in ``field``, as a rule's 422 (:class:`~shared.errors.RuleViolation`) does.

    A body that is not JSON at all reaches here too: Powertools reports the decoder's error
    as ``loc=("body", <offset>)``, which would read "Invalid input: body.33". That one is
    said as it is: what is wrong and where (``body`` is the raw text, for line and column).
    """
    malformed = next((err for err in errors if err.get("type") == "json_invalid"), None)
    if malformed is not None:
        return _malformed_json(malformed, instance, body)
    refused = next((err for err in errors if err.get("type") in BODY_REFUSALS), None)
    if refused is not None:
        return _whole_body(str(refused["msg"]), str(refused["type"]), instance)
    field_errors = [
        FieldError(
            field=".".join(str(part) for part in err.get("loc", ())),
            message=str(err.get("msg", "invalid")),
            code=str(err.get("type", "invalid")),
        ).model_dump()
        for err in errors
    ]
    names = ", ".join(e["field"] for e in field_errors) or "the request"
    return problem(
        422,
        "validation-error",
        f"Invalid input: {names}.",
        title="Unprocessable Content",
        instance=instance,
        field=field_errors[0]["field"] if field_errors else None,
        errors=field_errors,
    )


def _malformed_json(error: dict[str, Any], instance: str | None, body: Any) -> dict[str, Any]:
    location = error.get("loc", ())
    position = location[1] if len(location) > 1 and isinstance(location[1], int) else None
    reason = str((error.get("ctx") or {}).get("error") or error.get("msg") or "not JSON")
    where = ""
    if position is not None:
        where = f" at character {position}"
        if isinstance(body, str):
            line = body.count("\n", 0, position) + 1
            column = position - body.rfind("\n", 0, position)
            where += f" (line {line}, column {column})"
    return _whole_body(f"Malformed JSON{where}: {reason}.", "json_invalid", instance)


def _whole_body(message: str, code: str, instance: str | None) -> dict[str, Any]:
    field = FieldError(field="body", message=message, code=code).model_dump()
    return problem(
        422,
        "validation-error",
        message,
        title="Unprocessable Content",
        instance=instance,
        field=field["field"],
        errors=[field],
    )
