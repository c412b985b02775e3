"""The local API Gateway: a Chalice app built from the template's REST API body.

Every path + method of the API is a Chalice route. Routes with the Cognito authorizer get a
Chalice custom authorizer that verifies the ID token (:mod:`infra.local.authorizer`); public
routes (``Auth: Authorizer: NONE``) get none. The view completes Chalice's event to a REST
proxy event (:mod:`infra.local.proxy`), calls the owning function (in an execution
environment of its own, see :mod:`infra.local.runtime`) and turns its proxy response back
into HTTP. Errors API Gateway produces itself (401, unknown route,
function crash, ...) use the template's gateway responses (:class:`GatewayResponses`).

Served by Chalice's local threaded server; :class:`InProcessClient` sends requests to the
same gateway with no socket (tests).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import socket
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import urlsplit

from chalice.app import AuthRequest, AuthResponse, Response
from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    ForbiddenError,
    InvalidAuthorizerError,
    LocalChalice,
    LocalDevServer,
    LocalGateway,
    LocalGatewayException,
    NotAuthorizedError,
    RouteMatcher,
    ThreadedHTTPServer,
)

from infra.local import docs
from infra.local.authorizer import CognitoTokenVerifier, InvalidToken, claims_as_strings
from infra.local.proxy import (
    LOCAL_KEY,
    ApiContext,
    MalformedProxyResponse,
    RequestFacts,
    proxy_event,
    proxy_response,
)
from infra.local.routes import (
    LAMBDA_ERROR_STATUS,
    GatewayResponse,
    GatewayResponses,
    Route,
    routes_of,
)
from infra.local.servers import SHUTDOWN_POLL_SECONDS, bind

log = logging.getLogger("infra.local.gateway")

#: API Gateway refuses payloads over 10 MB (REQUEST_TOO_LARGE).
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
#: Invokes the function with this ARN with a proxy event; returns its result.
Invoke = Callable[[str, dict[str, Any]], Any]
_ALL_CONTENT_TYPES = ["*/*"]


class GatewayError(LocalGatewayException):
    """Raised inside the app (e.g. by the authorizer) to answer with a gateway response."""

    def __init__(self, response_type: str, response: GatewayResponse) -> None:
        super().__init__(dict(response.headers), response.body.encode())
        self.CODE = response.status
        self.response_type = response_type
        self.response = response


@dataclass(frozen=True)
class GatewaySetup:
    """What the gateway needs: the API body, who verifies tokens, how to invoke functions."""

    body: Mapping[str, Any]
    api: ApiContext
    verifiers: Mapping[str, CognitoTokenVerifier]  # by authorizer name
    invoke: Invoke
    serve_docs: bool = True


class GatewayApp:
    """Builds the Chalice app; each route's view is a closure over its :class:`Route`."""

    def __init__(self, setup: GatewaySetup) -> None:
        self.setup = setup
        self.api = setup.api
        self.responses = GatewayResponses(setup.body)
        self.app = LocalChalice(app_name="nqms-local-gateway", configure_logs=False)
        self.app.api.binary_types = []  # bodies pass through as the function encodes them
        self.routes = routes_of(setup.body)
        self._authorizers = {
            name: self._register_authorizer(name, verifier)
            for name, verifier in setup.verifiers.items()
        }
        for route in self.routes:
            self._register(route)
        if setup.serve_docs:
            self._register_docs()

    def listening_on(self, port: int) -> None:
        """The server's port, once bound (requestContext.domainName, X-Forwarded-Port)."""
        self.api = dataclasses.replace(self.api, port=port)

    # ---------------------------------------------------------------- registration
    def _register(self, route: Route) -> None:
        authorizer = None
        if route.authorizer is not None:
            authorizer = self._authorizers.get(route.authorizer.name)
            if authorizer is None:
                raise ValueError(f"no token verifier for authorizer {route.authorizer.name}")
        view = self._mock_view(route) if route.is_mock else self._proxy_view(route)
        self.app.route(
            route.path,
            methods=[route.method],
            authorizer=authorizer,
            content_types=_ALL_CONTENT_TYPES,
            name=f"{route.method} {route.path}",
        )(view)

    def _register_authorizer(self, name: str, verifier: CognitoTokenVerifier) -> Any:
        def authorize(auth_request: AuthRequest) -> AuthResponse:
            try:
                claims = verifier.verify(auth_request.token)
            except InvalidToken as exc:
                log.info("401 from authorizer %s: %s", name, exc)
                raise GatewayError("UNAUTHORIZED", self.responses.render("UNAUTHORIZED")) from exc
            except Exception as exc:  # JWKS unreachable and the like
                log.exception("authorizer %s failed", name)
                kind = "AUTHORIZER_CONFIGURATION_ERROR"
                raise GatewayError(kind, self.responses.render(kind)) from exc
            context: Any = {"claims": claims_as_strings(claims)}
            return AuthResponse(routes=["*"], principal_id=str(claims["sub"]), context=context)

        return self.app.authorizer(name=name)(authorize)

    def _register_docs(self) -> None:
        declared = {route.path for route in self.routes}
        pages: dict[str, Callable[[], Response]] = {
            docs.OPENAPI_ROUTE: self._openapi,
            docs.DOCS_ROUTE: lambda: _text(docs.docs_page(), "text/html; charset=utf-8"),
            docs.SWAGGER_JS_ROUTE: lambda: _text(
                docs.swagger_asset("swagger-ui-bundle.min.js"), "application/javascript"
            ),
            docs.SWAGGER_CSS_ROUTE: lambda: _text(
                docs.swagger_asset("swagger-ui.min.css"), "text/css"
            ),
        }
        for path, page in pages.items():
            if path not in declared:
                self.app.route(path, methods=["GET"], name=f"docs {path}")(page)

    def _openapi(self) -> Response:
        document = docs.openapi_document()
        if document is None:
            return self.error_response("MISSING_AUTHENTICATION_TOKEN")
        return _text(document, "application/json")

    # ---------------------------------------------------------------- views
    def _mock_view(self, route: Route) -> Callable[..., Response]:
        def view(**_path_parameters: str) -> Response:
            return Response(
                body="", headers=dict(route.mock_headers), status_code=route.mock_status
            )

        return view

    def _proxy_view(self, route: Route) -> Callable[..., Response]:
        function_arn = str(route.function_arn)

        def view(**_path_parameters: str) -> Response:
            request = self.app.current_request
            original = request.to_original_event()
            claims = (original.get("requestContext", {}).get("authorizer") or {}).get("claims")
            event = proxy_event(
                original,
                resource=route.path,
                api=self.api,
                claims=claims if route.authorizer else None,
            )
            return self._call(function_arn, event)

        return view

    def _call(self, function_arn: str, event: dict[str, Any]) -> Response:
        request_id = event["requestContext"]["requestId"]
        headers = event.get("headers") or {}
        try:
            result = self.setup.invoke(function_arn, event)
        except Exception:
            log.exception("function %s failed (request %s)", function_arn, request_id)
            return self.error_response("DEFAULT_5XX", LAMBDA_ERROR_STATUS, request_id, headers)
        try:
            response = proxy_response(result)
        except MalformedProxyResponse as exc:
            log.error("malformed proxy response from %s: %s", function_arn, exc)
            return self.error_response("DEFAULT_5XX", LAMBDA_ERROR_STATUS, request_id, headers)
        return Response(
            body=response.body, headers=dict(response.headers), status_code=response.status
        )

    def error_response(
        self,
        response_type: str,
        status: int | None = None,
        request_id: str = "",
        request_headers: Mapping[str, str] | None = None,
    ) -> Response:
        rendered = self.responses.render(
            response_type, status=status, request_id=request_id, request_headers=request_headers
        )
        return Response(
            body=rendered.body, headers=dict(rendered.headers), status_code=rendered.status
        )


