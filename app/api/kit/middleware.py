"""Request context as plain ASGI middleware: request id, one JSON log line, metrics, and the
answer to an error no handler took: 503 when the database is out of reach, 500 for a bug.

Plain ASGI (not BaseHTTPMiddleware) keeps the per-request cost to a few microseconds.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.kit import caller
from app.api.kit.problems import problem
from app.api.ops import metrics
from app.api.wire import problem_types
from app.db.availability import OUTAGES, failure_class

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.error")

_MAX_REQUEST_ID = 128
# Probes and scrapes arrive every few seconds from the orchestrator and Prometheus: their access
# lines are DEBUG so they do not bury the traffic (their counts are still in /metrics).
PROBE_ROUTES = frozenset({"/health/live", "/health/ready", "/health/db", "/metrics"})


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if 0 < len(candidate) <= _MAX_REQUEST_ID and candidate.isprintable():
                return str(candidate)
            break
    return uuid.uuid4().hex


RETRY_AFTER_SECONDS = 5


def unavailable(headers: dict[str, str] | None = None) -> Response:
    return problem(
        503,
        "The database is unavailable right now; the request was not carried out. Retry later.",
        code="database-unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), **(headers or {})},
    )


def outage_answer(error: BaseException, headers: dict[str, str] | None = None) -> Response | None:
    """The 503 for an error that means the database is out of reach, counted as an outage of
    its class (no traceback: it would carry SQL); None for any other error."""
    kind = failure_class(error)
    if kind is None:
        return None
    OUTAGES.record(kind, "request")
    return unavailable(headers)


def _base_url(scope: Scope) -> str:
    """scheme://host[:port] and root path of the request, as the client addressed it."""
    host = ""
    for name, value in scope["headers"]:
        if name == b"host":
            host = value.decode("latin-1")
            break
    if not host or not host.isprintable() or "/" in host or " " in host:
        server = scope.get("server")
        host = f"{server[0]}:{server[1]}" if server else "localhost"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}"


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, public_base_url: str | None = None) -> None:
        self.app = app
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # Problems answered for this request carry their type under the service's base and
        # the request as their instance.
        problem_types.BASE.set(self.public_base_url or _base_url(scope))
        problem_types.INSTANCE.set(scope["path"])
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        header = (b"x-request-id", request_id.encode("latin-1"))
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            answer = outage_answer(exc)
            if answer is not None:
                status = 503
                if not response_started:
                    await answer(scope, receive, send_with_id)
                return
            error_log.exception("unhandled error", extra={"request_id": request_id})
            status = 500
            if not response_started:
                response = problem(
                    500,
                    "An unexpected error occurred. Quote the correlation id when reporting it.",
                    code="internal-error",
                    correlation_id=request_id,
                )
                await response(scope, receive, send_with_id)
        finally:
            template = route_template(scope)
            elapsed = time.perf_counter() - started
            metrics.observe(scope["method"], template, status, elapsed)
            level = logging.DEBUG if template in PROBE_ROUTES else logging.INFO
            if access_log.isEnabledFor(level):
                access_log.log(
                    level, "request", extra=_access(scope, request_id, template, status, elapsed)
                )


def route_template(scope: Scope) -> str:
    """The matched route's template. FastAPI routes leave themselves in the scope; plain Starlette
    routes (/openapi.json) and mounts (the docs' static files) leave only their endpoint, so
    those few are looked up by it. A request answered before routing (429 from the rate limiter,
    413 from the body gate) is matched against the documented routes, so its series carries
    its route too; only a path no documented route serves is "unmatched"."""
    route = scope.get("route")
    if route is not None:
        return str(route.path)
    app = scope.get("app")
    if app is None:
        return "unmatched"
    endpoint = scope.get("endpoint")
    if endpoint is not None:
        for candidate in app.routes:
            if isinstance(candidate, Mount) and candidate.app is endpoint:
                return candidate.path + "/{path}"
            if getattr(candidate, "endpoint", None) is endpoint:
                return str(candidate.path)
    path = scope["path"]
    for pattern, template in _documented_routes(app):
        if pattern.match(path):
            return template
    return "unmatched"


def every_route(routes: Any) -> Iterator[Any]:
    """Every route, through the routers included in one another."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from every_route(included.routes)
        else:
            yield route


def _documented_routes(app: Any) -> list[tuple[re.Pattern[str], str]]:
    """The application's route templates as patterns, built once per application from its
    routes (not from its OpenAPI document: generating that takes most of a second, which would
    hold the event loop inside the first request refused before routing); literal segments win
    over parameters (/v1/dossiers/by-code before /v1/dossiers/{dossier_id})."""
    found: list[tuple[re.Pattern[str], str]] | None = getattr(app.state, "route_patterns", None)
    if found is None:
        templates = {
            str(route.path): route.path_regex
            for route in every_route(app.routes)
            if not isinstance(route, Mount) and isinstance(getattr(route, "path", None), str)
        }
        found = [
            (pattern, template)
            for template, pattern in sorted(templates.items(), key=lambda t: t[0].count("{"))
        ]
        app.state.route_patterns = found
    return found


def _access(
    scope: Scope, request_id: str, template: str, status: int, elapsed: float
) -> dict[str, object]:
    who = caller.CallerHeaders.of(scope)
    fields: dict[str, object] = {
        "request_id": request_id,
        "method": scope["method"],
        "route": template,
        "path": scope["path"],
        "status": status,
        "duration_ms": round(elapsed * 1000, 3),
        "actor": who.actor(),
        "client": caller.client_address(scope),
        "user_agent": who.user_agent,
    }
    trace = who.trace_id()
    if trace is not None:
        fields["trace_id"] = trace
    return fields
