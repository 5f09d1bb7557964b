"""Decisions and obligations under concurrency, with real commits on one database: idempotent
retries, duplicate numbers, the change feed while writes are in flight, the overdue scanner on
two app instances, a calendar change racing decision writes. Each test removes what it made."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.jobs import obligation_scan
from app.main import create_app
from tests.api.test_decisions_support import decision_body
from tests.conftest import settings_for

KeyMaker = Callable[..., Awaitable[str]]


@pytest.fixture
async def instances(database_url: str) -> AsyncIterator[tuple[AsyncClient, AsyncClient]]:
    """Two app instances (two replicas) on the test database."""
    apps = [create_app(settings_for(database_url)) for _ in range(2)]
    async with (
        apps[0].router.lifespan_context(apps[0]),
        apps[1].router.lifespan_context(apps[1]),
        AsyncClient(transport=ASGITransport(app=apps[0]), base_url="http://a") as a,
        AsyncClient(transport=ASGITransport(app=apps[1]), base_url="http://b") as b,
    ):
        yield a, b


@pytest.fixture
async def issuer(engine: AsyncEngine) -> AsyncIterator[str]:
    """A unique issuer; its decisions (and the catalog entries they added) go afterwards."""
    name = f"UBND thử nghiệm {uuid.uuid4().hex[:8]}"
    yield name
    async with engine.begin() as conn:
        codes: Iterable[str] = (
            await conn.execute(
                text(
                    "SELECT DISTINCT dp.procedure_code FROM decision_procedures dp "
                    "JOIN decisions d ON d.id = dp.decision_id WHERE d.issuer = :i"
                ),
                {"i": name},
            )
        ).scalars()
        codes = list(codes)
        await conn.execute(text("DELETE FROM decisions WHERE issuer = :i"), {"i": name})
        await conn.execute(
            text(
                "DELETE FROM procedures p WHERE p.code = ANY(:c) AND NOT EXISTS "
                "(SELECT 1 FROM decision_procedures dp WHERE dp.procedure_code = p.code)"
            ),
            {"c": codes},
        )


def _codes(n: int, seed: int) -> list[dict[str, str]]:
    return [{"code": f"9.{seed:03d}{i:03d}", "name": f"Thủ tục {seed}-{i}"} for i in range(n)]


async def _scalar(engine: AsyncEngine, query: str, **params: Any) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(text(query), params)).scalar()


async def test_fifty_concurrent_retries_make_one_decision(
    instances: tuple[AsyncClient, AsyncClient],
    api_key: KeyMaker,
    issuer: str,
    engine: AsyncEngine,
) -> None:
    a, b = instances
    headers = {"Authorization": f"Bearer {await api_key('write')}", "Idempotency-Key": "qd-1"}
    body = decision_body(issuer=issuer, number="101/QĐ-UBND", procedures=_codes(3, 1))
    replies = await asyncio.gather(
        *((a if i % 2 else b).post("/v1/decisions", json=body, headers=headers) for i in range(50))
    )
    assert [r.status_code for r in replies] == [201] * 50, {r.text for r in replies}
    assert len({r.content for r in replies}) == 1  # every retry gets the first response
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in replies) == 49
    assert await _scalar(engine, "SELECT count(*) FROM decisions WHERE issuer = :i", i=issuer) == 1
    decision_id = replies[0].json()["id"]
    made = await _scalar(
        engine, "SELECT count(*) FROM obligations WHERE decision_id = :d", d=decision_id
    )
    assert made == 6
    created_events = await _scalar(
        engine,
        "SELECT count(*) FROM events WHERE type = 'decision.created' AND entity_id = :d",
        d=str(decision_id),
    )
    assert created_events == 1
    other = await a.post(
        "/v1/decisions", json=body | {"note": "khác"}, headers=headers
    )  # same key, another body
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_concurrent_duplicates_without_a_key_store_one(
    instances: tuple[AsyncClient, AsyncClient],
    api_key: KeyMaker,
    issuer: str,
    engine: AsyncEngine,
) -> None:
    a, b = instances
    headers = {"Authorization": f"Bearer {await api_key('write')}"}
    replies = await asyncio.gather(
        *(
            (a if i % 2 else b).post(
                "/v1/decisions",
                json=decision_body(issuer=issuer, number="202/QĐ-UBND", procedures=_codes(2, i)),
                headers=headers,
            )
            for i in range(10)
        )
    )
    assert sorted(r.status_code for r in replies) == [201] + [409] * 9
    assert await _scalar(engine, "SELECT count(*) FROM decisions WHERE issuer = :i", i=issuer) == 1
    # the refused ones left no catalog entry behind
    winner = {
        p["code"] for p in next(r for r in replies if r.status_code == 201).json()["procedures"]
    }
    losers = {p["code"] for i in range(10) for p in _codes(2, i)} - winner
    left = await _scalar(
        engine, "SELECT count(*) FROM procedures WHERE code = ANY(:c)", c=list(losers)
    )
    assert left == 0


async def test_the_feed_has_no_gap_and_no_duplicate_while_decisions_are_written(
    instances: tuple[AsyncClient, AsyncClient],
    api_key: KeyMaker,
    issuer: str,
    engine: AsyncEngine,
) -> None:
    a, b = instances
    headers = {"Authorization": f"Bearer {await api_key('write')}"}
    start = int(await _scalar(engine, "SELECT coalesce(max(id), 0) FROM events"))
    done = asyncio.Event()
    seen: list[int] = []

    async def reader() -> None:
        cursor: int | str = start  # a change id first, then the opaque cursors answered
        while True:
            finished = done.is_set()
            page = (await b.get("/v1/changes", params={"cursor": cursor, "limit": 7})).json()
            seen.extend(item["id"] for item in page["items"])
            cursor = page["next_cursor"]
            if finished and not page["items"]:
                return
            await asyncio.sleep(0.002)

    async def writer(i: int) -> None:
        body = decision_body(issuer=issuer, number=f"{300 + i}/QĐ-UBND", procedures=_codes(2, i))
        r = await (a if i % 2 else b).post("/v1/decisions", json=body, headers=headers)
        assert r.status_code == 201, r.text

    reading = asyncio.create_task(reader())
    await asyncio.gather(*(writer(i) for i in range(24)))
    done.set()
    await reading
    async with engine.connect() as conn:
        committed = list(
            (
                await conn.execute(
                    text("SELECT id FROM events WHERE id > :s ORDER BY id"), {"s": start}
                )
            ).scalars()
        )
    assert seen == committed  # every event once, in order: no gap, no duplicate
    # 24 decisions × (1 decision + 2 catalog entries + 6 obligations)
    assert len(committed) >= 24 * 9


async def test_the_overdue_scanner_on_two_instances_transitions_each_obligation_once(
    instances: tuple[AsyncClient, AsyncClient],
    api_key: KeyMaker,
    issuer: str,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = instances
    writer = {"Authorization": f"Bearer {await api_key('write')}"}
    admin = {"Authorization": f"Bearer {await api_key('admin')}"}
    ids: list[int] = []
    for i in range(8):
        body = decision_body(issuer=issuer, number=f"{400 + i}/QĐ-UBND", procedures=_codes(1, i))
        r = await a.post("/v1/decisions", json=body, headers=writer)
        ids += [o["id"] for o in r.json()["obligations"]]
    assert len(ids) == 48
    # Scan as of Monday 11/3/2024: the postings (due Fri 8/3) are overdue, 2 per decision;
    # the provincial list is due that day (in time); the rest later.
    monkeypatch.setattr(obligation_scan, "BATCH", 3)  # small batches: the two interleave
    moment = "2024-03-11T08:00:00+07:00"
    passes = await asyncio.gather(
        *(
            (a if i % 2 else b).post("/v1/admin/scan", params={"as_of": moment}, headers=admin)
            for i in range(6)
        )
    )
    assert all(p.status_code == 200 for p in passes), passes[0].text
    changed = sum(p.json()["changed"]["obligations.overdue"] for p in passes)
    assert changed == 16
    async with engine.connect() as conn:
        per_obligation: dict[str, int] = dict(
            (
                await conn.execute(
                    text(
                        "SELECT entity_id, count(*) FROM events WHERE type = 'obligation.overdue' "
                        "AND entity_id = ANY(:ids) GROUP BY entity_id"
                    ),
                    {"ids": [str(i) for i in ids]},
                )
            ).all()
        )
        statuses: dict[str, int] = dict(
            (
                await conn.execute(
                    text(
                        "SELECT status, count(*) FROM obligations WHERE id = ANY(:ids) "
                        "GROUP BY status"
                    ),
                    {"ids": ids},
                )
            ).all()
        )
    assert len(per_obligation) == 16 and set(per_obligation.values()) == {1}
    assert statuses == {"overdue": 16, "pending": 32}
    # a later pass as of Wednesday 13/3: the list (11/3), internal process and database (12/3)
    # now overdue too; the electronic process (projected 15/3) still pending
    later = await asyncio.gather(
        a.post("/v1/admin/scan", params={"as_of": "2024-03-13T08:00:00+07:00"}, headers=admin),
        b.post("/v1/admin/scan", params={"as_of": "2024-03-13T08:00:00+07:00"}, headers=admin),
    )
    assert sum(p.json()["changed"]["obligations.overdue"] for p in later) == 24
    again = await a.post("/v1/admin/scan", params={"as_of": moment}, headers=admin)
    assert again.json()["changed"]["obligations.overdue"] == 0


DAY_OFF = {
    "date": "2024-03-07",
    "kind": "day_off",
    "name_vi": "Nghỉ thử nghiệm",
    "name_en": "Test day off",
    "source": "Thông báo thử nghiệm 3/TB-TEST",
    "status": "proposed",
}


async def test_a_calendar_change_racing_decision_writes_leaves_no_stale_date(
    instances: tuple[AsyncClient, AsyncClient],
    api_key: KeyMaker,
    issuer: str,
    engine: AsyncEngine,
) -> None:
    """Decisions written on replica b while replica a adds a day off: whichever commits first,
    every obligation ends dated on the new calendar (recomputed by the change, or dated after
    it), never on the one b had loaded."""
    a, b = instances
    writer = {"Authorization": f"Bearer {await api_key('write')}"}
    admin = {"Authorization": f"Bearer {await api_key('admin')}"}

    async def write(i: int) -> int:
        await asyncio.sleep(0.004 * i)
        body = decision_body(issuer=issuer, number=f"{500 + i}/QĐ-UBND", procedures=_codes(1, i))
        r = await b.post("/v1/decisions", json=body, headers=writer)
        assert r.status_code == 201, r.text
        return int(r.json()["id"])

    async def change() -> None:
        await asyncio.sleep(0.02)
        r = await a.post("/v1/calendar/adjustments", json=DAY_OFF, headers=admin)
        assert r.status_code == 201, r.text

    try:
        results = await asyncio.gather(change(), *(write(i) for i in range(12)))
        decision_ids = [r for r in results if isinstance(r, int)]
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT rule_code, due_date::text, count(*) FROM obligations "
                        "WHERE decision_id = ANY(:d) AND rule_code IN "
                        "('quang-nam-2024.posting-portals', 'national.database-entry-province') "
                        "GROUP BY rule_code, due_date"
                    ),
                    {"d": decision_ids},
                )
            ).all()
        # with Thursday 7/3/2024 off: 3 working days → Mon 11/3; 5 → Wed 13/3
        assert sorted(tuple(r) for r in rows) == [
            ("national.database-entry-province", "2024-03-13", 12),
            ("quang-nam-2024.posting-portals", "2024-03-11", 12),
        ]
    finally:
        await a.delete(f"/v1/calendar/adjustments/{DAY_OFF['date']}", headers=admin)
