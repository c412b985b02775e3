"""Our edge's routes, declared to Powertools' resolver for its OpenAPI generator (build time).

The API functions answer with our edge (``shared.edge.router``); the contract is still written
by Powertools' generator, so ``openapi.json`` is what it always was. Each route is registered
into an ``APIGatewayRestResolver`` with validation on, under a stand-in function whose
signature has Powertools' markers where ours are (``Path``, ``Query``, ``Header``, ``Body``,
same keyword arguments) and Powertools' ``Response[T]`` where ours is; the route's documented
responses completed as the edge documents them (``shared.edge.api.documented_responses``).
Nothing here runs in a Lambda function.
"""

from __future__ import annotations

import functools
import inspect
import typing
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler import Response as PowertoolsResponse
from aws_lambda_powertools.event_handler.openapi import params as powertools_params

from shared.edge import params
from shared.edge.api import documented_responses
from shared.edge.http import Response
from shared.edge.router import App, Route

_MARKERS: dict[type[params.Param], Any] = {
    params.Path: powertools_params.Path,
    params.Query: powertools_params.Query,
    params.Header: powertools_params.Header,
    params.Body: powertools_params.Body,
}


def _translated(annotation: Any) -> Any:
    """An annotation with Powertools' marker and Response in place of ours."""
    if typing.get_origin(annotation) is Annotated:
        base, *metadata = typing.get_args(annotation)
        translated = [
            _MARKERS[type(m)](m.default, **m.kwargs) if isinstance(m, params.Param) else m
            for m in metadata
        ]
        return Annotated[(_translated(base), *translated)]
    if typing.get_origin(annotation) is Response:
        (inner,) = typing.get_args(annotation)
        return PowertoolsResponse[inner]  # type: ignore[valid-type]
    if annotation is Response:
        return PowertoolsResponse
    return annotation


def _stand_in(route: Route) -> Any:
    """The route's function as Powertools reads it: same name and docs, its signature's
    annotations translated."""
    hints = typing.get_type_hints(route.func, include_extras=True)
    signature = inspect.signature(route.func)
    parameters = [
        p.replace(annotation=_translated(hints.get(name, p.annotation)))
        for name, p in signature.parameters.items()
    ]
    returns = hints.get("return", inspect.Signature.empty)
    translated = signature.replace(parameters=parameters, return_annotation=_translated(returns))

    @functools.wraps(route.func)
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        return route.func(*args, **kwargs)

    del stand_in.__wrapped__
    stand_in.__signature__ = translated  # type: ignore[attr-defined]
    stand_in.__annotations__ = {
        **{p.name: p.annotation for p in parameters},
        **(
            {"return": translated.return_annotation}
            if returns is not inspect.Signature.empty
            else {}
        ),
    }
    return stand_in


def resolver_for(app: App) -> APIGatewayRestResolver:
    """A Powertools resolver declaring every route of ``app``, for its OpenAPI generator."""
    resolver = APIGatewayRestResolver(enable_validation=True)
    for route in app.all_routes():
        options = dict(route.options)
        status_code = int(options.pop("status_code", 200))
        responses = documented_responses(route.func, options.pop("responses", None), status_code)
        resolver.route(
            route.rule, route.method, status_code=status_code, responses=responses, **options
        )(_stand_in(route))
    return resolver