def _text(body: str, content_type: str) -> Response:
    return Response(body=body, headers={"Content-Type": content_type}, status_code=200)


def chalice_config() -> Config:
    return Config.create(
        chalice_stage="local",
        app_name="nqms-local-gateway",
        lambda_timeout=900,
        lambda_memory_size=128,
    )


class LocalApiGateway(LocalGateway):
    """Chalice's LocalGateway plus API Gateway's own answers (gateway responses)."""

    def __init__(self, gateway: GatewayApp) -> None:
        super().__init__(gateway.app, chalice_config())
        self._gateway = gateway
        self._matcher = RouteMatcher(list(gateway.app.routes))

    def handle_request(
        self, method: str, path: str, headers: dict[str, Any], body: bytes | None
    ) -> dict[str, Any]:
        if body is not None and len(body) > MAX_PAYLOAD_BYTES:
            return self._render("REQUEST_TOO_LARGE", headers)
        if not self._has_route(method, path):
            return self._render("MISSING_AUTHENTICATION_TOKEN", headers)
        try:
            response: dict[str, Any] = super().handle_request(method, path, headers, body)
        except GatewayError as exc:
            return self._render(exc.response_type, headers)
        except NotAuthorizedError:
            return self._render("UNAUTHORIZED", headers)
        except ForbiddenError:
            return self._render("ACCESS_DENIED", headers)
        except InvalidAuthorizerError:
            return self._render("AUTHORIZER_CONFIGURATION_ERROR", headers)
        return response

    def _generate_lambda_event(
        self, method: str, path: str, headers: dict[str, Any], body: bytes | None
    ) -> dict[str, Any]:
        event: dict[str, Any] = super()._generate_lambda_event(method, path, headers, body)
        event[LOCAL_KEY] = RequestFacts(dict(headers)).as_dict()
        return event

    def _has_route(self, method: str, path: str) -> bool:
        try:
            match = self._matcher.match_route(path)
        except ValueError:
            return False
        return method in self._gateway.app.routes[match.route]

    def _render(self, response_type: str, headers: Mapping[str, Any]) -> dict[str, Any]:
        rendered = self._gateway.responses.render(
            response_type,
            request_id=str(uuid.uuid4()),
            request_headers={str(k): str(v) for k, v in headers.items()},
        )
        log.info("%s -> %s", response_type, rendered.status)
        return _as_dict(rendered)


