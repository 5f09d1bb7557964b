"""The procedure catalog over HTTP: upsert with ETag / If-Match, filters, decision history, and
what an abolishing decision does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx import AsyncClient

from app.runtime import Runtime
from tests.api.test_decisions_support import (
    counts,
    create,
    decision_body,
    events_after,
    last_event,
    problem_fields,
)

KeyMaker = Callable[..., Awaitable[str]]
CODE = "1.004227"
ENTRY: dict[str, Any] = {
    "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    "field": "Lý lịch tư pháp",
    "level": "province",
    "processing_time": {"amount": 10, "unit": "working_days"},
}


@pytest.fixture
async def auth(api_key: KeyMaker) -> dict[str, str]:
    return {"Authorization": f"Bearer {await api_key('write')}"}


async def test_upsert_with_etags(
    client: AsyncClient, auth: dict[str, str], runtime: Runtime
) -> None:
    cursor = await last_event(runtime)
    created = await client.put(f"/v1/procedures/{CODE}", json=ENTRY, headers=auth)
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/v1/procedures/{CODE}"
    assert created.json()["status"] == "active"
    assert created.json()["processing_time"] == {"amount": 10, "unit": "working_days"}
    # replacing an existing entry needs If-Match: 428 with the current tag
    unconditional = await client.put(f"/v1/procedures/{CODE}", json=ENTRY, headers=auth)
    assert unconditional.status_code == 428 and unconditional.headers["etag"] == '"1"'
    assert unconditional.json()["type"].endswith("/problems/precondition-required")
    # a weak tag never matches (If-Match compares strongly)
    weak = await client.put(
        f"/v1/procedures/{CODE}", json=ENTRY, headers=auth | {"If-Match": 'W/"1"'}
    )
    assert weak.status_code == 412
    # the same body again: nothing changes, no new version, no event
    same = await client.put(
        f"/v1/procedures/{CODE}", json=ENTRY, headers=auth | {"If-Match": '"1"'}
    )
    assert (same.status_code, same.headers["etag"]) == (200, '"1"')
    renamed = ENTRY | {"processing_time": {"amount": 7, "unit": "working_days"}}
    updated = await client.put(
        f"/v1/procedures/{CODE}", json=renamed, headers=auth | {"If-Match": '"1"'}
    )
    assert (updated.status_code, updated.headers["etag"]) == (200, '"2"')
    stale = await client.put(
        f"/v1/procedures/{CODE}", json=ENTRY, headers=auth | {"If-Match": '"1"'}
    )
    assert stale.status_code == 412 and stale.headers["etag"] == '"2"'
    only_new = await client.put(
        f"/v1/procedures/{CODE}", json=ENTRY, headers=auth | {"If-None-Match": "*"}
    )
    assert only_new.status_code == 412
    missing = await client.put(
        "/v1/procedures/2.000001", json=ENTRY, headers=auth | {"If-Match": '"1"'}
    )
    assert missing.status_code == 412
    events = await events_after(runtime, cursor)
    assert [(e[0], e[2]["version"]) for e in events] == [
        ("procedure.upserted", 1),
        ("procedure.upserted", 2),
    ]
    one = await client.get(f"/v1/procedures/{CODE}", params={"as_of": "2025-03-05"})
    # version 2, read as of 5/3/2025 (statuses are as of that day)
    assert one.headers["etag"] == '"2.2025-03-05"'
    # the tag a read gave is good for the next write
    renamed_again = await client.put(
        f"/v1/procedures/{CODE}",
        json=ENTRY | {"name": "Tên mới"},
        headers=auth | {"If-Match": one.headers["etag"]},
    )
    assert (renamed_again.status_code, renamed_again.headers["etag"]) == (200, '"3"')
    assert [(v["version"], v["cause"]) for v in one.json()["versions"]] == [(1, "put"), (2, "put")]
    assert one.json()["versions"][0]["document"]["processing_amount"] == 10


@pytest.mark.parametrize("code", ["1.23", "1.0042270", "x.004227", "1-004227", "10.004227"])
async def test_malformed_codes_are_refused(
    client: AsyncClient, auth: dict[str, str], runtime: Runtime, code: str
) -> None:
    before = await counts(runtime)
    r = await client.put(f"/v1/procedures/{code}", json=ENTRY, headers=auth)
    assert r.status_code == 422 and problem_fields(r) == ["code"]
    assert (await client.get(f"/v1/procedures/{code}")).status_code == 422
    assert await counts(runtime) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"level": "village"}, "level"),
        ({"processing_time": {"amount": -1, "unit": "working_days"}}, "processing_time.amount"),
        ({"processing_time": {"amount": 3, "unit": "weeks"}}, "processing_time.unit"),
        ({"status": "active"}, "status"),  # derived, not set
        ({"name": " \t\n "}, "name"),  # blanks only: 422 naming it, not the database's 409
    ],
)
async def test_bad_entries_are_refused(
    client: AsyncClient, auth: dict[str, str], change: dict[str, Any], field: str
) -> None:
    r = await client.put(f"/v1/procedures/{CODE}", json=ENTRY | change, headers=auth)
    assert r.status_code == 422 and field in problem_fields(r)
    assert "ck_" not in r.text and "constraint" not in r.text


async def test_list_with_filters_and_pages(client: AsyncClient, auth: dict[str, str]) -> None:
    codes = ["3.990001", "3.990002", "3.990003", "3.990004", "3.990005"]
    for i, code in enumerate(codes):
        entry = ENTRY | {
            "name": f"Thủ tục thử nghiệm số {i}",
            "field": "Thử nghiệm" if i % 2 == 0 else "Khác",
            "abolished_on": "2024-01-01" if i == 4 else None,
        }
        assert (
            await client.put(f"/v1/procedures/{code}", json=entry, headers=auth)
        ).status_code == 201
    seen: list[str] = []
    after = None
    while True:
        params: dict[str, Any] = {"q": "thử nghiệm số", "limit": 2}
        if after:
            params["cursor"] = after
        page = (await client.get("/v1/procedures", params=params)).json()
        seen += [p["code"] for p in page["items"]]
        after = page["next_cursor"]
        if after is None:
            break
    assert seen == codes
    field = await client.get("/v1/procedures", params={"field": "Thử nghiệm", "q": "thử nghiệm"})
    assert [p["code"] for p in field.json()["items"]] == ["3.990001", "3.990003", "3.990005"]
    active = await client.get("/v1/procedures", params={"status": "active", "q": "số"})
    assert "3.990005" not in [p["code"] for p in active.json()["items"]]
    abolished = await client.get("/v1/procedures", params={"status": "abolished", "q": "số"})
    assert [p["code"] for p in abolished.json()["items"]] == ["3.990005"]
    # as of 2023 it was not abolished yet
    earlier = await client.get(
        "/v1/procedures", params={"status": "abolished", "q": "số", "as_of": "2023-12-31"}
    )
    assert earlier.json()["items"] == []


async def test_decisions_feed_the_catalog_and_an_abolishing_one_abolishes(
    client: AsyncClient, api_key: KeyMaker, auth: dict[str, str], runtime: Runtime
) -> None:
    writer = await api_key("write")
    assert (await client.put(f"/v1/procedures/{CODE}", json=ENTRY, headers=auth)).status_code == 201
    published = decision_body(
        procedures=[
            {"code": CODE, "name": "Cấp Phiếu lý lịch tư pháp"},
            {"code": "2.001799", "name": "Thủ tục mới"},
        ]
    )
    first = await create(client, writer, published)
    fresh = (await client.get("/v1/procedures/2.001799")).json()
    assert (fresh["name"], fresh["version"]) == ("Thủ tục mới", 1)
    assert fresh["versions"][0]["cause"] == f"decision:{first['id']}"
    # the catalog's own name is kept; the decision's name is in the history
    kept = (await client.get(f"/v1/procedures/{CODE}")).json()
    assert kept["name"] == ENTRY["name"] and kept["version"] == 1
    # an abolishing decision signed 20/5/2024, in force from 1/6/2024
    cursor = await last_event(runtime)
    abolishing = decision_body(
        kind="abolished",
        signed_on="2024-05-20",
        effective_on="2024-06-01",
        procedures=[{"code": CODE, "name": "Cấp Phiếu lý lịch tư pháp"}],
    )
    second = await create(client, writer, abolishing)
    assert second["procedures"] == [
        {"code": CODE, "name": "Cấp Phiếu lý lịch tư pháp", "action": "abolished"}
    ]
    gone = (await client.get(f"/v1/procedures/{CODE}")).json()
    assert (gone["status"], gone["abolished_on"], gone["abolished_by_decision_id"]) == (
        "abolished",
        "2024-06-01",
        second["id"],
    )
    assert [d["decision_id"] for d in gone["decisions"]] == [first["id"], second["id"]]
    assert [d["action"] for d in gone["decisions"]] == ["new", "abolished"]
    before = await client.get(f"/v1/procedures/{CODE}", params={"as_of": "2024-05-31"})
    assert before.json()["status"] == "active"  # abolished only from its effective date
    events = await events_after(runtime, cursor)
    assert ("procedure.upserted", CODE) in [(e[0], e[1]) for e in events]
    # its effective date corrected to 15/6: the abolition follows
    moved = await client.patch(
        f"/v1/decisions/{second['id']}",
        json={"effective_on": "2024-06-15"},
        headers={"Authorization": f"Bearer {writer}"},
    )
    assert moved.status_code == 200, moved.text
    assert (await client.get(f"/v1/procedures/{CODE}")).json()["abolished_on"] == "2024-06-15"
    # deleted (nothing completed): the procedure is no longer abolished
    deleted = await client.delete(
        f"/v1/decisions/{second['id']}", headers={"Authorization": f"Bearer {writer}"}
    )
    assert deleted.status_code == 204
    back = (await client.get(f"/v1/procedures/{CODE}")).json()
    assert (back["status"], back["abolished_on"], back["abolished_by_decision_id"]) == (
        "active",
        None,
        None,
    )
    assert [d["decision_id"] for d in back["decisions"]] == [first["id"]]


async def test_idempotent_put(client: AsyncClient, auth: dict[str, str]) -> None:
    key = auth | {"Idempotency-Key": "put-1.004227-a"}
    first = await client.put(f"/v1/procedures/{CODE}", json=ENTRY, headers=key)
    assert first.status_code == 201
    retry = await client.put(f"/v1/procedures/{CODE}", json=ENTRY, headers=key)
    assert (retry.status_code, retry.headers["idempotent-replayed"]) == (201, "true")
    assert retry.json() == first.json() and retry.headers["etag"] == '"1"'
    other = await client.put(
        f"/v1/procedures/{CODE}", json=ENTRY | {"name": "Tên khác"}, headers=key
    )
    assert other.status_code == 422 and problem_fields(other) == ["Idempotency-Key"]


async def test_an_abolished_code_the_catalog_lacks_is_added_abolished(
    client: AsyncClient, api_key: KeyMaker
) -> None:
    writer = await api_key("write")
    body = decision_body(
        kind="abolished",
        signed_on="2024-05-20",
        effective_on="2024-06-01",
        procedures=[
            {"code": "2.002345", "name": "Thủ tục cũ"},
            {"code": "1.001111", "name": "Thủ tục mới", "action": "new"},
        ],
    )
    r = await client.post("/v1/decisions", json=body, headers={"Authorization": f"Bearer {writer}"})
    # an abolishing decision abolishes every procedure it lists
    assert r.status_code == 422 and problem_fields(r) == ["procedures[1].action"]
    body["procedures"] = body["procedures"][:1]
    made = await create(client, writer, body)
    entry = (await client.get("/v1/procedures/2.002345")).json()
    assert (entry["status"], entry["abolished_on"], entry["abolished_by_decision_id"]) == (
        "abolished",
        "2024-06-01",
        made["id"],
    )
    assert entry["versions"][0]["document"]["abolished_on"] == "2024-06-01"
