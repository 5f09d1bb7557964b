"""Event appends of concurrent requests written together (app/services/dossier_appends.py):
every event lands once, in its dossier's order, with one feed row each; two appends of one
dossier are never in one statement; an append the database refuses fails alone. Committed
for real on two replicas of one database (the fixtures of test_dossiers_replicas).

Dossiers are received Tue 5/3/2024 09:00 with 3 working days (due Fri 8/3 09:00, Civil Code
2015 Art. 147); the replicas' clocks stand at Tue 5/3/2024 10:00.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.repositories import dossier_appends as repo
from tests.api.test_dossiers_replicas import office, replicas
from tests.dossier_data import dossier, iso

__all__ = ["office", "replicas"]  # the fixtures, shared


async def _created(
    http: AsyncClient, headers: dict[str, str], office: str, count: int
) -> list[int]:
    made = []
    for n in range(count):
        r = await http.post("/v1/dossiers", json=dossier(office, f"H12-G{n:03d}"), headers=headers)
        assert r.status_code == 201, r.text
        made.append(int(r.json()["id"]))
    return made


async def _paused_at_once(
    http: AsyncClient, headers: dict[str, str], ids: list[int]
) -> list[Response]:
    """Each dossier paused, the requests all sent at once; each answered 201."""
    answers = await asyncio.gather(
        *(http.post(f"/v1/dossiers/{i}/events", json=PAUSE, headers=headers) for i in ids)
    )
    assert [r.status_code for r in answers] == [201] * len(ids)
    return answers


async def _events(engine: AsyncEngine, ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT dossier_id, seq, kind FROM dossier_events "
                "WHERE dossier_id = ANY(:ids) ORDER BY dossier_id, seq"
            ),
            {"ids": ids},
        )
        found: dict[int, list[tuple[int, str]]] = {i: [] for i in ids}
        for dossier_id, seq, kind in rows:
            found[dossier_id].append((seq, kind))
        return found


async def _fed_seqs(engine: AsyncEngine, ids: list[int]) -> dict[int, list[int]]:
    """The seqs of each dossier's `dossier.event` feed rows, in feed order."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT entity_id, (payload->>'seq')::int FROM events "
                "WHERE type = 'dossier.event' AND entity_id = ANY(:ids) ORDER BY id"
            ),
            {"ids": [str(i) for i in ids]},
        )
        found: dict[int, list[int]] = {i: [] for i in ids}
        for entity_id, seq in rows:
            found[int(entity_id)].append(seq)
        return found


# The clock paused at 09:30, half an hour after the receipt.
PAUSE = {"events": [{"kind": "paused", "at": iso(2024, 3, 5, 9, 30)}]}


@pytest.fixture
async def writer(api_key: Callable[..., Awaitable[str]]) -> dict[str, str]:
    return {"Authorization": f"Bearer {await api_key('write')}"}


class Statements(list[list[int]]):
    """The dossier ids of each append statement, in the order they were sent, and the appends
    themselves (`planned`); the most that were being written at once, and how often one shared a
    dossier with another meanwhile."""

    most_at_once = 0
    overlaps = 0

    def __init__(self) -> None:
        super().__init__()
        self.planned: list[list[repo.PlannedAppend]] = []


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Statements:
    seen = Statements()
    writing: list[set[int]] = []

    def spied(write: Callable[..., Awaitable[Any]], many: bool) -> Callable[..., Awaitable[Any]]:
        async def spy(on: Any, planned: Any) -> Any:  # a session or a driver connection
            appends = list(planned) if many else [planned]
            mine = [p.folded.id for p in appends]
            seen.planned.append(appends)
            seen.overlaps += sum(bool(other.intersection(mine)) for other in writing)
            seen.append(mine)
            writing.append(set(mine))
            seen.most_at_once = max(seen.most_at_once, len(writing))
            try:
                return await write(on, planned)
            finally:
                writing.remove(set(mine))

        return spy

    monkeypatch.setattr(repo, "append_many", spied(repo.append_many, many=True))
    monkeypatch.setattr(repo, "append", spied(repo.append, many=False))
    return seen


async def test_concurrent_appends_are_written_together_each_once_and_in_order(
    replicas: tuple[AsyncClient, AsyncClient],
    writer: dict[str, str],
    engine: AsyncEngine,
    office: str,
    statements: Statements,
) -> None:
    a, _ = replicas
    ids = await _created(a, writer, office, 12)
    story = [("paused", 30), ("resumed", 40), ("paused", 50), ("resumed", 55)]

    async def tell(dossier_id: int) -> list[int]:
        codes = []
        for kind, minute in story:  # one dossier's events in turn, the dossiers side by side
            body = {"events": [{"kind": kind, "at": iso(2024, 3, 5, 9, minute)}]}
            r = await a.post(f"/v1/dossiers/{dossier_id}/events", json=body, headers=writer)
            codes.append(r.status_code)
        return codes

    assert await asyncio.gather(*(tell(i) for i in ids)) == [[201] * 4] * 12
    expected = [(0, "received"), *((n, kind) for n, (kind, _) in enumerate(story, 1))]
    assert await _events(engine, ids) == {i: expected for i in ids}
    assert await _fed_seqs(engine, ids) == {i: [1, 2, 3, 4] for i in ids}
    # written together, never two appends of one dossier in one statement
    assert statements and max(len(b) for b in statements) > 1
    assert all(len(set(b)) == len(b) for b in statements)


