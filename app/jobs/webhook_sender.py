"""One POST to one receiver, safe against hostile or broken receivers: the whole exchange
(name lookup, connect, send, answer) has one deadline, redirects are not followed, at most
RESPONSE_LIMIT bytes of the answer are read, and a host that resolves to a non-public
address is refused unless the operator allowed it."""

from __future__ import annotations

import asyncio
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

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


def client(concurrency: int, seconds: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(seconds),  # each phase; `send` bounds the whole exchange
        limits=httpx.Limits(max_connections=max(4, 2 * concurrency), max_keepalive_connections=64),
        headers={"user-agent": "vn-deadlines-webhooks"},
    )


async def _refused_address(url: str, allowed_hosts: frozenset[str]) -> str | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in allowed_hosts:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for info in infos:
        address = str(info[4][0])
        if not public_address(address):
            return f"{host} resolves to a non-public address ({address})"
    return None


async def send(
    http: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    body: bytes,
    *,
    seconds: float,
    allowed_hosts: frozenset[str],
) -> Answer:
    started = time.perf_counter()

    def took() -> float:
        return round((time.perf_counter() - started) * 1000, 3)

    try:
        async with asyncio.timeout(seconds):
            refused = await _refused_address(url, allowed_hosts)
            if refused is not None:
                return Answer(None, refused, took())
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
