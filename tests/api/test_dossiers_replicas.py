"""Dossiers with several replicas on one database: concurrent retries of one idempotent create,
and scanners racing over the same dossiers. These tests commit for real and clean up.

Expected instants are worked by hand (Civil Code 2015 Art. 147; ND 61/2018 Art. 19(9)) for the
Tuesday example: received Tue 5/3/2024 09:00, 3 working days -> due Fri 8/3 09:00 (Wed 6,
Thu 7, Fri 8); office hours 07:30-11:30 and 13:30-17:00.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.api.kit.clock import current_time
from app.main import create_app
from tests.conftest import settings_for
from tests.dossier_data import ICT, dossier, erase_office, iso

NOW = dt.datetime(2024, 3, 5, 10, 0, tzinfo=ICT)


@pytest.fixture
def office() -> str:
    return f"replica-office-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def replicas(
    database_url: str, engine: AsyncEngine, office: str
) -> AsyncIterator[tuple[AsyncClient, AsyncClient]]:
    """Two app instances on the test database, their clocks at Tue 5/3/2024 10:00; removes
    the office's dossiers, their feed events and idempotency records afterwards."""
    apps = [create_app(settings_for(database_url)) for _ in range(2)]

    async def now() -> dt.datetime:
        return NOW

    for application in apps:
        application.dependency_overrides[current_time] = now
    async with (
        apps[0].router.lifespan_context(apps[0]),
        apps[1].router.lifespan_context(apps[1]),
        AsyncClient(transport=ASGITransport(app=apps[0]), base_url="http://a") as a,
        AsyncClient(transport=ASGITransport(app=apps[1]), base_url="http://b") as b,
    ):
        try:
            yield a, b
        finally:
            await erase_office(engine, office)


async def _feed(engine: AsyncEngine, office: str) -> list[tuple[str, str, str | None]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT e.type, e.entity_id, e.payload->>'to' FROM events e "
                "JOIN dossiers d ON e.entity = 'dossier' AND e.entity_id = d.id::text "
                "WHERE d.office = :o ORDER BY e.id"
            ),
            {"o": office},
        )
        return [(r[0], r[1], r[2]) for r in rows]


async def test_twenty_concurrent_retries_of_one_create_make_one_dossier(
    replicas: tuple[AsyncClient, AsyncClient],
    api_key: Callable[..., Awaitable[str]],
    engine: AsyncEngine,
    office: str,
) -> None:
    a, b = replicas
    key = await api_key("write")
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": f"retry-{office}"}
    body = dossier(office, "H12-0001")
    try:
        responses = await asyncio.gather(
            *(
                (a if i % 2 else b).post("/v1/dossiers", json=body, headers=headers)
                for i in range(20)
            )
        )
        assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses]
        assert len({r.content for r in responses}) == 1
        assert sum(r.headers.get("idempotent-replayed") == "true" for r in responses) == 19
        async with engine.connect() as conn:
            count = await conn.scalar(
                text("SELECT count(*) FROM dossiers WHERE office = :o"), {"o": office}
            )
        assert count == 1
        assert [t for t, _, _ in await _feed(engine, office)] == ["dossier.created"]
    finally:
        async with engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM idempotency_keys WHERE principal = :p"),
                {"p": key.split("_")[1]},
            )


async def test_two_scanners_transition_each_dossier_exactly_once(
    replicas: tuple[AsyncClient, AsyncClient],
    api_key: Callable[..., Awaitable[str]],
    engine: AsyncEngine,
    office: str,
) -> None:
    a, b = replicas
    writer = {"Authorization": f"Bearer {await api_key('write')}"}
    admin = {"Authorization": f"Bearer {await api_key('admin')}"}
    ids = []
    for n in range(30):
        r = await a.post("/v1/dossiers", json=dossier(office, f"H12-{n:04d}"), headers=writer)
        assert r.status_code == 201, r.text
        ids.append(str(r.json()["id"]))

    async def race(as_of: str) -> None:
        scans = await asyncio.gather(
            *(
                http.post("/v1/admin/scan", params={"as_of": as_of}, headers=admin)
                for http in (a, b, a, b)
            )
        )
        assert [r.status_code for r in scans] == [200] * 4, [r.text for r in scans]

    # Thu 7/3 09:30: the apology day (Thu 7/3) has begun, and 7 h left (09:30-11:30,
    # 13:30-17:00, Fri 07:30-09:00) is within one working day: due_soon
    await race(iso(2024, 3, 7, 9, 30))
    # Fri 8/3 10:00 is past the due Fri 09:00: overdue
    await race(iso(2024, 3, 8, 10))
    await race(iso(2024, 3, 8, 10))  # nothing left to do

    feed = await _feed(engine, office)
    for dossier_id in ids:
        mine = [(t, to) for t, i, to in feed if i == dossier_id and t != "dossier.created"]
        assert mine == [
            ("dossier.apology_due", None),
            ("dossier.status_changed", "due_soon"),
            ("dossier.status_changed", "overdue"),
        ], dossier_id
    listed = await b.get("/v1/dossiers", params={"office": office, "status": "overdue"})
    assert len(listed.json()["items"]) == 30


