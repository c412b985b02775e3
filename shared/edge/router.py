"""Our HTTP edge: routes declared with decorators, matched by API Gateway's resource, their
parameters and body validated with pydantic, their answers serialised.

The decorator API is the one the handlers used with Powertools' resolver
(``app.get(path, operation_id=, tags=, summary=, responses=, ...)``, ``include_router``,
``Response``, ``Annotated`` parameters marked with ``shared.edge.params``), so route
declarations and ``openapi.json`` are unchanged; what a cold start pays is only this module
and pydantic. A route's validators are built on its first request, once.

Per request: the route is found by ``(httpMethod, resource)`` (the path's pattern, as the
REST API sends it); path, query and header parameters are validated, then the JSON body
(a 415 for another media type); middlewares run around the route; the route's result is
validated against its return annotation and dumped by alias; an exception becomes the
response its registered handler makes. Responses carry CORS headers when the Origin is
allowed; a preflight (OPTIONS, no route) gets a 204 with the allowed methods.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from shared.edge.http import (
    JSON,
    CORSConfig,
    Request,
    RequestValidationError,
    Response,
    UnsupportedMediaType,
    proxy_response,
)
from shared.edge.params import Body, Param, Path, Query

Handler = Callable[..., Any]
Middleware = Callable[["Router", Callable[["Router"], Response[Any]]], Response[Any]]

_RULE_PARAM = re.compile(r"<(\w+)>")
# As Powertools matched a path when no resource is given (tests calling a function directly).
_PATH_CHARS = r"[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+"


def _rule_regex(rule: str) -> re.Pattern[str]:
    named = _RULE_PARAM.sub(lambda m: f"(?P<{m.group(1)}>{_PATH_CHARS})", rule)
    return re.compile(f"^{named}/*$")


class NotFoundError(Exception):
    """No route for the request's method and resource."""


@dataclass(frozen=True)
class Declared:
    """A route of a module not imported yet: what the app needs to find it (method, rule,
    operation id). The module declares the route itself, with the decorators; it is imported
    on the route's first request, and must declare exactly the routes listed for it."""

    method: str
    rule: str
    operation_id: str

    @property
    def resource(self) -> str:
        return _RULE_PARAM.sub(r"{\1}", self.rule)


@dataclass
class _Parameter:
    name: str  # the function's argument
    alias: str  # its name in the request
    in_: str
    annotation: Any
    marker: Param | None
    default: Any  # inspect.Parameter.empty when required
    adapter: TypeAdapter[Any] | None = None

    @property
    def required(self) -> bool:
        return self.default is inspect.Parameter.empty

    def validate(self, value: Any, loc: tuple[str | int, ...], errors: list[dict[str, Any]]) -> Any:
        if self.adapter is None:
            constraints = self.marker.constraints if self.marker else {}
            typed = (
                Annotated[self.annotation, Field(**constraints)] if constraints else self.annotation
            )
            self.adapter = TypeAdapter(typed)
        try:
            return self.adapter.validate_python(value, from_attributes=True)
        except ValidationError as error:
            errors.extend({**e, "loc": (*loc, *e.get("loc", ()))} for e in error.errors())
            return None


def _missing(loc: tuple[str | int, ...]) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


@dataclass
class Route:
    """One operation: method, rule (``/cycles/<cycleId>``), the function, and what the
    decorator was given (``options``: operation_id, tags, summary, responses, ...)."""

    method: str
    rule: str
    func: Handler
    options: dict[str, Any]
    _parameters: list[_Parameter] | None = field(default=None, repr=False)
    _returns: TypeAdapter[Any] | None = field(default=None, repr=False)
    _returns_read: bool = field(default=False, repr=False)

    @property
    def operation_id(self) -> str | None:
        return self.options.get("operation_id")

    @property
    def status_code(self) -> int:
        return int(self.options.get("status_code", 200))

    @property
    def resource(self) -> str:
        """The rule as API Gateway names the resource: ``/cycles/{cycleId}``."""
        return _RULE_PARAM.sub(r"{\1}", self.rule)

    def path_regex(self) -> re.Pattern[str]:
        return _rule_regex(self.rule)

    def parameters(self) -> list[_Parameter]:
        """The function's parameters, where each comes from (read once)."""
        if self._parameters is None:
            self._parameters = list(_parameters_of(self.func, self.rule))
        return self._parameters

    def returns(self) -> TypeAdapter[Any] | None:
        """The validator of the route's answer: its return annotation (``Response[T]``: T)."""
        if not self._returns_read:
            hints = typing.get_type_hints(self.func, include_extras=True)
            annotation = hints.get("return", inspect.Parameter.empty)
            if typing.get_origin(annotation) is Response:
                (annotation,) = typing.get_args(annotation) or (Any,)
            if annotation is not inspect.Parameter.empty:
                self._returns = TypeAdapter(annotation)
            self._returns_read = True
        return self._returns