async def test_two_appends_of_one_dossier_at_once_are_judged_one_after_the_other(
    replicas: tuple[AsyncClient, AsyncClient],
    writer: dict[str, str],
    engine: AsyncEngine,
    office: str,
    statements: Statements,
) -> None:
    a, _ = replicas
    ids = await _created(a, writer, office, 6)
    target = ids[0]
    # Both folded from the same remembered clock (running); whichever is written first, the
    # other is then judged on the committed history, where the clock is paused: refused.
    answers = await asyncio.gather(
        *(a.post(f"/v1/dossiers/{i}/events", json=PAUSE, headers=writer) for i in ids),
        a.post(f"/v1/dossiers/{target}/events", json=PAUSE, headers=writer),
    )
    codes = [r.status_code for r in answers]
    assert codes[1:-1] == [201] * 5
    assert sorted((codes[0], codes[-1])) == [201, 422]
    assert (await _events(engine, [target]))[target] == [(0, "received"), (1, "paused")]
    assert (await _fed_seqs(engine, [target]))[target] == [1]
    assert all(len(set(b)) == len(b) for b in statements)


async def test_an_append_the_database_refuses_fails_alone(
    replicas: tuple[AsyncClient, AsyncClient],
    writer: dict[str, str],
    engine: AsyncEngine,
    office: str,
    statements: Statements,
) -> None:
    a, _ = replicas
    ids = await _created(a, writer, office, 8)
    bad = ids[3]

    def pause(dossier_id: int) -> dict[str, Any]:
        # PostgreSQL text cannot hold a NUL character: the statement writing this note fails
        note = "a\u0000b" if dossier_id == bad else "ok"
        return {"events": [{"kind": "paused", "at": iso(2024, 3, 5, 9, 30), "note": note}]}

    answers = await asyncio.gather(
        *(a.post(f"/v1/dossiers/{i}/events", json=pause(i), headers=writer) for i in ids)
    )
    assert [r.status_code for r in answers] == [422 if i == bad else 201 for i in ids]
    assert answers[ids.index(bad)].json()["type"].endswith("/problems/invalid-value")
    found = await _events(engine, ids)
    assert found[bad] == [(0, "received")]
    assert all(found[i] == [(0, "received"), (1, "paused")] for i in ids if i != bad)
    assert any(bad in b and len(b) > 1 for b in statements)  # it was in a statement with others


async def test_appends_a_replica_does_not_remember_are_written_together_too(
    replicas: tuple[AsyncClient, AsyncClient],
    writer: dict[str, str],
    engine: AsyncEngine,
    office: str,
    statements: Statements,
) -> None:
    # B did not create these dossiers: it reads each committed history, then its appends go
    # together like any others (with several workers, most appends find another's memory).
    a, b = replicas
    ids = await _created(a, writer, office, 8)
    answers = await _paused_at_once(b, writer, ids)
    assert [r.json()["events"][0]["seq"] for r in answers] == [1] * 8
    assert await _events(engine, ids) == {i: [(0, "received"), (1, "paused")] for i in ids}
    assert await _fed_seqs(engine, ids) == {i: [1] for i in ids}
    assert statements and max(len(batch) for batch in statements) > 1


async def test_two_statements_are_written_at_once_never_one_dossier_in_both(
    replicas: tuple[AsyncClient, AsyncClient],
    writer: dict[str, str],
    engine: AsyncEngine,
    office: str,
    statements: Statements,
) -> None:
    a, _ = replicas
    ids = await _created(a, writer, office, 12)
    await _paused_at_once(a, writer, ids)
    assert statements.most_at_once == 2  # the second statement went out while the first was written
    assert statements.overlaps == 0
    # The last two statements held several appends: a lone one now waits for company (half
    # of them) only a moment, then goes alone. (Without that bound it would wait forever.)
    assert sum(len(b) for b in statements[-2:]) >= 4
    resume = {"events": [{"kind": "resumed", "at": iso(2024, 3, 5, 9, 45)}]}
    lone = await asyncio.wait_for(
        a.post(f"/v1/dossiers/{ids[0]}/events", json=resume, headers=writer), timeout=2
    )
    assert lone.status_code == 201
    assert statements[-1] == [ids[0]]
    assert (await _events(engine, [ids[0]]))[ids[0]] == [
        (0, "received"),
        (1, "paused"),
        (2, "resumed"),
    ]


