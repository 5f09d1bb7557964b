"""Values the database itself would refuse get a 4xx problem, never a 500, and leave nothing.
(Found by fuzzing the OpenAPI document: NUL characters, lone surrogates, huge cursors.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from app.runtime import Runtime
from tests.dossier_data import dossier


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


@pytest.mark.parametrize(
    ("note", "problem"),
    [(r"a\u0000b", "invalid-value"), (r"\ud8ca lone surrogate", "validation-error")],
)
@pytest.mark.parametrize("retry_key", [None, "note-1"])
async def test_an_event_note_the_database_cannot_store_is_a_422(
    client: AsyncClient,
    api_key: Callable[..., Awaitable[str]],
    runtime: Runtime,
    note: str,
    problem: str,
    retry_key: str | None,
) -> None:
    # The event append is sent to the driver itself (one statement for events, clock and
    # feed): its refusal is the same 422 problem, and nothing of the append is written.
    headers = {"X-API-Key": await api_key("write"), "Content-Type": "application/json"}
    created = await client.post(
        "/v1/dossiers", json=dossier("bad-values-office", "NUL-1"), headers=headers
    )
    assert created.status_code == 201, created.text
    dossier_id = created.json()["id"]
    body = '{"events": [{"kind": "paused", "at": "2024-03-05T09:30:00+07:00", "note": "%s"}]}'
    r = await client.post(
        f"/v1/dossiers/{dossier_id}/events",
        content=(body % note).encode(),
        headers=headers | ({"Idempotency-Key": retry_key} if retry_key else {}),
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith(f"/problems/{problem}")
    async with runtime.sessionmaker() as session:
        stored = await session.scalar(
            text("SELECT count(*) FROM dossier_events WHERE dossier_id = :i"), {"i": dossier_id}
        )
    assert stored == 1  # the receipt only
