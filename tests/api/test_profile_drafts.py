"""A plan the parser has never seen, pasted, becomes a draft; once its one unreadable anchor
is named, it is published as a profile, and a publication decision recorded under it (on
another replica) gets the duties its rows say. Bad input gets a clear 4xx, never a 500.

The end-to-end test commits for real (two app instances share one database, as replicas do)
under a profile code of its own, and removes what it made; the others run in the rolled-back
transaction of `client`.

Counting (Civil Code 2015 Arts. 147–148): the anchor day is not counted; N working days end on
the Nth working day after it; N calendar days end on the Nth day after it, moved to the next
working day when that is a day off. March 2025 has no public holiday (Giỗ Tổ is 7/4/2025), so
only weekends are days off: Sat 8, Sun 9, Sat 15, Sun 16 March.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text

from app.main import create_app
from app.runtime import Runtime
from tests.conftest import settings_for

PROBLEM = "application/problem+json"
PLAN = (Path(__file__).parent.parent / "fixtures" / "plans" / "lam-giang-2025.txt").read_text(
    encoding="utf-8"
)
KeyMaker = Callable[..., Awaitable[str]]


def header(code: str) -> dict[str, Any]:
    return {
        "code": code,
        "issuer": "UBND tỉnh Lâm Giang",
        "level": "province",
        "year": 2025,
        "document": "35/QĐ-UBND",
        "signed": "2025-01-15",
        "jurisdiction": "Tỉnh Lâm Giang",
    }


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def admin(api_key: KeyMaker) -> str:
    return await api_key("admin")


@pytest.fixture
async def replicas(
    database_url: str, runtime: Runtime
) -> AsyncIterator[tuple[AsyncClient, AsyncClient, str, str]]:
    code = f"lam-giang-2025-{uuid.uuid4().hex[:8]}"
    procedure = f"9.{uuid.uuid4().int % 1_000_000:06d}"
    apps = [create_app(settings_for(database_url)) for _ in range(2)]
    try:
        async with (
            apps[0].router.lifespan_context(apps[0]),
            apps[1].router.lifespan_context(apps[1]),
            AsyncClient(transport=ASGITransport(app=apps[0]), base_url="http://a") as a,
            AsyncClient(transport=ASGITransport(app=apps[1]), base_url="http://b") as b,
        ):
            yield a, b, code, procedure
    finally:
        async with runtime.engine.begin() as conn:
            await conn.execute(text("DELETE FROM decisions WHERE profile_code = :c"), {"c": code})
            await conn.execute(text("DELETE FROM procedures WHERE code = :p"), {"p": procedure})
            await conn.execute(
                text("DELETE FROM profile_drafts WHERE profile_code = :c"), {"c": code}
            )
            await conn.execute(text("DELETE FROM profiles WHERE code = :c"), {"c": code})
        assert runtime.catalog is not None
        await runtime.catalog.refresh()


async def test_an_unseen_plan_is_drafted_published_and_creates_duties(
    replicas: tuple[AsyncClient, AsyncClient, str, str], api_key: KeyMaker
) -> None:
    a, b, code, procedure = replicas
    admin = auth(await api_key("admin"))
    r = await a.post(
        "/v1/profiles/drafts", json={"text": PLAN, "profile": header(code)}, headers=admin
    )
    assert r.status_code == 201, r.text
    draft = r.json()
    assert r.headers["location"] == f"/v1/profiles/drafts/{draft['id']}"
    # 32 task rows: 27 read with no choice; interpreted: the steps of II.5, the unknown event
    # of II.6, the "hoặc" of IV.5, "Quý I, II, III và năm"; not understood: "Tham dự theo
    # giấy mời". Rules: one per row read (31), two more for the steps of II.5, one more for
    # the alternative of IV.5.
    assert draft["summary"] == {
        "rows": 32,
        "parsed": 27,
        "interpreted": 4,
        "not_understood": 1,
        "rules": 34,
    }
    rows = {row["number"]: row for row in draft["rows"]}
    assert rows["VII.4"]["reading"] == "not_understood" and rows["VII.4"]["rules"] == []
    assert rows["VII.4"]["unread"] == "tham dự theo giấy mời"
    assert rows["II.6"]["needs_anchor"] == ["quyết định phê duyệt quy trình"]
    assert rows["IV.5"]["alternatives"] and len(rows["IV.5"]["rules"]) == 2

    # The unknown event stops publishing, naming the rule and what the plan said.
    r = await a.post(f"/v1/profiles/drafts/{draft['id']}/publish", headers=admin)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, r.text
    document = draft["document"]
    position = next(i for i, rule in enumerate(document["rule"]) if rule["code"] == f"{code}.ii-6")
    assert r.json()["errors"][0]["field"] == f"rule[{position}].anchor"
    assert "quyết định phê duyệt quy trình" in r.json()["detail"].lower()

    # The approval of the process is the internal-process step (II.5, step 2): chain to it.
    document["rule"][position] |= {
        "anchor": "duty_completed",
        "chain_from": f"{code}.ii-5-2",
        "duty_on": "publication_decision",
        "title_en": "Configure the process in the provincial system",
    }
    r = await a.put(
        f"/v1/profiles/drafts/{draft['id']}",
        json={"document": document, "revision": 1},
        headers=admin,
    )
    assert r.status_code == 200 and r.json()["revision"] == 2, r.text
    stale = await a.put(
        f"/v1/profiles/drafts/{draft['id']}",
        json={"document": document, "revision": 1},
        headers=admin,
    )
    assert stale.status_code == 409

    r = await a.post(f"/v1/profiles/drafts/{draft['id']}/publish", headers=admin)
    assert r.status_code == 201, r.text
    assert (r.json()["action"], r.json()["version"]) == ("created", 1)
    again = await a.post(f"/v1/profiles/drafts/{draft['id']}/publish", headers=admin)
    assert again.status_code == 409
    r = await a.get(f"/v1/profiles/drafts/{draft['id']}", headers=admin)
    assert (r.json()["status"], r.json()["published_version"]) == ("published", 1)

    # The other replica records a decision under the new profile. Signed Mon 3/3/2025,
    # effective Mon 10/3/2025; the ministry's list signed Fri 28/2/2025.
    writer = auth(await api_key("write"))
    decision = {
        "number": "101/QĐ-UBND",
        "issuer": "UBND tỉnh Lâm Giang",
        "level": "province",
        "profile": code,
        "kind": "new",
        "signed_on": "2025-03-03",
        "effective_on": "2025-03-10",
        "ministry_list_signed_on": "2025-02-28",
        "procedures": [{"code": procedure, "name": "Thủ tục thử nghiệm"}],
    }
    for _ in range(50):  # the other replica follows the catalog change by NOTIFY
        r = await b.post("/v1/decisions", json=decision, headers=writer)
        if r.status_code != 422 or "profile" not in r.text:
            break
    assert r.status_code == 201, r.text
    due = {o["rule"]: o["due_date"] for o in r.json()["obligations"] if o["rule"].startswith(code)}
    assert due == {
        # II.1 "03 ngày làm việc kể từ ngày ký": Tue 4, Wed 5, Thu 6 → Thu 6/3
        f"{code}.ii-1": "2025-03-06",
        # II.2 "07 ngày thông thường": 3/3 + 7 → Mon 10/3, a working day
        f"{code}.ii-2": "2025-03-10",
        # II.3 "đúng ngày Quyết định công bố có hiệu lực": the effective day, Mon 10/3
        f"{code}.ii-3": "2025-03-10",
        # II.4 "15 ngày thông thường" from the ministry's list (28/2): Sat 15/3 → Mon 17/3
        f"{code}.ii-4": "2025-03-17",
        # II.5 "trước 10 ngày thông thường": 3/3 + 10 → Thu 13/3
        f"{code}.ii-5-1": "2025-03-13",
        # step 1, "trước 07 ngày" from the decision: Mon 10/3
        f"{code}.ii-5-2": "2025-03-10",
        # step 2, "03 ngày" after step 1 (projected from its due date): Thu 13/3
        f"{code}.ii-5-3": "2025-03-13",
        # II.6, chained by hand to step 1: 5 working days after 10/3 → 11, 12, 13, 14, 17
        f"{code}.ii-6": "2025-03-17",
    }


async def test_bad_input_is_refused_clearly(client: AsyncClient, admin: str) -> None:
    code = "lam-giang-2025-bad"
    cases: list[tuple[Any, int, str]] = [
        ({"text": "", "profile": header(code)}, 422, "text"),
        ({"text": "   \n\t ", "profile": header(code)}, 422, "text"),
        ({"text": "PK\x03\x04\x00\x00binary", "profile": header(code)}, 422, "text"),
        ({"text": "Một đoạn văn không có bảng.", "profile": header(code)}, 422, "text"),
        ({"text": PLAN, "profile": header(code) | {"level": "galaxy"}}, 422, "profile.level"),
        ({"text": PLAN, "profile": header("Not A Code")}, 422, "profile.code"),
        ({"text": PLAN, "profile": header(code) | {"extra": 1}}, 422, "profile.extra"),
        ({"text": PLAN}, 422, "profile"),
    ]
    for body, status, field in cases:
        r = await client.post("/v1/profiles/drafts", json=body, headers=auth(admin))
        assert r.status_code == status, (body, r.text)
        assert r.headers["content-type"] == PROBLEM
        assert field in [e["field"] for e in r.json()["errors"]], r.text
    huge = {"text": "x" * 10_000_000, "profile": header(code)}
    r = await client.post("/v1/profiles/drafts", json=huge, headers=auth(admin))
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
    r = await client.post(
        "/v1/profiles/drafts",
        content=b"\x89PNG\r\n\x1a\n\x00\x00",
        headers=auth(admin) | {"content-type": "application/json"},
    )
    # a file's bytes sent as the body are not JSON at all: the service's 400 for a malformed body
    assert r.status_code == 400 and r.headers["content-type"] == PROBLEM


async def test_a_row_with_no_phrase_is_reported_not_understood(
    client: AsyncClient, admin: str
) -> None:
    plan = "STT\tNội dung\tThời gian thực hiện\n1\tKế hoạch\tQuý I/2025\n2\tKiểm tra\t\n"
    r = await client.post(
        "/v1/profiles/drafts",
        json={"text": plan, "profile": header("lam-giang-2025-rows")},
        headers=auth(admin),
    )
    assert r.status_code == 201, r.text
    second = r.json()["rows"][1]
    assert (second["reading"], second["unread"], second["rules"]) == (
        "not_understood",
        "(empty)",
        [],
    )


async def test_drafts_need_the_admin_scope_and_exist(
    client: AsyncClient, api_key: KeyMaker, admin: str
) -> None:
    body = {"text": PLAN, "profile": header("lam-giang-2025-scope")}
    assert (await client.post("/v1/profiles/drafts", json=body)).status_code == 401
    writer = await api_key("write")
    r = await client.post("/v1/profiles/drafts", json=body, headers=auth(writer))
    assert r.status_code == 403
    r = await client.get("/v1/profiles/drafts/999999999", headers=auth(admin))
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    r = await client.put(
        "/v1/profiles/drafts/999999999", json={"document": {}}, headers=auth(admin)
    )
    assert r.status_code == 404
    created = await client.post("/v1/profiles/drafts", json=body, headers=auth(admin))
    assert created.status_code == 201
    listing = await client.get("/v1/profiles/drafts?status=draft", headers=auth(admin))
    assert created.json()["id"] in [d["id"] for d in listing.json()["items"]]
    bad = await client.put(
        f"/v1/profiles/drafts/{created.json()['id']}",
        json={"document": {"profile": {"code": "Bad Code"}}},
        headers=auth(admin),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "profile.code"
