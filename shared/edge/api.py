"""The HTTP edge every API function shares: resolver, errors as problem+json, the caller.

- :func:`create_app` builds our edge's app (``shared.edge.router``: validation, 422 on bad
  input), CORS from settings, and one mapping of every error to RFC 9457 problem+json.
- :func:`context` gives a route the use-case :class:`~shared.context.Context`: the caller
  (claims from the authorizer plus membership records) and the route's operation id.
- A middleware refuses to send a successful response when the use case made no access
  decision, or (for a read of confidential results, ``shared.access.AUDITED_READS``) wrote no
  audit entry, so a forgotten check fails loudly instead of leaking.
"""

from __future__ import annotations

import base64
import json
import re
import typing
from collections.abc import Callable
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from shared.access import AUDITED_READS
from shared.collector import request_entry_point
from shared.context import Context
from shared.edge.http import (
    CORSConfig,
    Request,
    RequestValidationError,
    Response,
    UnsupportedMediaType,
)
from shared.edge.params import Header
from shared.edge.problems import (
    PROBLEM_CONTENT_TYPE,
    Problem,
    from_domain_error,
    problem,
    validation_problem,
)
from shared.edge.router import App, NotFoundError, Router
from shared.errors import DomainError, ServiceBusy
from shared.identity import ANONYMOUS, claims_from_authorizer
from shared.observability import logger
from shared.settings import allowed_origins_from_env

if TYPE_CHECKING:
    from shared.store.idempotency import Once

_CONTEXT_KEY = "nqms_context"
PUBLIC_OPERATIONS_KEY = "nqms_public"

_PROBLEM_DESCRIPTIONS = {
    400: "Malformed request (for example a tampered `next` cursor).",
    401: "Missing, expired or invalid token.",
    403: "You may see this object but not do this; `missing_permission` names the operation "
    "and `required` the relations that allow it.",
    404: "Not found, or not yours to see (the two look the same).",
    409: "Conflict with the current state; the body says what it is.",
    415: "The body is not `application/json`.",
    422: "Invalid input; `errors` names each field.",
    503: "Busy; retry shortly.",
}


#: The response headers the API sends, as the contract documents them.
RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": 'The version of what was saved, quoted (e.g. `"4"`): send it as '
        "`If-Match` with your next change.",
        "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
    },
    "Location": {
        "description": "The path of what was created (relative to the API's base URL).",
        "schema": {"type": "string", "format": "uri-reference"},
    },
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "minimum": 0},
    },
}


def headers_of(*names: str) -> dict[str, Any]:
    """The OpenAPI ``headers`` of a response that always carries ``names``."""
    return {name: {**RESPONSE_HEADERS[name], "required": True} for name in names}


def success(
    status: int, *headers: str, description: str | None = None, model: Any = None
) -> dict[int, Any]:
    """The documented success of a route that also sends ``headers`` (``ETag`` after a
    versioned write, ``Location`` after a create). Without ``model`` the route's return
    annotation gives the body's schema."""
    response: dict[str, Any] = {"description": description or HTTPStatus(status).phrase + "."}
    if headers:
        response["headers"] = headers_of(*headers)
    if model is not None:
        response["content"] = {"application/json": {"model": model}}
    return {status: response}


def problem_responses(*statuses: int) -> dict[int, Any]:
    """OpenAPI entries for the problems an operation may answer (401 and 422 always)."""
    return {
        status: {
            "description": _PROBLEM_DESCRIPTIONS[status],
            "content": {PROBLEM_CONTENT_TYPE: {"model": Problem}},
        }
        for status in sorted({401, 422, *statuses})
    }


def document_responses(media_type: str, description: str) -> dict[int, Any]:
    """The success of a route that answers a document rather than JSON (a calendar invite,
    an image, a signed token): a string of ``media_type``."""
    return {
        200: {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}
    }


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        status_code=int(body["status"]),
        content_type=PROBLEM_CONTENT_TYPE,
        body=json.dumps(body),
        headers=headers,
    )


