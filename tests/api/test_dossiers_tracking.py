"""Tracking never stops silently: a scan moment outside the calendar is refused, and a dossier
whose clock runs past the calendar's last day is marked, announced and counted, then followed
again once the calendar covers it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from app.api.kit.clock import current_time
from app.api.ops.metrics import REGISTRY
from app.jobs import scanner
from app.runtime import Runtime
from tests.api.test_dossiers import (
    Clock,
    at,
    create,
    cursor_now,
    dossier,
    feed_since,
    iso,
    scalar,
)

# The dossier of tests/api/test_dossiers.py: received Tue 5/3/2024 09:00, 3 working days,
# due Fri 8/3/2024 09:00.
DUE = at(2024, 3, 8, 9)


@pytest.fixture
def clock(app: FastAPI) -> Iterator[Clock]:
    """The service's `now`: Tuesday 5/3/2024 10:00, an hour after the dossier's receipt."""
    held = Clock(at(2024, 3, 5, 10))

    async def now() -> dt.datetime:
        return held.now

    app.dependency_overrides[current_time] = now
    yield held
    app.dependency_overrides.pop(current_time, None)


async def test_a_scan_past_the_calendar_is_refused_and_parks_nothing(
    client: AsyncClient,
    clock: Clock,
    runtime: Runtime,
    api_key: Callable[..., Awaitable[str]],
) -> None:
    writer = {"X-API-Key": await api_key("write")}
    admin = {"X-API-Key": await api_key("admin")}
    created = (await create(client, writer, dossier("test-office-parking"))).json()
    url = f"/v1/dossiers/{created['id']}"
    before = (await client.get(url)).json()["persisted"]
    assert before["next_check_at"] is not None

    # The reproduction: 2031 is past the supported calendar.
    r = await client.post(
        "/v1/admin/scan", params={"as_of": "2031-06-01T09:00:00+07:00"}, headers=admin
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in r.json()["errors"]] == ["as_of"]
    assert (await client.get(url)).json()["persisted"] == before  # nothing parked

    # The later scan, a minute past the due instant, marks it overdue.
    r = await client.post("/v1/admin/scan", params={"as_of": iso(2024, 3, 8, 9, 1)}, headers=admin)
    assert r.status_code == 200, r.text
    assert (await client.get(url)).json()["persisted"]["status"] == "overdue"


@pytest.mark.parametrize("value", ["0", "1700000000", "2024-03-08", "2024-03-08T09:00", "soon"])
async def test_a_scan_moment_must_be_a_date_time_with_an_offset(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]], value: str
) -> None:
    admin = {"X-API-Key": await api_key("admin")}
    r = await client.post("/v1/admin/scan", params={"as_of": value}, headers=admin)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["as_of"]


async def test_a_clock_past_the_calendar_is_marked_announced_and_followed_again(
    client: AsyncClient,
    clock: Clock,
    runtime: Runtime,
    api_key: Callable[..., Awaitable[str]],
) -> None:
    writer = {"X-API-Key": await api_key("write")}
    created = (await create(client, writer, dossier("test-office-beyond"))).json()
    start = await cursor_now(runtime)
    counted = REGISTRY.get_sample_value(
        "dossiers_tracking_suspended_total", {"tracking": "beyond_calendar"}
    )

    # The scanner's own clock has run past the calendar (next year's calendar not loaded).
    await scanner.run_once(runtime.sessionmaker, at(2031, 6, 1, 9))
    tracking = "SELECT tracking FROM dossiers WHERE id = :i"
    assert await scalar(runtime, tracking, i=created["id"]) == "beyond_calendar"
    # visible on the dossier and in the list, not only in the database
    url = f"/v1/dossiers/{created['id']}"
    assert (await client.get(url)).json()["persisted"]["tracking"] == "beyond_calendar"
    listed = await client.get("/v1/dossiers", params={"office": "test-office-beyond"})
    assert [d["tracking"] for d in listed.json()["items"]] == ["beyond_calendar"]
    changes = await feed_since(client, start, created["id"])
    assert [c["type"] for c in changes] == ["dossier.tracking_suspended"]
    assert changes[0]["payload"]["tracking"] == "beyond_calendar"
    after = REGISTRY.get_sample_value(
        "dossiers_tracking_suspended_total", {"tracking": "beyond_calendar"}
    )
    # at least this one (committed dossiers of other tests may be past the calendar too)
    assert after is not None and after >= (counted or 0) + 1

    # The calendar changes (next year loaded): the dossier is followed again, from where it was.
    async with runtime.sessionmaker() as session:
        await session.execute(text("UPDATE calendar_revision SET revision = revision + 1"))
        await session.commit()
    await scanner.run_once(runtime.sessionmaker, at(2024, 3, 8, 9, 1))
    assert await scalar(runtime, tracking, i=created["id"]) == "tracked"
    persisted = (await client.get(f"/v1/dossiers/{created['id']}")).json()["persisted"]
    assert persisted["status"] == "overdue"
    assert persisted["tracking"] == "tracked"


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/v1/dossiers/1?as_of=0", "as_of"),
        ("/v1/obligations?as_of=0", "as_of"),
        ("/v1/decisions?as_of=1700000000", "as_of"),
        ("/v1/calendar/days?from=0&to=2025-01-31", "from"),
        ("/v1/rules?on=20250101", "on"),
    ],
)
async def test_numbers_are_not_dates(client: AsyncClient, path: str, field: str) -> None:
    # Read leniently, `0` would be the Unix epoch, 1970-01-01: refused instead.
    r = await client.get(path)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]
