"""Ops change a dossier rule set: admin-only, validated (a bad body names its field, periods
in force must not overlap), versioned, audited, idempotent, followed by every replica, and the
dossier clock counts with the stored values.

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

from app.data.dossiers import dossier_rule_book, shipped_rule_sets
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import settings_for

PROBLEM = "application/problem+json"
ND_61 = "nd-61-2018"
ND_118 = "nd-118-2025"


def shipped(code: str) -> dict[str, Any]:
    return next(s for s in shipped_rule_sets() if s.code == code).as_json()


async def test_an_edit_is_versioned_audited_and_counted_with(
    client: AsyncClient,
    runtime: Runtime,
    api_key: Callable[..., Awaitable[str]],
) -> None:
    headers = {"X-API-Key": await api_key("admin")}
    listed = (await client.get("/v1/dossier-rules", headers=headers)).json()
    assert [i["code"] for i in listed["items"]] == [ND_61, ND_118, "nd-118-2025-nd-309-2026"]
    # A constructed edit: two supplement requests allowed under ND 118 (the decree says one).
    document = shipped(ND_118)
    document["supplement_limit"]["max"] = 2
    r = await client.put(f"/v1/dossier-rules/{ND_118}?based_on=1", json=document, headers=headers)
    assert r.status_code == 200, r.text
    assert (r.json()["version"], r.json()["document"]["supplement_limit"]["max"]) == (2, 2)
    assert r.json()["updated_by"].startswith("key:")
    # the old version stays; an edit on it is now stale
    stale = await client.put(
        f"/v1/dossier-rules/{ND_118}?based_on=1", json=document, headers=headers
    )
    assert stale.status_code == 409
    assert [e["field"] for e in stale.json()["errors"]] == ["based_on"]
    async with runtime.sessionmaker() as session:
        versions = await session.execute(
            text("SELECT version FROM dossier_rule_set_versions WHERE code = :c ORDER BY 1"),
            {"c": ND_118},
        )
        assert list(versions.scalars()) == [1, 2]
        audited = await session.execute(
            text(
                "SELECT action, detail->>'version' FROM audit_log "
                "WHERE entity = 'dossier_rules' AND entity_id = :c"
            ),
            {"c": ND_118},
        )
        assert audited.all() == [("update", "2")]


def _changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    document = shipped(ND_118)
    change(document)
    return document


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (
            _changed(lambda d: d["supplement_request"].update(amount="3")),
            "supplement_request.amount",
        ),
        (
            _changed(lambda d: d["supplement_request"].update(unit="fortnights")),
            "supplement_request.unit",
        ),
        (_changed(lambda d: d["apology"].pop("lead_days")), "apology.lead_days"),
        (_changed(lambda d: d.update(effective_from="2025-02-30")), "effective_from"),
        (_changed(lambda d: d.update(colour="red")), "colour"),
        (
            _changed(lambda d: d["paper_forwarding"].update(cutoff="25:00")),
            "paper_forwarding.cutoff",
        ),
        # ND 118 reaching back into ND 61's years: two sets would govern one day of receipt
        (_changed(lambda d: d.update(effective_from="2025-01-01")), "effective_from"),
        (_changed(lambda d: d.update(code="nd-118")), "code"),
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
    assert runtime.dossier_rules is not None
    revision = runtime.dossier_rules.revision
    r = await client.put(f"/v1/dossier-rules/{ND_118}", json=document, headers=headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert runtime.dossier_rules.revision == revision


async def test_writes_need_the_admin_scope(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    document = shipped(ND_118)
    assert (await client.put(f"/v1/dossier-rules/{ND_118}", json=document)).status_code == 401
    writer = {"X-API-Key": await api_key("write")}
    r = await client.put(f"/v1/dossier-rules/{ND_118}", json=document, headers=writer)
    assert r.status_code == 403


async def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(
    client: AsyncClient, api_key: Callable[..., Awaitable[str]]
) -> None:
    headers = {"X-API-Key": await api_key("admin"), "Idempotency-Key": f"k-{uuid.uuid4()}"}
    document = _changed(lambda d: d.update(note="edited"))
    first = await client.put(f"/v1/dossier-rules/{ND_118}", json=document, headers=headers)
    again = await client.put(f"/v1/dossier-rules/{ND_118}", json=document, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()  # version 2 once, not 3
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_change_on_one_replica_reaches_the_other(
    database_url: str, runtime: Runtime, api_key: Callable[..., Awaitable[str]]
) -> None:
    apps = [create_app(settings_for(database_url)) for _ in range(2)]
    headers = {"X-API-Key": await api_key("admin")}
    # A constructed edit of ND 61: the supplement request within 5 working days (the decree
    # says 3, Art. 19(4)).
    document = shipped(ND_61)
    document["supplement_request"]["amount"] = 5
    received = dt.date(2024, 3, 5)
    try:
        async with (
            apps[0].router.lifespan_context(apps[0]),
            apps[1].router.lifespan_context(apps[1]),
            AsyncClient(transport=ASGITransport(app=apps[0]), base_url="http://a") as a,
        ):
            a_state = apps[0].state.runtime.dossier_rules
            b_state = apps[1].state.runtime.dossier_rules
            assert b_state.book.in_force_on(received).supplement.request_within.amount == 3
            r = await a.put(f"/v1/dossier-rules/{ND_61}", json=document, headers=headers)
            assert r.status_code == 200, r.text
            # the replica that wrote counts with it at once, the other by NOTIFY
            assert a_state.book.in_force_on(received).supplement.request_within.amount == 5
            assert dossier_rule_book().in_force_on(received).supplement.request_within.amount == 5
            started = time.monotonic()
            while b_state.book.in_force_on(received).supplement.request_within.amount != 5:
                assert time.monotonic() - started < 1.0, "b did not follow within 1 s"
                await asyncio.sleep(0.02)
    finally:
        async with runtime.engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM dossier_rule_set_versions WHERE code = :c AND version > 1"),
                {"c": ND_61},
            )
            await conn.execute(
                text(
                    "UPDATE dossier_rule_sets SET version = 1, document = v.document FROM "
                    "dossier_rule_set_versions v WHERE v.code = :c AND v.version = 1 "
                    "AND dossier_rule_sets.code = :c"
                ),
                {"c": ND_61},
            )
            await conn.execute(
                text("DELETE FROM audit_log WHERE entity = 'dossier_rules' AND entity_id = :c"),
                {"c": ND_61},
            )
        assert runtime.dossier_rules is not None
        await runtime.dossier_rules.refresh()
    assert dossier_rule_book().in_force_on(received).supplement.request_within.amount == 3
