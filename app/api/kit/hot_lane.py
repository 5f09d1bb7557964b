"""The hot routes (the endpoint helper's: calendar add and count, compute and compute-batch, the
appointment and its batch) served straight from their method and exact path, ahead of the
router.

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

Table = dict[tuple[str, str], tuple[APIRoute, FastEndpoint[Any, Any, Any]]]


def lane_table(routes: Any) -> Table:
    """(method, path) → the route and its endpoint, for the helper's routes without path
    parameters (a path with one is matched by its pattern: the router's job)."""
    table: Table = {}
    for route in every_route(routes):
        if not isinstance(route, APIRoute):
            continue
        endpoint = fast_endpoint_of(route.endpoint)
        if endpoint is None or route.param_convertors:
            continue
        for method in route.methods or ():
            table.setdefault((method, route.path), (route, endpoint))
    return table


class HotLane:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.table: Table | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        table = self.table
        if table is None:
            table = self.table = lane_table(scope["app"].routes)
        found = table.get((scope["method"], scope["path"]))
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