class _EchoingCORS(CORSConfig):
    """Responses differ by the request's Origin (echoed or not): caches must know."""

    def to_dict(self, origin: str | None) -> dict[str, str]:
        headers = super().to_dict(origin)
        return headers | {"Vary": "Origin"} if origin else headers


def _cors() -> CORSConfig | None:
    """Several allowed origins: the resolver echoes the request's Origin when it is one of them
    (API Gateway's own CORS can send only one), and answers preflights (OPTIONS routes of the
    template, public) with the allowed methods and headers."""
    origins = allowed_origins_from_env()
    if not origins:
        return None
    return _EchoingCORS(
        allow_origin=origins[0],
        extra_origins=list(origins[1:]),
        allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
        expose_headers=["ETag", "Location", "Retry-After"],
        max_age=600,
    )


MAX_JSON_DEPTH = 64
"""Deepest nesting of ``[`` and ``{`` a body may have: our documents need a handful, and
json/pydantic recurse per level (5,000 levels is a RecursionError, a 500)."""

# A JSON string (escapes included; unclosed, it runs to the end, so the scan stays linear)
# or a bracket: brackets inside strings do not nest.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]', re.DOTALL)


def _body_refused(code: str, message: str, body: str | None = None) -> RequestValidationError:
    """A body refused whole, answered as the 422 ``validation-error`` malformed JSON gets."""
    error = {"type": code, "loc": ("body",), "msg": message, "input": {}, "ctx": {}}
    return RequestValidationError([error], body=body)


def _check_depth(text: str) -> None:
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        piece = match.group()
        if piece in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise _body_refused(
                    "json_too_deep",
                    f"The body is nested deeper than {MAX_JSON_DEPTH} levels "
                    f"(at character {match.start()}).",
                    text,
                )
        elif piece in "]}":
            depth -= 1


