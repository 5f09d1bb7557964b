"""/v1/webhooks over HTTP: the secret shown once, ownership (a key sees its own, admin all),
refused URLs and event types, paging, updates, rotation, the delivery log, idempotent POSTs,
and the audit trail. Delivery itself is tested in tests/webhooks/."""

from __future__ import annotations

import base64
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx import AsyncClient

from app.api.kit.cursor import feed_id
from app.domain.webhooks.events import EventType
from app.runtime import Runtime
from tests.api.test_decisions_support import PROBLEM, problem_fields, sql

KeyMaker = Callable[..., Awaitable[str]]
HOOK: dict[str, Any] = {
    "url": "https://erp.example.vn/hooks",
    "event_types": ["decision.created", "obligation.overdue"],
}


@pytest.fixture
async def writer(api_key: KeyMaker) -> dict[str, str]:
    return {"Authorization": f"Bearer {await api_key('write')}"}


@pytest.fixture
async def admin(api_key: KeyMaker) -> dict[str, str]:
    return {"Authorization": f"Bearer {await api_key('admin')}"}


async def test_create_shows_the_secret_once(
    client: AsyncClient, writer: dict[str, str], runtime: Runtime
) -> None:
    made = await client.post("/v1/webhooks", json=HOOK, headers=writer)
    assert made.status_code == 201, made.text
    body = made.json()
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", body["secret"])
    assert made.headers["location"] == f"/v1/webhooks/{body['id']}"
    assert body["status"] == "active" and body["enabled"] is True
    assert body["event_types"] == ["decision.created", "obligation.overdue"]
    assert body["filters"] == {"profile": None, "office": None, "decision_id": None}
    assert body["created_at"].endswith("Z")
    [[last]] = await sql(runtime, "SELECT coalesce(max(id), 0) FROM events")
    assert feed_id(body["cursor"]) == last  # starts from now (an opaque feed cursor)
    again = await client.get(f"/v1/webhooks/{body['id']}", headers=writer)
    assert again.status_code == 200 and "secret" not in again.json()
    [[action, detail]] = await sql(
        runtime,
        "SELECT action, detail FROM audit_log WHERE entity = 'webhook' AND entity_id = :id",
        id=str(body["id"]),
    )
    assert action == "create" and "secret" not in detail and detail["url"] == HOOK["url"]


async def test_refused_input_is_a_422_naming_the_field(
    client: AsyncClient, writer: dict[str, str], runtime: Runtime
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"url": "http://erp.example.vn/hooks"}, "url"),  # http to a host not allowed
        ({"url": "ftp://erp.example.vn/"}, "url"),
        ({"url": "https://user:pw@erp.example.vn/"}, "url"),
        ({"event_types": ["decision.exploded"]}, "event_types[0]"),
        ({"event_types": []}, "event_types"),
        ({"start_after": 2**62}, "start_after"),
        ({"filters": {"decision_id": 0}}, "filters.decision_id"),
    ]
    for change, field in cases:
        r = await client.post("/v1/webhooks", json=HOOK | change, headers=writer)
        assert r.status_code == 422, (change, r.text)
        assert r.headers["content-type"] == PROBLEM
        assert field in problem_fields(r), (change, r.json())
    [[count]] = await sql(runtime, "SELECT count(*) FROM webhook_subscriptions")
    assert count == 0


async def test_a_key_sees_its_own_and_admin_sees_all(
    client: AsyncClient, writer: dict[str, str], admin: dict[str, str], api_key: KeyMaker
) -> None:
    other = {"Authorization": f"Bearer {await api_key('write')}"}
    mine = (await client.post("/v1/webhooks", json=HOOK, headers=writer)).json()["id"]
    theirs = (await client.post("/v1/webhooks", json=HOOK, headers=other)).json()["id"]
    assert (await client.get(f"/v1/webhooks/{theirs}", headers=writer)).status_code == 404
    gone = await client.delete(f"/v1/webhooks/{theirs}", headers=writer)
    assert gone.status_code == 404 and gone.headers["content-type"] == PROBLEM
    listed = (await client.get("/v1/webhooks", headers=writer)).json()
    assert [w["id"] for w in listed["items"]] == [mine] and listed["next_cursor"] is None
    everyone = (await client.get("/v1/webhooks", headers=admin)).json()["items"]
    assert {mine, theirs} <= {w["id"] for w in everyone}
    compute = {"Authorization": f"Bearer {await api_key('compute')}"}
    assert (await client.get("/v1/webhooks", headers=compute)).status_code == 403
    assert (await client.get("/v1/webhooks")).status_code == 401


