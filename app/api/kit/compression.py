"""gzip for answers of at least GZIP_MINIMUM_BYTES, for clients that accept it.

Only entered when the request's Accept-Encoding names gzip, so a client that does not ask
(monitors, most integrations) pays one header scan and nothing else. For one that asks, an
answer sent whole and below the threshold (the hot routes' small answers) passes through with
nothing but the Vary header added; a larger or streamed one is handed to Starlette's gzip
responder, which compresses it (Content-Encoding, Content-Length, excluded types, 206s). Every
answer says `Vary: Accept-Encoding`, so that a shared cache keeps the plain and the gzip'd
copies apart. Level 6 (zlib's default): nearly level 9's size at a fraction of its CPU, which
matters on the hot routes browsers call.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMPRESS_LEVEL = 6
_VARY = (b"vary", b"Accept-Encoding")


class Compression:
    def __init__(self, app: ASGIApp, *, minimum_size: int) -> None:
        self.app = app
        self.minimum_size = minimum_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                if b"gzip" in value:
                    await self._gzip(scope, receive, send)
                    return
                break

        async def with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), _VARY]
            await send(message)

        await self.app(scope, receive, with_vary)

    async def _gzip(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        responder: GZipResponder | None = None

        async def gzip_send(message: Message) -> None:
            nonlocal start, responder
            if responder is not None:  # compressing: the responder sends the rest
                await responder.send_with_compression(message)
                return
            if message["type"] == "http.response.start":
                start = message  # held until the first body says which way
                return
            if start is not None and message["type"] == "http.response.body":
                body = message.get("body", b"")
                if not message.get("more_body", False) and len(body) < self.minimum_size:
                    start["headers"] = [*start.get("headers", []), _VARY]
                    await send(start)
                    start = None
                    await send(message)
                    return
                responder = GZipResponder(self.app, self.minimum_size, COMPRESS_LEVEL)
                responder.send = send
                await responder.send_with_compression(start)  # it adds the Vary itself
                start = None
                await responder.send_with_compression(message)
                return
            if start is not None:  # anything else first (a zero-copy file): untouched
                start["headers"] = [*start.get("headers", []), _VARY]
                await send(start)
                start = None
            await send(message)

        await self.app(scope, receive, gzip_send)
