"""HEAD wherever GET is (RFC 9110 §9.3.2): a HEAD request is served as the GET and its body
dropped, so the status and headers (Content-Length, ETag, Cache-Control) are the GET's own.
FastAPI routes declare GET only; plain Starlette routes already answer HEAD, and answer the
same through here."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        as_get = dict(scope, method="GET")
        ended = False

        async def without_body(message: Message) -> None:
            nonlocal ended
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False) and not ended:
                ended = True
                await send({"type": "http.response.body", "body": b""})

        try:
            await self.app(as_get, receive, without_body)
        finally:
            # The route matched is the access log's and the metrics' label (outer middleware).
            for key in ("route", "endpoint"):
                if key in as_get:
                    scope[key] = as_get[key]
