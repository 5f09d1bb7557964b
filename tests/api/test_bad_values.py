"""Values the database itself would refuse get a 4xx problem, never a 500, and leave nothing.
(Found by fuzzing the OpenAPI document: NUL characters, lone surrogates, huge cursors.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from app.runtime import Runtime


# JSON escapes as a client would send them: a NUL character, and a lone (unpaired) surrogate.
@pytest.mark.parametrize("name_vi", [r"a\u0000b", r"\ud8ca lone surrogate"])
async def test_text_the_database_cannot_store_is_a_422(
    client: AsyncClient,
    api_key: Callable[..., Awaitable[str]],
    runtime: Runtime,
    name_vi: str,
) -> None:
    body = (
        '{"date": "2026-10-01", "kind": "day_off", "name_vi": "' + name_vi + '", '
        '"name_en": "x", "source": "Thông báo thử nghiệm", "status": "proposed"}'
    )
    r = await client.post(
        "/v1/calendar/adjustments",
        content=body.encode(),
        headers={"X-API-Key": await api_key("admin"), "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    async with runtime.sessionmaker() as session:
        stored = await session.scalar(
            text("SELECT count(*) FROM calendar_adjustments WHERE date = '2026-10-01'")
        )
    assert stored == 0


async def test_a_cursor_beyond_bigint_is_a_422(client: AsyncClient) -> None:
    r = await client.get("/v1/changes", params={"after": 2**70})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "after"
    r = await client.get("/v1/changes", params={"cursor": 2**70})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "cursor"
