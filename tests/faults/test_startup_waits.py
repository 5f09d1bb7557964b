"""Start-up with the database down: the process serves (live 200, ready 503), becomes ready
soon after the database comes, and gives up with a non-zero exit past DB_START_WAIT_SECONDS."""

from __future__ import annotations

import asyncio
import time

from httpx import ASGITransport, AsyncClient
from sqlalchemy import make_url

from app.main import create_app
from tests.conftest import settings_for
from tests.pgproxy import PgProxy


async def _down_proxy(server_dsn: str) -> PgProxy:
    """A proxy that has a port but refuses connections, as a server not started yet."""
    proxy = PgProxy(server_dsn)
    await proxy.start()
    await proxy.stop()
    return proxy


async def test_start_up_waits_for_the_database(server_dsn: str, database_url: str) -> None:
    proxy = await _down_proxy(server_dsn)
    database = make_url(database_url).database
    assert database is not None
    app = create_app(settings_for(proxy.url(database), db_start_wait_seconds=60))
    gave_up: list[bool] = []
    app.state.give_up = lambda: gave_up.append(True)
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http,
    ):
        assert (await http.get("/health/live")).status_code == 200
        not_yet = await http.get("/health/ready")
        assert not_yet.status_code == 503
        assert not_yet.json()["checks"]["calendar"]["ok"] is False
        # The snapshot routes say so too, with a problem, not a 500.
        add = await http.get("/v1/calendar/working-days/add?start=2025-01-02&days=1")
        assert add.status_code == 503
        assert add.headers["content-type"] == "application/problem+json"
        assert add.headers["retry-after"].isdigit()

        await proxy.start()  # the database comes up
        came = time.monotonic()
        while (await http.get("/health/ready")).status_code != 200:
            assert time.monotonic() - came < 5, "not ready within 5 s of the database"
            await asyncio.sleep(0.05)
        assert (await http.get("/v1/dossiers")).status_code == 200
    assert gave_up == []
    await proxy.stop()


async def test_start_up_gives_up_past_its_deadline(server_dsn: str, database_url: str) -> None:
    proxy = await _down_proxy(server_dsn)
    database = make_url(database_url).database
    assert database is not None
    app = create_app(settings_for(proxy.url(database), db_start_wait_seconds=0.5))
    gave_up = asyncio.Event()
    app.state.give_up = gave_up.set
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(gave_up.wait(), 5)
