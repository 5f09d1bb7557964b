"""Ops change an office schedule: admin-only, validated (a bad body names its field), versioned
with a readable history, audited, idempotent, followed by every replica, and new appointments
count with the stored hours.

The replica test commits for real (two app instances share one database) and puts the shipped
document back afterwards; the others run in the rolled-back transaction of `client` (which the
app's reference states, reading committed data, never see).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text

from app.data.dossiers import office_schedule, shipped_rule_sets, shipped_schedules
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import settings_for

PROBLEM = "application/problem+json"
SHIPPED = ["by-session", "default", "saturday-morning-reception"]


def shipped(code: str) -> dict[str, Any]:
    return next(s for s in shipped_schedules() if s.code == code).as_json()


def _changed(change: Callable[[dict[str, Any]], None], code: str = "default") -> dict[str, Any]:
    document = shipped(code)
    change(document)
    return document


# A constructed local decision: the office closes at 16:30 instead of 17:00.
CLOSING_AT_1630 = _changed(lambda d: d["windows"][1].update(closes="16:30:00"))


async def test_the_schedules_their_versions_and_an_edit(
    client: AsyncClient, runtime: Runtime, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("admin")}
    listed = (await client.get("/v1/office-schedules", headers=headers)).json()
    assert [i["code"] for i in listed["items"]] == SHIPPED
    one = (await client.get("/v1/office-schedules/default", headers=headers)).json()
    given = {k: v for k, v in one["document"].items() if v is not None}  # as shipped, with nulls
    assert (one["version"], given) == (1, shipped("default"))
    assert one["document"]["confidence"] == "?"  # hours are a local decision
    r = await client.put(
        "/v1/office-schedules/default?based_on=1", json=CLOSING_AT_1630, headers=headers
    )
    assert r.status_code == 200, r.text
    assert r.headers["location"] == "/v1/office-schedules/default"
    assert r.json()["version"] == 2
    assert r.json()["document"]["windows"][1]["closes"] == "16:30:00"
    assert r.json()["updated_by"].startswith("key:")
    # an edit made on version 1 is now stale
    stale = await client.put(
        "/v1/office-schedules/default?based_on=1", json=CLOSING_AT_1630, headers=headers
    )
    assert stale.status_code == 409
    assert [e["field"] for e in stale.json()["errors"]] == ["based_on"]
    history = (await client.get("/v1/office-schedules/default/versions", headers=headers)).json()
    assert [(v["version"], v["document"]["windows"][1]["closes"]) for v in history["items"]] == [
        (1, "17:00:00"),
        (2, "16:30:00"),
    ]
    assert history["items"][0]["changed_by"] == "seed: app/data/dossiers.toml"
    # a new schedule is version 1, created
    added = _changed(lambda d: d.update(code="ubnd-xa-a"))
    r = await client.put("/v1/office-schedules/ubnd-xa-a", json=added, headers=headers)
    assert (r.status_code, r.json()["version"]) == (201, 1)
    async with runtime.sessionmaker() as session:
        audited = await session.execute(
            text(
                "SELECT entity_id, action, detail->>'version' FROM audit_log "
                "WHERE entity = 'office_schedule' ORDER BY id"
            )
        )
        assert audited.all() == [("default", "update", "2"), ("ubnd-xa-a", "create", "1")]


async def test_unknown_schedules_and_rule_sets_are_404(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("compute")}
    for path in (
        "/v1/office-schedules/nowhere",
        "/v1/office-schedules/nowhere/versions",
        "/v1/dossier-rules/nd-1-1900",
        "/v1/dossier-rules/nd-1-1900/versions",
    ):
        r = await client.get(path, headers=headers)
        assert (r.status_code, r.headers["content-type"]) == (404, PROBLEM), path


async def test_a_dossier_rule_set_and_its_history(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("compute")}
    one = (await client.get("/v1/dossier-rules/nd-118-2025", headers=headers)).json()
    assert (one["code"], one["version"]) == ("nd-118-2025", 1)
    history = (await client.get("/v1/dossier-rules/nd-118-2025/versions", headers=headers)).json()
    assert [v["version"] for v in history["items"]] == [1]
    # the version as stored: the shipped document, as the seed wrote it
    assert history["items"][0]["document"] == next(
        s.as_json() for s in shipped_rule_sets() if s.code == "nd-118-2025"
    )


@pytest.mark.parametrize(
    ("document", "field"),
    [
        # a session ending before it starts
        (_changed(lambda d: d["windows"][0].update(closes="07:00:00")), "windows[0].closes"),
        (_changed(lambda d: d["windows"][1].update(opens="25:00")), "windows[1].opens"),
        # sessions that overlap (the clock would count 11:00–11:30 twice)
        (_changed(lambda d: d["windows"][1].update(opens="11:00:00")), "windows"),
        (_changed(lambda d: d.update(windows=[])), "windows"),
        (_changed(lambda d: d.update(weekdays={"fri": []})), "weekdays.fri"),
        (_changed(lambda d: d.update(after_hours="whenever")), "after_hours"),
        (_changed(lambda d: d.update(colour="red")), "colour"),
        # by session needs a morning and an afternoon
        (
            _changed(
                lambda d: d.update(windows=[{"opens": "07:30:00", "closes": "17:00:00"}]),
                "by-session",
            ),
            "return_by_session",
        ),
        (_changed(lambda d: d.update(code="other")), "code"),
    ],
)
async def test_a_bad_body_is_refused_naming_the_field(
    client: AsyncClient,
    runtime: Runtime,
    api_key: Callable[..., Awaitable[str]],
    document: dict[str, Any],
    field: str,
) -> None:
    headers = {"X-API-Key": await api_key("admin")}
    code = "by-session" if document["code"] == "by-session" else "default"
    r = await client.put(f"/v1/office-schedules/{code}", json=document, headers=headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert [e["field"] for e in r.json()["errors"]] == [field]
    async with runtime.sessionmaker() as session:
        versions = await session.scalar(
            text("SELECT count(*) FROM office_schedule_versions WHERE code = :c"), {"c": code}
        )
        assert versions == 1  # nothing half-written


async def test_writes_need_the_admin_scope(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    assert (
        await client.put("/v1/office-schedules/default", json=CLOSING_AT_1630)
    ).status_code == 401
    writer = {"X-API-Key": await api_key("write")}
    r = await client.put("/v1/office-schedules/default", json=CLOSING_AT_1630, headers=writer)
    assert r.status_code == 403


async def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("admin"), "Idempotency-Key": f"k-{uuid.uuid4()}"}
    first = await client.put("/v1/office-schedules/default", json=CLOSING_AT_1630, headers=headers)
    again = await client.put("/v1/office-schedules/default", json=CLOSING_AT_1630, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()  # version 2 once, not 3
    assert again.headers["idempotent-replayed"] == "true"


# Tuesday 5 March 2024 16:45 (an ordinary working week), 2 working hours.
APPOINTMENT = {
    "received_at": "2024-03-05T16:45:00+07:00",
    "processing": {"amount": 2, "unit": "working_hours"},
}
# Shipped hours 07:30–11:30, 13:30–17:00: 16:45 is within hours, so the clock starts then;
# 15 minutes count on Tuesday (to 17:00), the other 1 h 45 from Wednesday's 07:30 → 09:15.
DUE_SHIPPED = "2024-03-06T09:15:00+07:00"
# Closing at 16:30: 16:45 is after hours and counts from the next opening (after_hours
# next_opening), Wednesday 07:30; 2 hours → 09:30.
DUE_EDITED = "2024-03-06T09:30:00+07:00"


async def test_a_change_on_one_replica_reaches_the_other_and_new_appointments(
    database_url: str, runtime: Runtime, api_key: Callable[..., Awaitable[str]]
) -> None:
    apps = [create_app(settings_for(database_url)) for _ in range(2)]
    headers = {"X-API-Key": await api_key("admin")}
    closes = dt.time(16, 30)
    try:
        async with (
            apps[0].router.lifespan_context(apps[0]),
            apps[1].router.lifespan_context(apps[1]),
            AsyncClient(transport=ASGITransport(app=apps[0]), base_url="http://a") as a,
        ):
            b_state = apps[1].state.runtime.dossier_rules
            before = await a.post("/v1/dossiers/appointment", json=APPOINTMENT, headers=headers)
            assert before.json()["due_at"] == DUE_SHIPPED, before.text
            r = await a.put("/v1/office-schedules/default", json=CLOSING_AT_1630, headers=headers)
            assert r.status_code == 200, r.text
            # the replica that wrote counts with it at once (the memo of answers starts afresh)
            assert office_schedule("default").windows[1].closes == closes
            after = await a.post("/v1/dossiers/appointment", json=APPOINTMENT, headers=headers)
            assert after.json()["due_at"] == DUE_EDITED, after.text
            # the other by NOTIFY
            started = time.monotonic()
            while b_state.schedules["default"].windows[1].closes != closes:
                assert time.monotonic() - started < 1.0, "b did not follow within 1 s"
                await asyncio.sleep(0.02)
    finally:
        async with runtime.engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM office_schedule_versions WHERE code = 'default' AND version > 1")
            )
            await conn.execute(
                text(
                    "UPDATE office_schedules SET version = 1, document = v.document FROM "
                    "office_schedule_versions v WHERE v.code = 'default' AND v.version = 1 "
                    "AND office_schedules.code = 'default'"
                )
            )
            await conn.execute(
                text(
                    "DELETE FROM audit_log WHERE entity = 'office_schedule' "
                    "AND entity_id = 'default'"
                )
            )
        assert runtime.dossier_rules is not None
        await runtime.dossier_rules.refresh()
    assert office_schedule("default").windows[1].closes == dt.time(17, 0)
