"""A stalled database (paused server, network black hole) gives bounded 503s, never a hang or a
500; readiness flips within its own deadline; the snapshot routes keep answering; reads come
back once the database does."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.main import create_app
from tests.conftest import settings_for
from tests.dossier_data import dossier, erase_office
from tests.pgproxy import PgProxy

# Short deadlines so the test is quick; the bound each request must meet follows from them:
# pool wait + connect + one statement, plus scheduling slack.
TIMEOUTS = {
    "db_connect_timeout_seconds": 0.5,
    "db_pool_timeout_seconds": 0.5,
    "db_statement_timeout_seconds": 1.0,
    "ready_timeout_seconds": 0.5,
    "db_pool_size": 2,
    "db_max_overflow": 1,
}
BOUND_SECONDS = 0.5 + 0.5 + 1.5 + 1.5


@pytest.fixture
async def proxied(server_dsn: str, database_url: str) -> AsyncIterator[tuple[PgProxy, FastAPI]]:
    proxy = PgProxy(server_dsn)
    await proxy.start()
    database = make_url(database_url).database
    assert database is not None
    app = create_app(settings_for(proxy.url(database), **TIMEOUTS))
    async with app.router.lifespan_context(app):
        yield proxy, app
    proxy.resume()
    await proxy.stop()


async def _timed(http: AsyncClient, path: str) -> tuple[float, int, dict[str, str], bytes]:
    started = time.monotonic()
    response = await http.get(path)
    return (
        time.monotonic() - started,
        response.status_code,
        dict(response.headers),
        response.content,
    )


async def test_a_stalled_database_gives_bounded_503s(proxied: tuple[PgProxy, FastAPI]) -> None:
    proxy, app = proxied
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http:
        assert (await http.get("/v1/dossiers")).status_code == 200
        assert (await http.get("/health/ready")).status_code == 200

        proxy.stall()
        # More readers than the pool has connections: some wait on the pool, some on the server.
        answers = await asyncio.gather(*(_timed(http, "/v1/dossiers") for _ in range(8)))
        for elapsed, status, headers, body in answers:
            assert elapsed < BOUND_SECONDS, elapsed
            assert status == 503, body
            assert headers["content-type"] == "application/problem+json"
            assert headers["retry-after"].isdigit()
            assert b"/problems/database-unavailable" in body
            assert b"SELECT" not in body and b"asyncpg" not in body  # no internal detail

        elapsed, status, _, _ = await _timed(http, "/health/ready")
        assert status == 503
        assert elapsed < 0.5 + 0.5  # its own deadline, whatever the pool is doing
        assert (await http.get("/health/live")).status_code == 200
        # The calendar snapshot answers without the database.
        add = await http.get("/v1/calendar/working-days/add?start=2025-01-02&days=1")
        assert add.status_code == 200

        proxy.resume()
        deadline = time.monotonic() + 5
        status = 0
        while time.monotonic() < deadline:
            status = (await http.get("/v1/dossiers")).status_code
            if status == 200:
                break
            await asyncio.sleep(0.1)
        assert status == 200


async def test_a_stopped_database_gives_503_not_500(proxied: tuple[PgProxy, FastAPI]) -> None:
    proxy, app = proxied
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http:
        assert (await http.get("/v1/dossiers")).status_code == 200
        await proxy.stop()  # open connections cut, new ones refused
        for _ in range(3):  # the cut pooled connection, then refused new ones
            down = await http.get("/v1/dossiers")
            assert down.status_code == 503, down.text
            assert down.json()["type"].endswith("/problems/database-unavailable")
            assert down.headers["retry-after"].isdigit()
        await proxy.start()
        for _ in range(50):
            if (await http.get("/v1/dossiers")).status_code == 200:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("reads did not come back")


async def test_a_write_whose_key_cannot_be_checked_is_a_503(
    proxied: tuple[PgProxy, FastAPI],
) -> None:
    # The body gate checks a write's key before its body is read, inside the route's first read
    # of the body: a database out of reach there is the 503 of every route, not a body FastAPI
    # "could not parse" (400). The key is unknown to the replica's cache, so it needs the
    # database.
    proxy, app = proxied
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http:
        assert (await http.get("/v1/dossiers")).status_code == 200
        await proxy.stop()
        r = await http.post(
            "/v1/decisions",
            json={"number": "1/QĐ-UBND"},
            headers={"X-API-Key": "vnd_abcdefgh_" + "x" * 32},
        )
        assert r.status_code == 503, r.text
        assert r.json()["type"].endswith("/problems/database-unavailable")
        assert r.headers["retry-after"].isdigit()
        await proxy.start()


async def test_event_appends_written_together_give_bounded_503s_in_a_stall(
    proxied: tuple[PgProxy, FastAPI], api_key: Callable[..., Awaitable[str]], engine: AsyncEngine
) -> None:
    # Appends waiting for the one being written share its fate when the database is out of
    # reach: one deadline each, not one for every statement queued ahead of them.
    proxy, app = proxied
    office = f"stall-{uuid.uuid4().hex[:10]}"
    writer = {"Authorization": f"Bearer {await api_key('write')}"}
    pause = {"events": [{"kind": "paused", "at": "2024-03-05T09:30:00+07:00"}]}
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http:
            ids = []
            for n in range(8):
                body = dossier(office, f"S-{n}")
                created = await http.post("/v1/dossiers", json=body, headers=writer)
                assert created.status_code == 201, created.text
                ids.append(created.json()["id"])

            async def append(dossier_id: int) -> tuple[float, int]:
                started = time.monotonic()
                r = await http.post(f"/v1/dossiers/{dossier_id}/events", json=pause, headers=writer)
                return time.monotonic() - started, r.status_code

            proxy.stall()
            # one append is being written when the others come
            first = asyncio.create_task(append(ids[0]))
            await asyncio.sleep(0.3)
            answers = [*await asyncio.gather(*(append(i) for i in ids[1:])), await first]
            assert [status for _, status in answers] == [503] * len(ids)
            # each within one request's own deadlines: pool wait, connect, one statement
            assert max(elapsed for elapsed, _ in answers) < 0.5 + 0.5 + 1.5
            proxy.resume()
            # Nothing was written: each append is accepted afresh, as the dossier's first.
            for dossier_id in ids:
                for _ in range(50):
                    r = await http.post(
                        f"/v1/dossiers/{dossier_id}/events", json=pause, headers=writer
                    )
                    if r.status_code != 503:
                        break
                    await asyncio.sleep(0.1)
                assert r.status_code == 201, r.text
                assert r.json()["events"][0]["seq"] == 1
    finally:
        await erase_office(engine, office)
