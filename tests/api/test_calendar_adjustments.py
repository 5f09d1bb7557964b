"""Ops keep the calendar current: admin-only writes, audit, and every replica following.

These tests commit for real (two app instances share one database) and undo what they did.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text

from app.main import create_app
from app.runtime import Runtime
from tests.conftest import settings_for

# A hypothetical 2028 swap (2028 is not decided yet): Monday 24/4/2028 off.
DAY = "2028-04-24"
ADJUSTMENT = {
    "date": DAY,
    "kind": "swap_off",
    "name_vi": "Nghỉ hoán đổi (thử nghiệm)",
    "name_en": "Swapped day off (test)",
    "source": "Thông báo thử nghiệm 1/TB-TEST",
    "status": "proposed",
}


@pytest.fixture
async def replicas(database_url: str) -> AsyncIterator[tuple[AsyncClient, AsyncClient]]:
    apps = [create_app(settings_for(database_url)) for _ in range(2)]
    async with (
        apps[0].router.lifespan_context(apps[0]),
        apps[1].router.lifespan_context(apps[1]),
        AsyncClient(transport=ASGITransport(app=apps[0]), base_url="http://a") as a,
        AsyncClient(transport=ASGITransport(app=apps[1]), base_url="http://b") as b,
    ):
        yield a, b
        await a.delete(f"/v1/calendar/adjustments/{DAY}", headers=_admin_headers(a))


def _admin_headers(http: AsyncClient) -> dict[str, str]:
    return getattr(http, "admin_headers", {})


async def test_an_adjustment_made_on_one_replica_is_seen_by_the_other_within_a_second(
    replicas: tuple[AsyncClient, AsyncClient],
    api_key: Callable[..., Awaitable[str]],
    runtime: Runtime,
) -> None:
    a, b = replicas
    headers = {"Authorization": f"Bearer {await api_key('admin')}"}
    a.admin_headers = headers  # type: ignore[attr-defined]  # used by the clean-up
    before = (await b.get(f"/v1/calendar/days/{DAY}")).json()
    assert before["working"] is True
    # Fri 21/4/2028 + 1 working day is Mon 24/4 (answers are remembered per snapshot).
    add: dict[str, str | int] = {"start": "2028-04-21", "days": 1}
    assert (await b.get("/v1/calendar/working-days/add", params=add)).json()["result"] == DAY
    # A dossier received Fri 21/4 09:00 with 1 working day is due on the next working day at
    # the same time (Civil Code 2015 Art. 147: the receipt day is not counted): Mon 24/4 09:00.
    receipt = {
        "received_at": "2028-04-21T09:00:00+07:00",
        "processing": {"amount": 1, "unit": "working_days"},
    }
    due = (await b.post("/v1/dossiers/appointment", json=receipt)).json()["due_at"]
    assert due == f"{DAY}T09:00:00+07:00"

    created = await a.post("/v1/calendar/adjustments", json=ADJUSTMENT, headers=headers)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/v1/calendar/adjustments/{DAY}"
    assert created.json()["kind"] == "swap_off"  # the kind the day then has
    new_revision = created.json()["calendar_revision"]
    # The writing replica answers with the new calendar at once.
    mine = (await a.get(f"/v1/calendar/days/{DAY}")).json()
    assert (mine["working"], mine["kind"], mine["provisional"]) == (False, "swap_off", True)

    started = time.monotonic()
    while time.monotonic() - started < 1.0:
        seen = (await b.get(f"/v1/calendar/days/{DAY}")).json()
        if not seen["working"]:
            break
        await asyncio.sleep(0.02)
    assert seen["kind"] == "swap_off", "replica b did not follow within 1 s"
    # The remembered answer went with the old snapshot: Mon 24/4 is now off, so Tue 25/4.
    after = (await b.get("/v1/calendar/working-days/add", params=add)).json()
    assert after["result"] == "2028-04-25"
    due = (await b.post("/v1/dossiers/appointment", json=receipt)).json()["due_at"]
    assert due == "2028-04-25T09:00:00+07:00"
    assert (await b.get("/v1/calendar/revision")).json()["calendar_revision"] >= new_revision

    deleted = await b.delete(f"/v1/calendar/adjustments/{DAY}", headers=headers)
    assert deleted.status_code == 204
    assert (await b.delete(f"/v1/calendar/adjustments/{DAY}", headers=headers)).status_code == 404
    async with runtime.engine.connect() as conn:
        audited = (
            await conn.execute(
                text(
                    "SELECT action, actor, detail->>'source' FROM audit_log "
                    "WHERE entity = 'calendar_adjustment' AND entity_id = :d ORDER BY id"
                ),
                {"d": DAY},
            )
        ).all()
    assert [row[0] for row in audited[-2:]] == ["create", "delete"]
    assert all(row[1].startswith("key:") and row[2] == ADJUSTMENT["source"] for row in audited)
    started = time.monotonic()
    while (await a.get(f"/v1/calendar/days/{DAY}")).json()["working"] is False:
        assert time.monotonic() - started < 1.0, "replica a did not follow the delete"
        await asyncio.sleep(0.02)


async def test_writes_need_the_admin_scope(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    anonymous = await client.post("/v1/calendar/adjustments", json=ADJUSTMENT)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert anonymous.headers["www-authenticate"] == "Bearer"
    bogus = await client.post(
        "/v1/calendar/adjustments", json=ADJUSTMENT, headers={"X-API-Key": "vnd_00000000_nope"}
    )
    assert bogus.status_code == 401
    writer = await api_key("write")
    forbidden = await client.post(
        "/v1/calendar/adjustments", json=ADJUSTMENT, headers={"X-API-Key": writer}
    )
    assert forbidden.status_code == 403
    assert (await client.delete(f"/v1/calendar/adjustments/{DAY}")).status_code == 401


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"date": "2024-03-10"}, 422, "date"),  # Sunday: already a day off
        ({"date": "2024-03-05", "kind": "swap_working"}, 422, "date"),  # already working
        ({"date": "2024-03-05", "kind": "working_day"}, 422, "date"),  # the former spelling
        ({"date": "2024-04-29"}, 409, "date"),  # the 2024 swap is already recorded
        ({"date": "2031-01-06"}, 422, "date"),  # outside the supported range
        ({"date": "2024-02-30"}, 422, "date"),  # impossible date
        ({"kind": "holiday"}, 422, "kind"),  # unknown kind
        ({"source": ""}, 422, "source"),  # every adjustment cites its document
        ({"status": "rumoured"}, 422, "status"),
    ],
)
async def test_bad_adjustments_are_refused(
    client: AsyncClient,
    api_key: Callable[..., Awaitable[str]],
    runtime: Runtime,
    change: dict[str, str],
    status: int,
    field: str,
) -> None:
    headers = {"X-API-Key": await api_key("admin")}
    revision = runtime.calendar.snapshot.revision  # type: ignore[union-attr]
    r = await client.post("/v1/calendar/adjustments", json=ADJUSTMENT | change, headers=headers)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in r.json()["errors"]]
    assert runtime.calendar.snapshot.revision == revision  # type: ignore[union-attr]


async def test_adjustments_are_listed(client: AsyncClient) -> None:
    listed = (await client.get("/v1/calendar/adjustments", params={"from": "2026-01-01"})).json()
    # The 2026 seed: Thông báo 9441/TB-BNV's two swaps (2/1 ↔ 10/1, 31/8 ↔ 22/8).
    assert [a["date"] for a in listed["items"]] == [
        "2026-01-02",
        "2026-01-10",
        "2026-08-22",
        "2026-08-31",
    ]
    assert all(a["created_by"].startswith("seed") for a in listed["items"])


async def test_a_retried_adjustment_replays_its_first_answer(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("admin"), "Idempotency-Key": "swap-2028-04-24"}
    first = await client.post("/v1/calendar/adjustments", json=ADJUSTMENT, headers=headers)
    assert first.status_code == 201, first.text
    again = await client.post("/v1/calendar/adjustments", json=ADJUSTMENT, headers=headers)
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    other = await client.post(
        "/v1/calendar/adjustments", json=ADJUSTMENT | {"status": "decided"}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["type"].endswith("/problems/idempotency-key-reused")
