"""Nothing of a request body is read before it is allowed: its size, and on routes that need
an API key, the key.

One size limit for every route, the batch routes their own: a declared `Content-Length` over
it is answered 413 at once, without reading a byte; a chunked body is counted as it streams and
answered 413 the moment it passes the limit. FastAPI reads and parses a route's body before it
resolves the route's dependencies, so the key check of `deps.require` is also made here, when
the route first asks for its body: an anonymous caller cannot make the service read one.
Either refusal is sent at once; the route then sees the client gone, and what it answers is
dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.kit import deps
from app.api.kit.middleware import outage_answer
from app.api.kit.problems import ApiProblem, problem
from app.domain.keys import Scope as KeyScope
from app.runtime import Runtime

DEFAULT_LIMIT = 1024 * 1024


def _too_large(limit: int) -> Response:
    return problem(
        413,
        f"The request body is larger than {limit:,} bytes.",
        code="content-too-large",
        # The rest of the body is not read: the connection cannot be reused.
        headers={"Connection": "close"},
    )


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _needed_scope(dependant: Any) -> KeyScope | None:
    for sub in getattr(dependant, "dependencies", ()):
        needed = getattr(sub.call, deps.NEEDED_SCOPE, None)
        if isinstance(needed, KeyScope):
            return needed
        found = _needed_scope(sub)
        if found is not None:
            return found
    return None


async def _key_refusal(scope: Scope) -> Response | None:
    """The 401/403 problem when the matched route needs a key the request lacks."""
    if deps.PRINCIPAL in scope.get("state", {}):
        return None  # the route's dependency checked the key already
    needed = _needed_scope(getattr(scope.get("route"), "dependant", None))
    if needed is None:
        return None
    request = Request(scope)
    runtime: Runtime = request.app.state.runtime
    try:
        principal = await deps.authenticate(runtime, None, deps.key_from_headers(request), needed)
    except ApiProblem as refused:
        return problem(
            refused.status,
            refused.detail,
            code=refused.code,
            headers={**(refused.headers or {}), "Connection": "close"},
            **refused.extra,
        )
    except Exception as exc:
        # The key could not be checked: the database is out of reach (or its pool exhausted).
        # Raised from here, inside the route's first read of its body, it would reach FastAPI
        # as a body it could not parse (400); it is the 503 every other route answers.
        refusal = outage_answer(exc, {"Connection": "close"})
        if refusal is None:
            raise
        return refusal
    scope.setdefault("state", {})[deps.PRINCIPAL] = principal
    return None


class BodyGateMiddleware:
    def __init__(
        self, app: ASGIApp, *, limit: int = DEFAULT_LIMIT, by_path: Mapping[str, int] = {}
    ) -> None:
        self.app = app
        self.limit = limit
        self.by_path = dict(by_path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.by_path.get(scope["path"], self.limit)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0
        first = True
        refused = False
        response_started = False

        async def refuse(response: Response) -> Message:
            nonlocal refused, response_started
            refused = True
            if not response_started:
                response_started = True
                await response(scope, receive, send)
            return {"type": "http.disconnect"}

        async def gated_receive() -> Message:
            nonlocal received, first
            if refused:
                return {"type": "http.disconnect"}
            if first:
                first = False
                refusal = await _key_refusal(scope)
                if refusal is not None:
                    return await refuse(refusal)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    return await refuse(_too_large(limit))
            return message

        async def gated_send(message: Message) -> None:
            nonlocal response_started
            if refused:
                return  # the refusal went out already: the route's own answer is dropped
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, gated_receive, gated_send)
        except Exception:
            if not refused:
                raise
            # The route failed on the body it was refused: the client has its answer.
