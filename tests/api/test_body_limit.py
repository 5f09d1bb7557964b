"""Bodies are limited before they are read, and write routes check the key first."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from app.api.deadlines.router import MAX_BATCH_BODY
from app.api.ops.metrics import REGISTRY
from app.main import create_app
from app.settings import Settings

PROBLEM = "application/problem+json"
LIMIT = Settings(_env_file=None).max_body_bytes
CHUNK = 64 * 1024


class Exchange:
    """One request straight through the ASGI app, counting the body chunks the app pulled."""

    def __init__(self, chunks: int, declared: int | None, headers: list[tuple[bytes, bytes]]):
        self.chunks, self.declared, self.headers = chunks, declared, headers
        self.pulled = 0
        self.messages: list[MutableMapping[str, Any]] = []

    async def run(self, app: FastAPI, method: str, path: str) -> tuple[int, dict[str, Any]]:
        headers = [(b"content-type", b"application/json"), *self.headers]
        if self.declared is not None:
            headers.append((b"content-length", str(self.declared).encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 1),
            "server": ("t", 80),
            "app": app,
        }

        async def receive() -> dict[str, Any]:
            self.pulled += 1
            more = self.pulled < self.chunks
            return {"type": "http.request", "body": b" " * CHUNK, "more_body": more}

        async def send(message: MutableMapping[str, Any]) -> None:
            self.messages.append(message)

        await app(scope, receive, send)
        start = next(m for m in self.messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in self.messages if m["type"].endswith("body"))
        assert dict(start["headers"])[b"content-type"] == PROBLEM.encode()
        return start["status"], json.loads(body)


async def test_a_declared_100_mb_body_is_refused_unread(app: FastAPI) -> None:
    exchange = Exchange(chunks=1600, declared=100 * 1024 * 1024, headers=[])
    status, problem = await exchange.run(app, "POST", "/v1/decisions")
    assert status == 413
    assert problem["type"].endswith("/problems/content-too-large")
    assert exchange.pulled == 0


async def test_a_refusal_before_routing_does_not_build_the_openapi_document() -> None:
    # The refused request is counted under its route template, found among the application's
    # routes: generating the OpenAPI document for it instead held the event loop for most of a
    # second inside the first such request (every other request waited).
    fresh = create_app(Settings(_env_file=None))
    exchange = Exchange(chunks=1, declared=100 * 1024 * 1024, headers=[])
    status, _ = await exchange.run(fresh, "POST", "/v1/decisions")
    assert status == 413
    assert fresh.openapi_schema is None
    assert ("POST", "/v1/decisions") in {
        (s.labels["method"], s.labels["route"])
        for metric in REGISTRY.collect()
        if metric.name == "http_requests"
        for s in metric.samples
        if s.labels.get("status") == "413"
    }


async def test_a_chunked_body_is_cut_when_it_passes_the_limit(app: FastAPI) -> None:
    exchange = Exchange(chunks=1600, declared=None, headers=[])
    status, problem = await exchange.run(app, "POST", "/v1/deadlines/compute-batch")
    assert status == 413, problem
    # The batch route's own limit: 8 MiB is 128 chunks of 64 KiB; the 129th passes it.
    assert exchange.pulled == MAX_BATCH_BODY // CHUNK + 1
    assert f"{MAX_BATCH_BODY:,}" in problem["detail"]


async def test_other_routes_get_the_default_limit(
    app: FastAPI, api_key: Callable[..., Awaitable[str]]
) -> None:
    key = (await api_key("admin")).encode()
    exchange = Exchange(chunks=1600, declared=None, headers=[(b"x-api-key", key)])
    status, _ = await exchange.run(app, "PUT", "/v1/procedures/1.000001")
    assert status == 413
    assert exchange.pulled == LIMIT // CHUNK + 1


async def test_a_write_without_a_key_is_refused_before_its_body_is_read(app: FastAPI) -> None:
    exchange = Exchange(chunks=8, declared=8 * CHUNK, headers=[])
    status, problem = await exchange.run(app, "POST", "/v1/decisions")
    assert status == 401
    assert problem["type"].endswith("/problems/unauthorized")
    assert exchange.pulled == 0


async def test_a_write_with_a_wrong_key_is_refused_before_its_body_is_read(app: FastAPI) -> None:
    exchange = Exchange(chunks=8, declared=8 * CHUNK, headers=[(b"x-api-key", b"vnd_nope")])
    status, _ = await exchange.run(app, "POST", "/v1/decisions")
    assert status == 401
    assert exchange.pulled == 0


async def test_a_batch_between_the_limits_is_read(client: AsyncClient) -> None:
    # 1.5 MiB: over the default limit, under the batch routes' own.
    padding = b" " * (LIMIT + LIMIT // 2)
    body = b'{"items": [{"anchor": "2025-01-02", "amount": 1, "unit": "working_days"}]' + padding
    r = await client.post("/v1/deadlines/compute-batch", content=body + b"}")
    assert r.status_code == 200, r.text


async def _chunks() -> AsyncIterator[bytes]:
    for _ in range(40):
        yield b" " * CHUNK


async def test_a_streamed_body_over_the_limit_is_a_413_problem(client: AsyncClient) -> None:
    r = await client.post("/v1/deadlines/compute", content=_chunks())
    assert r.status_code == 413
    assert r.headers["content-type"] == PROBLEM
