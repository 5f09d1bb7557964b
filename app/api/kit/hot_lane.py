"""The hot routes (the endpoint helper's: calendar add and count, compute and compute-batch, the
appointment and its batch, a dossier's events) served straight from their method and exact path
(or, for the few with path parameters, their pattern), ahead of the router.

FastAPI finds a route by walking every included router and trying each route's pattern in turn,
then resolves the route's dependencies before calling it; for these routes, which read their
own query or body and encode their own answer (app/api/kit/endpoint.py), that walk cost as much
as the answer itself. The lane is the innermost middleware, so the body gate, the conditional
and compression layers, the rate limit and the request context see these requests as before;
it sets the matched route in the scope as the router would (the access log and metrics label,
the body gate's key check), and renders an error with the application's own exception handlers.
Any other method or path goes on to the router unchanged.
"""

from __future__ import annotations

import inspect
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.kit.endpoint import FastEndpoint, fast_endpoint_of
from app.api.kit.middleware import every_route

Served = tuple[APIRoute, FastEndpoint[Any, Any, Any]]
Table = dict[tuple[str, str], Served]
Patterns = list[tuple[str, APIRoute, FastEndpoint[Any, Any, Any]]]


def _helper_routes(routes: Any) -> Patterns:
    """(method, route, endpoint) of every route the endpoint helper declared."""
    found: Patterns = []
    for route in every_route(routes):
        if isinstance(route, APIRoute):
            endpoint = fast_endpoint_of(route.endpoint)
            if endpoint is not None:
                found.extend((method, route, endpoint) for method in route.methods or ())
    return found


def lane_table(routes: Any) -> Table:
    """(method, path) → the route and its endpoint, for the helper's routes without path
    parameters."""
    table: Table = {}
    for method, route, endpoint in _helper_routes(routes):
        if not route.param_convertors:
            table.setdefault((method, route.path), (route, endpoint))
    return table


def lane_patterns(routes: Any) -> Patterns:
    """The helper's routes with path parameters, in the router's order: tried, by their
    pattern, only for a request no exact path took."""
    return [found for found in _helper_routes(routes) if found[1].param_convertors]


def _matched(patterns: Patterns, scope: Scope) -> Served | None:
    method, path = scope["method"], scope["path"]
    for wanted, route, endpoint in patterns:
        if wanted == method:
            match = route.path_regex.match(path)
            if match is not None:
                convertors = route.param_convertors
                scope["path_params"] = {
                    name: convertors[name].convert(value)
                    for name, value in match.groupdict().items()
                }
                return route, endpoint
    return None


class HotLane:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.table: Table | None = None
        self.patterns: Patterns = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        table = self.table
        if table is None:
            routes = scope["app"].routes
            table, self.patterns = lane_table(routes), lane_patterns(routes)
            self.table = table
        found = table.get((scope["method"], scope["path"])) or _matched(self.patterns, scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        route, endpoint = found
        scope["route"] = route
        scope["endpoint"] = route.endpoint
        request = Request(scope, receive, send)
        try:
            response = await endpoint(request)
        except Exception as exc:
            handler = _handler(scope["app"].exception_handlers, exc)
            if handler is None:
                raise
            response = handler(request, exc)
            if inspect.isawaitable(response):
                response = await response
        await response(scope, receive, send)


def _handler(handlers: dict[Any, Any], exc: Exception) -> Any:
    """The application's handler for the exception's class or its nearest base (as Starlette's
    exception middleware looks it up); None when only the request context may answer it."""
    for cls in type(exc).__mro__:
        if cls in handlers and cls is not Exception:
            return handlers[cls]
    return None
