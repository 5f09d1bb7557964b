"""One POST to one receiver, safe against hostile or broken receivers: the whole exchange
(name lookup, connect, send, answer) has one deadline, redirects are not followed, at most
RESPONSE_LIMIT bytes of the answer are read, and a host that resolves to a non-public
address is refused unless the operator allowed it. The address checked is the address
connected to (the name is looked up once, by the check), so a name that gives the check a
public address and the connection a private one (DNS rebinding) gets nowhere."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import httpcore
import httpx
from httpcore import SOCKET_OPTION

from app.domain.webhooks.receivers import public_address

RESPONSE_LIMIT = 4096  # bytes: enough for an error message, not enough to exhaust memory


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str | None
    latency_ms: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


Resolve = Callable[[str, int], Awaitable[list[str]]]


async def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class PublicOnly(httpcore.AsyncNetworkBackend):
    """Connects only to public addresses, except for the hosts the operator allows: the name
    is looked up here, every address it has must be public, and the connection goes to the
    first of them (TLS still checks the certificate against the name, sent as SNI)."""

    def __init__(
        self,
        allowed_hosts: frozenset[str],
        inner: httpcore.AsyncNetworkBackend | None = None,
        resolve: Resolve = _getaddrinfo,
    ) -> None:
        self._allowed = allowed_hosts
        self._inner = inner or httpcore.AnyIOBackend()
        self._resolve = resolve

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        name = host.lower().strip("[]")
        if name not in self._allowed:
            addresses = await self._resolve(name, port)
            if not addresses:
                raise httpcore.ConnectError(f"{name} has no address")
            for address in addresses:
                if not public_address(address):
                    raise httpcore.ConnectError(
                        f"{name} resolves to a non-public address ({address})"
                    )
            host = addresses[0]
        return await self._inner.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks are sent over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def client(
    concurrency: int, seconds: float, allowed_hosts: frozenset[str] = frozenset()
) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(
        trust_env=False,
        limits=httpx.Limits(max_connections=max(4, 2 * concurrency), max_keepalive_connections=64),
    )
    # httpx has no parameter for the pool's network backend: set it on the pool it made
    # (tests/webhooks send to a refused private address through this path).
    transport._pool._network_backend = PublicOnly(allowed_hosts)
    return httpx.AsyncClient(
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(seconds),  # each phase; `send` bounds the whole exchange
        headers={"user-agent": "vn-deadlines-webhooks"},
    )


async def send(
    http: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    body: bytes,
    *,
    seconds: float,
) -> Answer:
    started = time.perf_counter()

    def took() -> float:
        return round((time.perf_counter() - started) * 1000, 3)

    try:
        async with asyncio.timeout(seconds):
            request = http.build_request("POST", url, content=body, headers=headers)
            response = await http.send(request, stream=True)
            try:
                read = 0
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read >= RESPONSE_LIMIT:
                        break
            finally:
                await response.aclose()
    except TimeoutError:
        return Answer(None, f"no answer within {seconds:g} s", took())
    except (httpx.HTTPError, OSError) as error:
        return Answer(None, f"{type(error).__name__}: {error}"[:300], took())
    code = response.status_code
    if 200 <= code < 300:
        return Answer(code, None, took())
    if 300 <= code < 400:
        return Answer(
            code, "redirects are not followed: point the subscription at the target", took()
        )
    return Answer(code, f"HTTP {code}", took())