def _nul_location(value: Any, location: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """Where the first NUL in the parsed body is: some stores and most clients cut text at it."""
    if isinstance(value, str):
        return location if "\x00" in value else None
    items: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return (*location, key)
            items.append((key, item))
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, item in items:
        found = _nul_location(item, (*location, key))
        if found is not None:
            return found
    return None


def read_json_body(text: str) -> Any:
    """The one reader of JSON bodies: bounded nesting, then no NUL in any text.

    ``json.JSONDecodeError`` passes through: the edge answers it as malformed JSON.
    """
    _check_depth(text)
    parsed = json.loads(text)
    location = _nul_location(parsed, ("body",))
    if location is not None:
        message = "Text may not contain the NUL character (U+0000)."
        error = {"type": "string_nul", "loc": location, "msg": message, "input": {}, "ctx": {}}
        raise RequestValidationError([error], body=text)
    return parsed


def decoded_body(request: Request) -> str | None:
    """A body that cannot be text is refused with a 422.

    API Gateway hands a body that is not valid UTF-8 over base64-encoded; decoding it without
    a check, a ``UnicodeDecodeError`` would be a 500.
    """
    body = request.body
    if not (request.is_base64_encoded and body):
        return body
    try:
        return base64.b64decode(body.encode()).decode("utf-8")
    except UnicodeDecodeError as error:
        raise _body_refused(
            "utf8_invalid", f"The body is not UTF-8: invalid byte at position {error.start}."
        ) from error


def _takes_idempotency_key(func: Callable[..., Any]) -> bool:
    from shared.store.idempotency import HEADER

    for hint in typing.get_type_hints(func, include_extras=True).values():
        for meta in getattr(hint, "__metadata__", ()):
            if isinstance(meta, Header) and str(meta.alias).lower() == HEADER.lower():
                return True
    return False


def _takes_body(func: Callable[..., Any]) -> bool:
    """A route reads a JSON body when one of its parameters is a pydantic model."""
    hints = typing.get_type_hints(func)
    hints.pop("return", None)
    return any(isinstance(h, type) and issubclass(h, BaseModel) for h in hints.values())


def documented_responses(
    func: Callable[..., Any], responses: dict[int, Any] | None, status_code: int
) -> dict[int, Any]:
    """A route's documented responses, completed from what the route itself says.

    Passing ``responses=`` to Powertools replaces its default success response, so this adds
    the success status (``status_code``) when no 2xx is listed: with no ``content`` Powertools
    fills in the schema of the return annotation, and a 204 gets no content at all. A route
    that takes an ``Idempotency-Key`` also documents the 400 a malformed key gets, and one
    that reads a body the 415 a body of another media type gets. Every route documents the
    503 (with ``Retry-After``) that a busy store or user pool gets.
    """
    documented = dict(responses or {})
    if not any(200 <= status < 300 for status in documented):
        success: dict[str, Any] = {"description": HTTPStatus(status_code).phrase + "."}
        documented[status_code] = success
    if HTTPStatus.NO_CONTENT in documented:
        documented[HTTPStatus.NO_CONTENT] = {**documented[HTTPStatus.NO_CONTENT], "content": {}}
    if _takes_idempotency_key(func):
        documented.setdefault(400, problem_responses(400)[400])
    if _takes_body(func):
        documented.setdefault(415, problem_responses(415)[415])
    busy = documented.setdefault(503, problem_responses(503)[503])
    busy.setdefault("headers", headers_of("Retry-After"))
    return dict(sorted(documented.items()))


class _RestApp(App):
    def decoded_body(self, request: Request) -> str | None:
        return decoded_body(request)


def create_app() -> App:
    app = _RestApp(cors=_cors(), read_json=read_json_body)

    @app.exception_handler(DomainError)
    def _domain_error(error: DomainError) -> Response[Any]:
        headers = {"Retry-After": "1"} if isinstance(error, ServiceBusy) else None
        return problem_response(from_domain_error(error, _instance(app)), headers)

    @app.exception_handler(UnsupportedMediaType)
    def _unsupported_media_type(_: UnsupportedMediaType) -> Response[Any]:
        detail = "Send the body as JSON, with `Content-Type: application/json`."
        return problem_response(
            problem(415, "unsupported-media-type", detail, instance=_instance(app))
        )

    @app.exception_handler(RequestValidationError)
    def _validation_error(error: RequestValidationError) -> Response[Any]:
        errors = list(error.errors())
        return problem_response(validation_problem(errors, _instance(app), error.body))

    @app.not_found
    def _no_route(_: NotFoundError) -> Response[Any]:
        return problem_response(problem(404, "not-found", "No such resource."))

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[Any]:
        logger.exception("unhandled error", extra={"error_type": type(error).__name__})
        return problem_response(
            problem(500, "internal", "Something went wrong on our side; it has been logged.")
        )

    app.use(middlewares=[_access_decision_required])
    return app


def _instance(app: App) -> str | None:
    try:
        return str(app.current_event.path)
    except (AttributeError, KeyError):
        return None


def _route_operation_id(app: Router) -> str:
    route = app.context.get("_route")
    operation_id = getattr(route, "operation_id", None)
    if not operation_id:
        raise RuntimeError("every route needs an operation_id (it keys the access table)")
    return str(operation_id)


def context(app: Router) -> Context:
    """The use-case context of the current request (caller loaded once per request)."""
    existing = app.context.get(_CONTEXT_KEY)
    if isinstance(existing, Context):
        return existing
    from shared.adapters.table import default_table
    from shared.store.tenancy import load_caller

    raw_context: dict[str, Any] = app.current_event.get("requestContext") or {}
    authorizer = raw_context.get("authorizer")
    correlation_id = str(raw_context.get("requestId") or "unknown")
    if authorizer and (authorizer.get("claims") or {}).get("sub"):
        caller = load_caller(default_table(), claims_from_authorizer(authorizer))
    else:
        caller = ANONYMOUS
    ctx = Context(
        caller=caller, operation_id=_route_operation_id(app), correlation_id=correlation_id
    )
    app.context[_CONTEXT_KEY] = ctx
    return ctx


def _access_decision_required(
    app: Router, next_middleware: Callable[[Router], Response[Any]]
) -> Response[Any]:
    response = next_middleware(app)
    if app.current_event.http_method == "OPTIONS":
        return response  # a CORS preflight (no operation answers OPTIONS): headers, no data
    ctx = app.context.get(_CONTEXT_KEY)
    decided = isinstance(ctx, Context) and ctx.access_decided
    audited = isinstance(ctx, Context) and (
        ctx.read_audited or ctx.operation_id not in AUDITED_READS
    )
    if response.status_code < 400 and not (decided and audited):
        why = "access was not decided" if not decided else "a confidential read was not audited"
        logger.error(why, extra={"path": app.current_event.resource})
        return problem_response(
            problem(500, "internal", "Something went wrong on our side; it has been logged.")
        )
    return response


def handler_for(app: App) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The Lambda entry point of an API function (logger context, correlation id)."""

    @request_entry_point
    def lambda_handler(event: dict[str, Any], lambda_context: Any) -> dict[str, Any]:
        request_context = event.get("requestContext") or {}
        logger.begin_invocation(lambda_context, request_context.get("requestId"))
        return app.resolve(event, lambda_context)

    return lambda_handler


@cache
def operation_ids(app: App) -> frozenset[str]:
    """All operation ids an app declares (for the access-table test)."""
    return frozenset(str(r.operation_id) for r in app.all_routes() if r.operation_id)


def respond_once(
    app: Router,
    *,
    idempotency_key: str | None,
    body: Any,
    status: int,
    make: Callable[[Context], Any],
    location: str | None = None,
) -> Response[Any]:
    """Run a write that clients may retry with an ``Idempotency-Key``: the first response is
    stored and replayed for the same key (``make`` runs once). ``location`` is formatted with
    the result's fields (e.g. ``/programs/{program_id}``)."""
    from shared.store.idempotency import run_once, validate_key

    ctx = context(app)
    event = app.current_event

    def operation() -> dict[str, Any]:
        return {"status": status, "body": make(ctx).model_dump(mode="json")}

    stored = run_once(
        key=validate_key(idempotency_key),
        caller_id=ctx.caller.user_id or "anonymous",
        method=event.http_method,
        path=event.path,
        body=body,
        operation=operation,
        lambda_context=app.lambda_context,
    )
    # A replay made its access decision when it first ran, for this same caller.
    ctx.access_decided = ctx.access_decided or idempotency_key is not None
    result = stored["body"]
    headers = {"Location": location.format(**result)} if location else None
    return Response(
        status_code=int(stored["status"]),
        body=result,
        content_type="application/json",
        headers=headers,
    )


def respond_once_joined(
    app: Router,
    *,
    idempotency_key: str | None,
    body: Any,
    status: int,
    make: Callable[[Context, Once | None], Any],
) -> Response[Any]:
    """Like :func:`respond_once` for a write that adds the idempotency record to its own
    transaction (``make`` passes the ``Once`` on): no extra requests on the first run."""
    from shared.adapters.table import default_table
    from shared.store.idempotency import once, run_joined, validate_key

    ctx = context(app)
    event = app.current_event
    key = validate_key(idempotency_key)
    record = None
    if key is not None:
        caller = ctx.caller.user_id or "anonymous"
        record = once(
            key=key,
            caller_id=caller,
            method=event.http_method,
            path=event.path,
            body=body,
            status=status,
        )

    def operation(joined: Once | None) -> dict[str, Any]:
        return {"status": status, "body": make(ctx, joined).model_dump(mode="json")}

    stored = run_joined(record, default_table(), operation)
    # A replay made its access decision when it first ran, for this same caller.
    ctx.access_decided = ctx.access_decided or key is not None
    return Response(
        status_code=int(stored["status"]),
        body=stored["body"],
        content_type="application/json",
    )
