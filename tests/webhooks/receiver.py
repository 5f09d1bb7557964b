"""A real HTTP receiver for the delivery tests: a tiny HTTP/1.1 server on 127.0.0.1 (keep-alive,
Content-Length bodies) whose answers a test scripts, and which records what it received."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() when the body was read


@dataclass
class Reply:
    status: int = 200
    delay: float = 0.0
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)


Behaviour = Callable[[Received], Awaitable[Reply] | Reply]


class Receiver:
    def __init__(self, behaviour: Behaviour | None = None, port: int = 0) -> None:
        self.behaviour = behaviour or (lambda _: Reply())
        self.port = port
        self.received: list[Received] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight = 0
        self._server: asyncio.Server | None = None
        self._conns: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> Receiver:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._conns):
                writer.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._conns.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in lines[1:] if line)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                got = Received(headers, body, time.time())
                sub = headers.get("webhook-id", "")
                self.in_flight[sub] = self.in_flight.get(sub, 0) + 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight[sub])
                self.received.append(got)
                try:
                    reply = self.behaviour(got)
                    if not isinstance(reply, Reply):
                        reply = await reply
                    if reply.delay:
                        await asyncio.sleep(reply.delay)
                finally:
                    self.in_flight[sub] -= 1
                extra = "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items())
                writer.write(
                    f"HTTP/1.1 {reply.status} X\r\ncontent-length: {len(reply.body)}\r\n"
                    f"{extra}\r\n".encode()
                    + reply.body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:  # the test stopped the receiver mid-answer
            pass
        finally:
            self._conns.discard(writer)
            writer.close()
