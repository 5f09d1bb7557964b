"""/health/ready answers 503 while the database is unreachable and 200 once it is back."""

from __future__ import annotations

import asyncio
import time

from httpx import ASGITransport, AsyncClient
from sqlalchemy import make_url

from app.main import create_app
from tests.conftest import settings_for
from tests.pgproxy import PgProxy


async def test_ready_follows_the_database(server_dsn: str, database_url: str) -> None:
    proxy = PgProxy(server_dsn)
    await proxy.start()
    database = make_url(database_url).database
    assert database is not None
    # The readiness deadline itself is checked by tests/faults; here a fresh connection may take
    # more than the default second on a machine running three suites at once.
    app = create_app(
        settings_for(proxy.url(database), calendar_poll_seconds=0.2, ready_timeout_seconds=5.0)
    )
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http,
    ):
        assert (await http.get("/health/ready")).status_code == 200

        await proxy.stop()
        down = await http.get("/health/ready")
        assert down.status_code == 503
        assert down.headers["content-type"] == "application/problem+json"
        checks = down.json()["checks"]
        assert checks["database"]["ok"] is False
        assert checks["calendar"]["ok"] is True  # the last snapshot keeps serving
        assert (await http.get("/health/live")).status_code == 200

        await proxy.start()  # same port: the server is back
        deadline = time.monotonic() + 30
        while True:
            up = await http.get("/health/ready")
            if up.status_code == 200 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        assert up.status_code == 200, up.text
    await proxy.stop()