async def test_grouped_values_are_stored_exactly_as_folded(
    replicas: tuple[AsyncClient, AsyncClient],
    writer: dict[str, str],
    engine: AsyncEngine,
    office: str,
    statements: Statements,
) -> None:
    # The statement carries its values as JSON documents: text with quotes, backslashes,
    # Vietnamese and an emoji, the dossiers' last writes to the microsecond (each append
    # applies at its first statement: none is refused as stale and written again), a status
    # change; all read back as sent (the events) and as answered (the clock and the feed).
    a, b = replicas
    ids = await _created(a, writer, office, 12)
    note = 'Bổ sung "giấy tờ" \\ C:\\hồ sơ\\ 😀'
    at = iso(2024, 3, 5, 9, 30)
    bodies = [
        {"events": [{"kind": "paused", "at": at, "note": note}]},
        {"events": [{"kind": "paused", "at": at}]},
        # due Fri 8/3 09:00: completed on Tue 5/3, a day before the due day, is early
        {"events": [{"kind": "completed", "at": iso(2024, 3, 5, 9, 40)}]},
    ] * 4
    answers = await asyncio.gather(
        *(
            a.post(f"/v1/dossiers/{i}/events", json=body, headers=writer)
            for i, body in zip(ids, bodies, strict=True)
        )
    )
    assert [r.status_code for r in answers] == [201] * 12
    assert max(len(batch) for batch in statements) > 1
    assert sorted(i for batch in statements for i in batch) == sorted(ids)
    for dossier_id in ids[::3]:  # read by the other replica: from the database
        event = (await b.get(f"/v1/dossiers/{dossier_id}", headers=writer)).json()["events"][1]
        assert event["note"] == note
        assert dt.datetime.fromisoformat(event["at"]) == dt.datetime.fromisoformat(at)
    async with engine.connect() as conn:
        stored = {
            row.id: row
            for row in await conn.execute(
                text("SELECT id, status, clock, due_at FROM dossiers WHERE id = ANY(:ids)"),
                {"ids": ids},
            )
        }
        changed = await conn.scalar(
            text(
                "SELECT count(*) FROM events "
                "WHERE type = 'dossier.status_changed' AND entity_id = ANY(:ids)"
            ),
            {"ids": [str(i) for i in ids[2::3]]},
        )
    for dossier_id, r in zip(ids, answers, strict=True):
        answer = r.json()
        row = stored[dossier_id]
        assert (row.status, row.clock) == (answer["status"], answer["clock"])
        due = answer["due_at"] and dt.datetime.fromisoformat(answer["due_at"])
        assert row.due_at == due
    assert {(r.json()["previous_status"], r.json()["status"]) for r in answers[2::3]} == {
        ("on_time", "completed_early")
    }
    assert changed == 4  # each status change went to the feed with its event
    assert await _fed_seqs(engine, ids) == {i: [1] for i in ids}


async def test_the_statement_finds_its_dossiers_by_key_however_many_there_are(
    replicas: tuple[AsyncClient, AsyncClient],
    writer: dict[str, str],
    engine: AsyncEngine,
    office: str,
    statements: Statements,
) -> None:
    # A statement reads its dossiers from a JSON document, whose row count the planner cannot
    # know: on its guess (100) it scanned the whole table for every statement once the table
    # held a few thousand dossiers. Planned against 5 000 more dossiers (inserted in a
    # transaction rolled back), the statement of real appends reaches them by their key.
    a, _ = replicas
    ids = await _created(a, writer, office, 4)
    await _paused_at_once(a, writer, ids)
    sql, args = repo.statement(max(statements.planned, key=len))
    async with engine.connect() as conn:
        columns = list(
            await conn.scalars(
                text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = 'dossiers' "
                    "AND column_name NOT IN ('id', 'code') "
                    "AND is_generated = 'NEVER'"
                )
            )
        )
        listed = ", ".join(columns)
        await conn.execute(
            text(
                f"INSERT INTO dossiers (code, {listed}) "
                f"SELECT d.code || '-' || g, {', '.join(f'd.{c}' for c in columns)} "
                "FROM dossiers d, generate_series(1, 5000) g WHERE d.id = :id"
            ),
            {"id": ids[0]},
        )
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        [plan] = await driver.fetchval("EXPLAIN (FORMAT JSON) " + sql, *args)
        await conn.rollback()

    def scans(node: dict[str, Any]) -> list[str]:
        own = [node["Node Type"]] if node.get("Relation Name") == "dossiers" else []
        return own + [s for child in node.get("Plans", ()) for s in scans(child)]

    found = scans(plan["Plan"])
    assert found and "Seq Scan" not in found, found