def _parameters_of(func: Handler, rule: str) -> typing.Iterator[_Parameter]:
    hints = typing.get_type_hints(func, include_extras=True)
    in_rule = set(_RULE_PARAM.findall(rule))
    for name, parameter in inspect.signature(func).parameters.items():
        annotation = hints.get(name, Any)
        marker: Param | None = None
        if typing.get_origin(annotation) is Annotated:
            base, *metadata = typing.get_args(annotation)
            marker = next((m for m in metadata if isinstance(m, Param)), None)
            annotation = base
        default = parameter.default
        if marker is not None and marker.default is not ... and default is inspect.Parameter.empty:
            default = marker.default
        alias = (marker.alias if marker else None) or name
        if marker is not None:
            in_ = marker.in_
        elif alias in in_rule:
            in_ = Path.in_
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            in_ = Body.in_
        else:
            in_ = Query.in_
        yield _Parameter(name, alias, in_, annotation, marker, default)


def _scalar(value: Any, name: str, multi_value: set[str] | None) -> Any:
    """One value per scalar parameter: a single-item list unwrapped, a value API Gateway
    split at commas joined again; a parameter really sent twice stays a list (and fails)."""
    if (
        isinstance(value, list)
        and len(value) > 1
        and multi_value is not None
        and name not in multi_value
        and all(isinstance(v, str) for v in value)
    ):
        return ",".join(value)
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