async def test_concurrent_appends_to_one_dossier_queue_on_its_lock(
    replicas: tuple[AsyncClient, AsyncClient],
    api_key: Callable[..., Awaitable[str]],
    engine: AsyncEngine,
    office: str,
) -> None:
    a, b = replicas
    writer = {"Authorization": f"Bearer {await api_key('write')}"}
    created = await a.post("/v1/dossiers", json=dossier(office, "H12-0001"), headers=writer)
    dossier_id = created.json()["id"]
    # a pause and its end at the same instant: valid whatever the order the requests land in
    pair = {
        "events": [
            {"kind": "paused", "at": iso(2024, 3, 5, 9, 30)},
            {"kind": "resumed", "at": iso(2024, 3, 5, 9, 30)},
        ]
    }
    responses = await asyncio.gather(
        *(
            (a if n % 2 else b).post(f"/v1/dossiers/{dossier_id}/events", json=pair, headers=writer)
            for n in range(12)
        )
    )
    assert [r.status_code for r in responses] == [201] * 12, [r.text for r in responses]
    seqs = sorted(seq for r in responses for seq in (e["seq"] for e in r.json()["events"]))
    assert seqs == list(range(1, 25))
    async with engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT event_count FROM dossiers WHERE id = :i"), {"i": dossier_id}
        )
    assert stored == 25
    events = [t for t, i, _ in await _feed(engine, office) if i == str(dossier_id)]
    assert events.count("dossier.event") == 24


async def test_a_stale_replica_memory_never_reorders_loses_or_wrongly_refuses_an_event(
    replicas: tuple[AsyncClient, AsyncClient],
    api_key: Callable[..., Awaitable[str]],
    engine: AsyncEngine,
    office: str,
) -> None:
    """Each replica remembers the histories it wrote; the other replica's writes make that
    memory stale. The events are still judged on the committed history, in order, once each."""
    a, b = replicas
    writer = {"Authorization": f"Bearer {await api_key('write')}"}
    created = await a.post("/v1/dossiers", json=dossier(office, "H12-0002"), headers=writer)
    events = f"/v1/dossiers/{created.json()['id']}/events"

    async def post(http: AsyncClient, kind: str, at: str) -> Any:
        return await http.post(events, json={"events": [{"kind": kind, "at": at}]}, headers=writer)

    async def seq(http: AsyncClient, kind: str, minute: int) -> int:
        r = await post(http, kind, iso(2024, 3, 5, 9, minute))
        assert r.status_code == 201, r.text
        return int(r.json()["events"][0]["seq"])

    assert await seq(a, "paused", 30) == 1
    assert await seq(b, "resumed", 50) == 2
    # A remembers the clock paused at 09:30, where `resumed` at 09:40 fits; the committed
    # history ends at 09:50 and events must be in time order: refused, nothing written.
    late = await post(a, "resumed", iso(2024, 3, 5, 9, 40))
    assert late.status_code == 422, late.text
    assert "before the previous event" in late.json()["detail"]
    assert await seq(a, "paused", 52) == 3
    assert await seq(a, "resumed", 54) == 4  # A's own memory is current
    assert await seq(a, "paused", 55) == 5
    # B remembers the clock running (09:50), where `resumed` is refused; committed, it is
    # paused (09:55), where `resumed` is accepted.
    assert await seq(b, "resumed", 56) == 6
    assert await seq(b, "paused", 58) == 7
    # A remembers the clock paused (09:55) and 6 events: `resumed` fits there and on the
    # committed history too, but only after B's two events.
    assert await seq(a, "resumed", 59) == 8

    read = (await b.get(f"/v1/dossiers/{created.json()['id']}")).json()
    assert [(e["seq"], e["kind"]) for e in read["events"]] == [
        (0, "received"),
        *((n, "paused" if n % 2 else "resumed") for n in range(1, 9)),
    ]
    async with engine.connect() as conn:
        seqs = (
            await conn.execute(
                text(
                    "SELECT (payload->>'seq')::int FROM events WHERE type = 'dossier.event' "
                    "AND entity_id = :i ORDER BY id"
                ),
                {"i": str(created.json()["id"])},
            )
        ).scalars()
        assert list(seqs) == list(range(1, 9))
