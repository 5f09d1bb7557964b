"""Closed-loop HTTP/1.1 load from a separate process, on keep-alive connections.

A tiny client (asyncio streams, no HTTP library) so that the load generator costs far less per
request than the server it measures; it runs in its own process, on the other core.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def request(
    method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: bench", "Connection: keep-alive"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes
) -> int:
    """Send one request on a keep-alive connection and read its whole response; its status."""
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return int(head[9:12])


async def _connection(
    host: str,
    port: int,
    payloads: list[bytes],
    deadline: float,
    latencies: list[float],
    start: int,
) -> int:
    """One keep-alive connection cycling through `payloads` from `start`: connections start
    spread over the list, so they do not ask the same question at the same moment."""
    reader, writer = await asyncio.open_connection(host, port)
    errors = 0
    i = start
    try:
        while time.perf_counter() < deadline:
            payload = payloads[i % len(payloads)]
            i += 1
            started = time.perf_counter()
            status = await exchange(reader, writer, payload)
            latencies.append(time.perf_counter() - started)
            errors += status >= 400
    finally:
        writer.close()
    return errors


async def _load(
    host: str, port: int, payloads: list[bytes], connections: int, seconds: float
) -> LoadResult:
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds
    errors = await asyncio.gather(
        *(
            _connection(host, port, payloads, deadline, latencies, c * len(payloads) // connections)
            for c in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        errors=sum(errors),
        seconds=elapsed,
        p50_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p99_ms=latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0.0,
    )


def _child(args: tuple[str, int, list[bytes], int, float], queue: mp.Queue) -> None:  # type: ignore[type-arg]
    queue.put(asyncio.run(_load(*args)))


def run(
    host: str, port: int, payloads: list[bytes], *, connections: int = 16, seconds: float = 5.0
) -> LoadResult:
    """Drive the server from another process and return what it measured."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=((host, port, payloads, connections, seconds), queue))
    proc.start()
    result: LoadResult = queue.get(timeout=seconds + 60)
    proc.join()
    return result