class Router:
    """Routes declared with decorators; an :class:`App` includes them."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self._app: App | None = None

    # ------------------------------------------------------------------ declaring routes
    def route(self, rule: str, method: str, **options: Any) -> Callable[[Handler], Handler]:
        def register(func: Handler) -> Handler:
            self._add(Route(method.upper(), rule, func, options))
            return func

        return register

    def _add(self, route: Route) -> None:
        self.routes.append(route)

    def get(self, rule: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route(rule, "GET", **options)

    def post(self, rule: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route(rule, "POST", **options)

    def put(self, rule: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route(rule, "PUT", **options)

    def patch(self, rule: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route(rule, "PATCH", **options)

    def delete(self, rule: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route(rule, "DELETE", **options)

    # ------------------------------------------------------------------ the current request
    def _resolver(self) -> App:
        if self._app is None:
            raise RuntimeError("this router is not included in an app")
        return self._app

    @property
    def current_event(self) -> Request:
        return self._resolver().current_event

    @property
    def lambda_context(self) -> Any:
        return self._resolver().lambda_context

    @property
    def context(self) -> dict[str, Any]:
        return self._resolver().context


class App(Router):
    """The routes of one API function, and the request being answered."""

    def __init__(self, *, cors: CORSConfig | None = None, read_json: Callable[[str], Any]) -> None:
        super().__init__()
        self._app = self
        self.cors = cors
        self.read_json = read_json
        self._by_resource: dict[tuple[str, str], Route] = {}
        self._by_path: list[tuple[Route, re.Pattern[str]]] | None = None
        self._handlers: dict[type[Exception], Callable[[Exception], Response[Any]]] = {}
        self._middlewares: list[Middleware] = []
        # (method, resource) -> the module that declares it, not imported yet
        self._deferred: dict[tuple[str, str], tuple[str, Declared]] = {}
        self._current: Request | None = None
        self._lambda_context: Any = None
        self._context: dict[str, Any] = {}

    @property
    def current_event(self) -> Request:
        if self._current is None:
            raise RuntimeError("no request is being answered")
        return self._current

    @property
    def lambda_context(self) -> Any:
        return self._lambda_context

    @property
    def context(self) -> dict[str, Any]:
        return self._context

    def _add(self, route: Route) -> None:
        super()._add(route)
        self._by_resource[(route.method, route.resource)] = route
        self._by_path = None

    def include_router(self, router: Router) -> None:
        for route in router.routes:
            self._add(route)
        router._app = self

    def include_router_of(self, module: str, declared: Iterable[Declared]) -> None:
        """Include ``module``'s ``router`` when one of its routes is first asked for: a cold
        start imports only the route modules its requests use (their logic, models and
        stores). ``declared`` lists the module's routes; a difference is an error when the
        module is imported (and in a test, which imports them all)."""
        for route in declared:
            self._deferred[(route.method.upper(), route.resource)] = (module, route)
        self._by_path = None

    def _include_deferred(self, module: str) -> None:
        from importlib import import_module

        declared = {d for m, d in self._deferred.values() if m == module}
        router: Router = import_module(module).router
        found = {Declared(r.method, r.rule, str(r.operation_id)) for r in router.routes}
        if found != declared:
            raise RuntimeError(
                f"{module} declares {sorted(map(repr, found - declared))} and lacks "
                f"{sorted(map(repr, declared - found))}: its routes and the app's list differ"
            )
        self._deferred = {k: v for k, v in self._deferred.items() if v[0] != module}
        self.include_router(router)

    def all_routes(self) -> list[Route]:
        """Every route, the deferred ones' modules imported (the OpenAPI document, tests)."""
        for module in sorted({module for module, _ in self._deferred.values()}):
            self._include_deferred(module)
        return self.routes

    def exception_handler(
        self, kind: type[Exception]
    ) -> Callable[[Callable[[Any], Response[Any]]], Callable[[Any], Response[Any]]]:
        def register(func: Callable[[Any], Response[Any]]) -> Callable[[Any], Response[Any]]:
            self._handlers[kind] = func
            return func

        return register

    def not_found(self, func: Callable[[Any], Response[Any]]) -> Callable[[Any], Response[Any]]:
        return self.exception_handler(NotFoundError)(func)

    def use(self, middlewares: list[Middleware]) -> None:
        self._middlewares.extend(middlewares)

    # ------------------------------------------------------------------ answering
    def resolve(self, event: dict[str, Any], lambda_context: Any) -> dict[str, Any]:
        self._current = Request(event)
        self._lambda_context = lambda_context
        try:
            response = self._answer()
            return proxy_response(self._with_cors(response))
        finally:
            self._context = {}
            self._current = None

    def _find(self, request: Request) -> tuple[Route | None, dict[str, str]]:
        method = request.http_method.upper()
        resource = request.resource
        if resource and (method, resource) in self._deferred:
            self._include_deferred(self._deferred[(method, resource)][0])
        route = self._by_resource.get((method, resource)) if resource else None
        if route is not None:
            return route, request.path_parameters
        for (deferred_method, _), (module, declared) in list(self._deferred.items()):
            # Matched by path (no resource given): only a deferred route that matches loads.
            if deferred_method == method and _rule_regex(declared.rule).match(request.path):
                self._include_deferred(module)
                break
        if self._by_path is None:
            self._by_path = [(r, r.path_regex()) for r in self.routes]
        for candidate, pattern in self._by_path:
            match = pattern.match(request.path) if candidate.method == method else None
            if match:
                return candidate, match.groupdict()
        return None, {}

    def _answer(self) -> Response[Any]:
        request = self.current_event
        route, path_values = self._find(request)
        self._context["_route"] = route
        try:
            if route is None:
                return self._run_middlewares(lambda _: self._no_route(request))
            arguments = self._arguments(route, request, path_values)
            return self._run_middlewares(lambda _: self._call(route, arguments))
        except Exception as error:  # every error becomes its handler's response
            handler = next(
                (self._handlers[k] for k in type(error).__mro__ if k in self._handlers), None
            )
            if handler is None:
                raise
            return handler(error)

    def _run_middlewares(self, last: Callable[[Router], Response[Any]]) -> Response[Any]:
        chain = last
        for middleware in reversed(self._middlewares):
            chain = (lambda m, n: lambda app: m(app, n))(middleware, chain)
        return chain(self)

    def _no_route(self, request: Request) -> Response[Any]:
        if self.cors is not None and request.http_method.upper() == "OPTIONS":
            deferred = (method for method, _ in self._deferred)
            methods = {"OPTIONS", *(r.method for r in self.routes), *deferred}
            allowed = {"Access-Control-Allow-Methods": ",".join(sorted(methods))}
            return Response(204, None, "", allowed)
        raise NotFoundError()

    def _arguments(
        self, route: Route, request: Request, path_values: dict[str, str]
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        parameters = route.parameters()
        query = request.query_values()
        multi_query = request.multi_value_query_names()
        headers = request.multi_value_headers or request.headers
        for parameter in (p for p in parameters if p.in_ != Body.in_):
            loc = (parameter.in_, parameter.alias)
            if parameter.in_ == Path.in_:
                value = path_values.get(parameter.alias)
            elif parameter.in_ == Query.in_:
                value = _scalar(query.get(parameter.alias), parameter.alias, multi_query)
            else:
                value = _scalar(headers.get(parameter.alias), parameter.alias, None)
            self._take(parameter, value, loc, values, errors)
        bodies = [p for p in parameters if p.in_ == Body.in_]
        if bodies:
            received = self._body(request)
            for parameter in bodies:
                value = received[0] if isinstance(received, list) and received else received
                self._take(parameter, value, (Body.in_,), values, errors)
        if errors:
            raise RequestValidationError(errors)
        return values

    @staticmethod
    def _take(
        parameter: _Parameter,
        value: Any,
        loc: tuple[str | int, ...],
        values: dict[str, Any],
        errors: list[dict[str, Any]],
    ) -> None:
        if value is None:
            if parameter.required:
                errors.append(_missing(loc))
            else:
                values[parameter.name] = parameter.default
            return
        values[parameter.name] = parameter.validate(value, loc, errors)

    def _body(self, request: Request) -> Any:
        """The JSON body (None when there is none); another media type is refused."""
        media_type = str(request.headers.get("content-type") or "").strip()
        if media_type and not media_type.startswith(JSON):
            raise UnsupportedMediaType(media_type)
        text = self.decoded_body(request)
        if not text:
            return None
        import json

        try:
            return self.read_json(text)
        except json.JSONDecodeError as error:
            failure = {
                "type": "json_invalid",
                "loc": ("body", error.pos),
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": error.msg},
            }
            raise RequestValidationError([failure], body=error.doc) from error

    def decoded_body(self, request: Request) -> str | None:
        """The body's text (base64-decoded when API Gateway encoded it)."""
        return request.body

    def _call(self, route: Route, arguments: dict[str, Any]) -> Response[Any]:
        result = route.func(**arguments)
        response = (
            result if isinstance(result, Response) else Response(route.status_code, JSON, result)
        )
        returns = route.returns()
        if returns is not None:
            errors: list[dict[str, Any]] = []
            try:
                value = returns.validate_python(response.body, from_attributes=True)
            except ValidationError as error:
                errors = [{**e, "loc": ("response", *e.get("loc", ()))} for e in error.errors()]
                raise RequestValidationError(errors, body=response.body) from error
            response.body = returns.dump_python(value, mode="json", by_alias=True)
        return response

    def _with_cors(self, response: Response[Any]) -> Response[Any]:
        if self.cors is None:
            return response
        origin = (
            (self._current.multi_value_headers or self._current.headers).get("origin")
            if self._current
            else None
        )
        if isinstance(origin, list):
            origin = origin[0]
        allowed = self.cors.allowed_origin(origin)
        if allowed is not None:
            response.headers.update(self.cors.to_dict(allowed))
        return response