def _as_dict(response: GatewayResponse) -> dict[str, Any]:
    return {
        "statusCode": response.status,
        "headers": dict(response.headers),
        "multiValueHeaders": {},
        "body": response.body,
    }


class _RequestHandler(ChaliceRequestHandler):
    """Chalice's HTTP handler, talking to our gateway and logging through ``logging``."""

    def __init__(
        self,
        request: Any,
        client_address: tuple[str, int],
        server: HTTPServer,
        app_object: Any,
        config: Config,
        gateway: LocalApiGateway,
    ) -> None:
        self.local_gateway = gateway
        BaseHTTPRequestHandler.__init__(self, request, client_address, server)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The access log: method, path and status, never the query string (cursors and
        filters), as the API's access log records ``$context.resourcePath``."""
        path = urlsplit(self.path).path
        log.info('%s "%s %s" %s %s', self.address_string(), self.command, path, code, size)

    def _send_http_response(self, code: int, headers: Any, body: str | bytes | None) -> None:
        """An empty body (a 204) goes out with no Content-Type: Chalice would add
        ``application/json`` to it, and a client would try to parse nothing."""
        if not body:
            headers.pop("Content-Type", None)
            body = None
        super()._send_http_response(code, headers, body)


@dataclass(frozen=True)
class HttpResult:
    status: int
    headers: dict[str, Any]
    body: bytes


class InProcessClient:
    """Send HTTP-level requests to the gateway with no socket (the local gateway's test client)."""

    def __init__(self, gateway: GatewayApp) -> None:
        self._gateway = LocalApiGateway(gateway)

    def request(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> HttpResult:
        raw = body.encode() if isinstance(body, str) else body
        result = self._gateway.handle_request(method.upper(), path, dict(headers or {}), raw)
        merged = dict(result["headers"]) | dict(result.get("multiValueHeaders") or {})
        payload = result.get("body") or b""
        return HttpResult(
            result["statusCode"],
            merged,
            payload if isinstance(payload, bytes) else payload.encode(),
        )


def _serving(
    listening: socket.socket, address: tuple[str, int], handler: Callable[..., Any]
) -> HTTPServer:
    """Chalice's server class on a socket that is bound and listening already."""
    server = ThreadedHTTPServer(address, handler, bind_and_activate=False)
    server.socket.close()
    server.socket = listening
    server.server_address = listening.getsockname()
    return server


class GatewayServer:
    """Chalice's threaded local server on a loopback port, in a thread, stoppable.

    It serves ``listening`` when given: a socket the caller bound earlier, to know the API's
    address before the gateway exists (the functions' links point at it) without leaving the
    port free meanwhile for another program (another stack's client connection, say) to take.
    """

    def __init__(
        self,
        gateway: GatewayApp,
        host: str = "127.0.0.1",
        port: int = 0,
        listening: socket.socket | None = None,
    ) -> None:
        handler = functools.partial(_RequestHandler, gateway=LocalApiGateway(gateway))
        listening = listening or bind(host, port, "the API")
        try:
            self._server = LocalDevServer(
                gateway.app,
                chalice_config(),
                host,
                port,
                handler_cls=handler,
                server_cls=functools.partial(_serving, listening),
            )
        except BaseException:
            listening.close()
            raise
        gateway.listening_on(self.port)
        self._thread = threading.Thread(
            target=self._server.server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="gateway",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._server.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server.server_close()
