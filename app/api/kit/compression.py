"""gzip for answers of at least GZIP_MINIMUM_BYTES, for clients that accept it.

Starlette's GZipMiddleware does the compressing; it is only entered when the request's
Accept-Encoding names gzip, so a client that does not ask (monitors, most integrations) pays
one header scan and nothing else. Every answer says `Vary: Accept-Encoding`, so that a shared
cache keeps the plain and the gzip'd copies apart. Level 6 (zlib's default): nearly level 9's
size at a fraction of its CPU, which matters on the hot routes browsers call.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMPRESS_LEVEL = 6
_VARY = (b"vary", b"Accept-Encoding")


class Compression:
    def __init__(self, app: ASGIApp, *, minimum_size: int) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=COMPRESS_LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                if b"gzip" in value:
                    await self.gzip(scope, receive, send)  # it adds the Vary itself
                    return
                break

        async def with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), _VARY]
            await send(message)

        await self.app(scope, receive, with_vary)