async def test_pages_with_an_opaque_cursor(client: AsyncClient, writer: dict[str, str]) -> None:
    made = [
        (await client.post("/v1/webhooks", json=HOOK, headers=writer)).json()["id"]
        for _ in range(3)
    ]
    first = (await client.get("/v1/webhooks?limit=2", headers=writer)).json()
    assert [w["id"] for w in first["items"]] == made[:2]
    assert isinstance(first["next_cursor"], str)
    rest = (
        await client.get(f"/v1/webhooks?limit=2&cursor={first['next_cursor']}", headers=writer)
    ).json()
    assert [w["id"] for w in rest["items"]] == made[2:] and rest["next_cursor"] is None
    # the `w<id>` cursors these lists answered before the common codec still decode
    legacy = base64.urlsafe_b64encode(f"w{made[1]}".encode()).decode().rstrip("=")
    old = (await client.get(f"/v1/webhooks?limit=2&cursor={legacy}", headers=writer)).json()
    assert [w["id"] for w in old["items"]] == made[2:]
    bad = await client.get("/v1/webhooks?cursor=bm9wZQ", headers=writer)
    assert bad.status_code == 422 and problem_fields(bad) == ["cursor"]


async def test_update_rotate_delete(
    client: AsyncClient, writer: dict[str, str], runtime: Runtime
) -> None:
    hook = (await client.post("/v1/webhooks", json=HOOK, headers=writer)).json()
    path = f"/v1/webhooks/{hook['id']}"
    changed = await client.patch(
        path,
        json={"enabled": False, "filters": {"profile": "quang-nam"}, "description": "ERP"},
        headers=writer,
    )
    assert changed.status_code == 200, changed.text
    out = changed.json()
    assert (out["status"], out["filters"]["profile"], out["description"]) == (
        "disabled",
        "quang-nam",
        "ERP",
    )
    assert out["url"] == HOOK["url"] and out["event_types"] == HOOK["event_types"]
    rotated = await client.post(
        f"{path}/rotate-secret", json={"overlap_seconds": 3600}, headers=writer
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"] != hook["secret"]
    assert rotated.json()["previous_secret_expires_at"].endswith("Z")
    assert (await client.get(path, headers=writer)).json()["previous_secret_expires_at"]
    assert (await client.delete(path, headers=writer)).status_code == 204
    assert (await client.get(path, headers=writer)).status_code == 404
    actions = await sql(
        runtime,
        "SELECT action FROM audit_log WHERE entity = 'webhook' AND entity_id = :id ORDER BY id",
        id=str(hook["id"]),
    )
    assert [a for (a,) in actions] == ["create", "update", "rotate_secret", "delete"]


async def test_idempotent_create_and_queued_ping(
    client: AsyncClient, writer: dict[str, str]
) -> None:
    key = {"Idempotency-Key": "hook-1"}
    first = await client.post("/v1/webhooks", json=HOOK, headers=writer | key)
    again = await client.post("/v1/webhooks", json=HOOK, headers=writer | key)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    other = await client.post(
        "/v1/webhooks", json=HOOK | {"description": "x"}, headers=writer | key
    )
    assert other.status_code == 422
    path = f"/v1/webhooks/{first.json()['id']}"
    ping = await client.post(f"{path}/ping", headers=writer)
    assert ping.status_code == 202, ping.text
    assert ping.json()["status"] == "pending" and ping.json()["event_type"] == "webhook.ping"
    log = (await client.get(f"{path}/deliveries", headers=writer)).json()
    assert [d["id"] for d in log["items"]] == [ping.json()["id"]]
    redo = await client.post(f"{path}/deliveries/{ping.json()['id']}/redeliver", headers=writer)
    assert redo.status_code == 202 and redo.json()["kind"] == "ping"
    missing = await client.post(f"{path}/deliveries/999999/redeliver", headers=writer)
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


def test_every_emitted_event_type_is_enumerated() -> None:
    """Every `"entity.kind"` literal the services put in the feed is an EventType, and every
    EventType is emitted somewhere (f-string kinds are listed from their call sites)."""
    from pathlib import Path

    source = "\n".join(
        p.read_text() for folder in ("app/services", "app/jobs") for p in Path(folder).rglob("*.py")
    )
    literal = set(
        re.findall(r'"((?:decision|obligation|dossier|procedure|calendar)\.[a-z_]+)"', source)
    )
    built = {
        f"{entity}.{kind}"
        for entity, kind in re.findall(r'(decision|obligation)_event\(\s*"([a-z_]+)"', source)
    }
    emitted = literal | built
    assert emitted == {t.value for t in EventType}


async def test_metrics_name_the_webhook_series(client: AsyncClient) -> None:
    text = (await client.get("/metrics")).text
    for name in (
        "webhook_deliveries_total",
        "webhook_send_duration_seconds",
        "webhook_lag_events",
        "webhook_lag_seconds",
    ):
        assert f"# TYPE {name}" in text, name
