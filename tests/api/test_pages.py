"""One list shape, `{items, next_cursor}`, and one opaque cursor (app/api/kit/cursor.py): a cursor
of one list is refused by another, the decisions' earlier cursors still decode, and the change
feed answers opaque cursors while still taking the integer ids it answered before."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Awaitable, Callable

import pytest
from httpx import AsyncClient

from app.api.kit import cursor as pager
from app.runtime import Runtime
from tests.api.test_decisions_support import create, decision_body, last_event, problem_fields

KeyMaker = Callable[..., Awaitable[str]]
UTC_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


@pytest.fixture
async def writer(api_key: KeyMaker) -> str:
    return await api_key("write")


async def test_the_feed_answers_opaque_cursors_and_takes_integer_ids(
    client: AsyncClient, writer: str, runtime: Runtime
) -> None:
    start = await last_event(runtime)
    await create(client, writer)
    end = await last_event(runtime)
    assert end > start

    page = await client.get("/v1/changes", params={"cursor": start, "limit": 1000})
    assert page.status_code == 200, page.text
    body = page.json()
    ids = [c["id"] for c in body["items"]]
    assert ids == sorted(ids) and ids[-1] == end
    assert all(UTC_STAMP.fullmatch(c["at"]) for c in body["items"])
    assert isinstance(body["next_cursor"], str) and not body["next_cursor"].isdigit()
    assert pager.feed_id(body["next_cursor"]) == end

    # nothing new: no items, and a cursor at the same place to poll again from
    idle = (await client.get("/v1/changes", params={"cursor": body["next_cursor"]})).json()
    assert idle["items"] == []
    assert pager.feed_id(idle["next_cursor"]) == end
    # the first answer of an empty feed position is a cursor too, never null
    fresh = (await client.get("/v1/changes", params={"cursor": end})).json()
    assert fresh["items"] == [] and pager.feed_id(fresh["next_cursor"]) == end

    # the former integer parameter `after` still reads the same page
    old = (await client.get("/v1/changes", params={"after": start, "limit": 1000})).json()
    assert old == body

    for bad in ("not-a-cursor", pager.encode("decisions", "2024-03-05", 1), "-1"):
        refused = await client.get("/v1/changes", params={"cursor": bad})
        assert refused.status_code == 422 and problem_fields(refused) == ["cursor"]


async def test_a_cursor_belongs_to_its_list(client: AsyncClient, writer: str) -> None:
    issuer = "UBND xã Kiểm Thử Trang"
    for day in ("2024-03-05", "2024-03-12", "2024-03-19"):
        await create(client, writer, decision_body(issuer=issuer, signed_on=day, effective_on=day))
    first = (await client.get("/v1/decisions", params={"issuer": issuer, "limit": 2})).json()
    cursor = first["next_cursor"]
    assert isinstance(cursor, str)
    # newest signing first: the third page item is the one signed on 5/3
    rest = (
        await client.get("/v1/decisions", params={"issuer": issuer, "limit": 2, "cursor": cursor})
    ).json()
    assert [d["signed_on"] for d in rest["items"]] == ["2024-03-05"]
    assert rest["next_cursor"] is None

    # the same position in the unversioned form these lists issued before still decodes
    last = first["items"][-1]
    legacy = base64.urlsafe_b64encode(
        json.dumps([last["signed_on"], last["id"]], separators=(",", ":")).encode()
    )
    again = await client.get(
        "/v1/decisions",
        params={"issuer": issuer, "limit": 2, "cursor": legacy.decode().rstrip("=")},
    )
    assert again.status_code == 200 and again.json()["items"] == rest["items"]

    # a decisions cursor is no obligations, procedures or dossiers cursor
    for path in ("/v1/obligations", "/v1/procedures", "/v1/dossiers"):
        refused = await client.get(path, params={"cursor": cursor})
        assert refused.status_code == 422 and problem_fields(refused) == ["cursor"], path


async def test_a_webhook_starts_from_either_form_of_feed_cursor(
    client: AsyncClient, writer: str, runtime: Runtime
) -> None:
    headers = {"Authorization": f"Bearer {writer}"}
    start = await last_event(runtime)
    await create(client, writer)
    feed = (await client.get("/v1/changes", params={"cursor": start})).json()
    hook = {"url": "https://erp.example.vn/hooks", "event_types": ["decision.created"]}
    for given, expected in ((feed["next_cursor"], feed["items"][-1]["id"]), (start, start)):
        made = await client.post(
            "/v1/webhooks", json=hook | {"start_after": given}, headers=headers
        )
        assert made.status_code == 201, made.text
        assert pager.feed_id(made.json()["cursor"]) == expected
    refused = await client.post(
        "/v1/webhooks", json=hook | {"start_after": "not-a-cursor"}, headers=headers
    )
    assert refused.status_code == 422 and problem_fields(refused) == ["start_after"]
