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

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text

from app.api.rules import drafts_schemas
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import settings_for

PROBLEM = "application/problem+json"
PLANS = Path(__file__).parent.parent / "fixtures" / "plans"
PLAN = (PLANS / "lam-giang-2025.txt").read_text(encoding="utf-8")
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
    code = f"unseen-plan-{uuid.uuid4().hex[:8]}"
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
    # Past the service-wide body limit (1 MiB) but within this route's own: a Vietnamese text
    # escaped as \uXXXX (6 bytes a character) is read, and refused for its length by name.
    long_text = "ă" * (drafts_schemas.MAX_PLAN_CHARS + 1)
    body = json.dumps({"text": long_text, "profile": header(code)}).encode()
    assert 1024 * 1024 < len(body) <= drafts_schemas.MAX_DRAFT_BODY
    r = await client.post(
        "/v1/profiles/drafts",
        content=body,
        headers=auth(admin) | {"content-type": "application/json"},
    )
    assert r.status_code == 422 and "text" in [e["field"] for e in r.json()["errors"]], r.text
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
    plan = (
        "STT\tNội dung\tThời gian thực hiện\n1\tKế hoạch\tQuý I/2025\n2\tKiểm tra\t\n"
        "3\tRà soát\tHoặc\n4\tTổng hợp\t-\n"
    )
    r = await client.post(
        "/v1/profiles/drafts",
        json={"text": plan, "profile": header("lam-giang-2025-rows")},
        headers=auth(admin),
    )
    assert r.status_code == 201, r.text
    read = [(row["reading"], row["unread"], row["rules"]) for row in r.json()["rows"][1:]]
    assert read == [
        ("not_understood", "(empty)", []),
        ("not_understood", "hoặc", []),  # the word joining alternatives, alone
        ("not_understood", "-", []),
    ]


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


async def test_a_second_unseen_plan_counts_over_the_2026_holidays(
    replicas: tuple[AsyncClient, AsyncClient, str, str], api_key: KeyMaker
) -> None:
    """Another plan written in the plans' style (pipe-separated, a row in NFD, a cell over
    two lines, "Qúy" as often mistyped, an alternative, a backward period, steps of a cell),
    its decision signed just before the long weekend of 2026: Giỗ Tổ on Sunday 26/4 with its
    compensatory Monday 27/4, then Thursday 30/4 and Friday 1/5 (Labor Code 2019 Arts.
    111(3), 112(1)); no other day off from 10/4 to 11/6/2026 but weekends."""
    a, _, code, procedure = replicas
    admin = auth(await api_key("admin"))
    profile = header(code) | {"issuer": "UBND tỉnh Sông Trà", "year": 2026}
    profile |= {"document": "48/KH-UBND", "signed": "2026-01-20", "jurisdiction": "Sông Trà"}
    text = (PLANS / "song-tra-2026.txt").read_text(encoding="utf-8")
    r = await a.post("/v1/profiles/drafts", json={"text": text, "profile": profile}, headers=admin)
    assert r.status_code == 201, r.text
    draft = r.json()
    # 34 task rows and one note read as a deadline (V.5). Interpreted: "liên tục" (I.4), a bare
    # "ngày" (II.5, II.11), the steps of II.6, the "hoặc" of II.7 and V.4, "và năm" (III.2),
    # the unknown event of III.4, "Trong năm" and "30/11" with no year (V.5 note, VI.2). Not
    # understood: V.5's empty time cell, "Khi có hướng dẫn" (V.6), VI.5's empty cell.
    assert draft["summary"] == {
        "rows": 35,
        "parsed": 22,
        "interpreted": 10,
        "not_understood": 3,
        "rules": 36,
    }
    rows = {(row["number"], row["column"]): row for row in draft["rows"]}
    assert rows[("III.4", "time")]["needs_anchor"] == ["hoà giải thành"]  # typed "hòa"
    assert rows[("I.3", "time")]["reading"] == "parsed"  # "Qúy II, III/2026"
    assert rows[("II.10", "time")]["reading"] == "parsed"  # typed in NFD

    # The reviewer makes the mediation row (no event the engine knows) an external one.
    document = draft["document"]
    for rule in document["rule"]:
        if rule["code"] == f"{code}.iii-4":
            rule["shape"] = "external"
    r = await a.put(
        f"/v1/profiles/drafts/{draft['id']}",
        json={"document": document, "revision": 1},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    r = await a.post(f"/v1/profiles/drafts/{draft['id']}/publish", headers=admin)
    assert r.status_code == 201, r.text

    # Signed Wed 22/4/2026, effective Mon 11/5/2026, the ministry's list signed Fri 10/4/2026.
    decision = {
        "number": "215/QĐ-UBND",
        "issuer": "UBND tỉnh Sông Trà",
        "level": "province",
        "profile": code,
        "kind": "new",
        "signed_on": "2026-04-22",
        "effective_on": "2026-05-11",
        "ministry_list_signed_on": "2026-04-10",
        "procedures": [{"code": procedure, "name": "Thủ tục thử nghiệm"}],
    }
    writer = auth(await api_key("write"))
    for _ in range(50):  # the catalog change reaches the replica by NOTIFY
        r = await a.post("/v1/decisions", json=decision, headers=writer)
        if r.status_code != 422 or "profile" not in r.text:
            break
    assert r.status_code == 201, r.text
    due = {o["rule"]: o["due_date"] for o in r.json()["obligations"] if o["rule"].startswith(code)}
    # Working days after Wed 22/4: Thu 23, Fri 24, Tue 28, Wed 29, Mon 4/5, Tue 5, Wed 6, Thu 7,
    # Fri 8, Mon 11, Tue 12, Wed 13 (the 1st … 12th).
    assert due == {
        # II.1 "05 ngày làm việc kể từ ngày ký": the 5th working day, Mon 4/5
        f"{code}.ii-1": "2026-05-04",
        # II.2 "08 ngày thông thường": 22/4 + 8 = Thu 30/4, a holiday; Fri 1/5 too, then the
        # weekend: the next working day, Mon 4/5 (Civil Code 2015 Art. 148(5))
        f"{code}.ii-2": "2026-05-04",
        # II.3 "3 ngày làm việc" from Mon 11/5: Tue 12, Wed 13, Thu 14
        f"{code}.ii-3": "2026-05-14",
        # II.4 "đúng ngày Quyết định công bố có hiệu lực": Mon 11/5
        f"{code}.ii-4": "2026-05-11",
        # II.5 "16 ngày" (calendar) from Fri 10/4: Sun 26/4, Giỗ Tổ; Mon 27/4 its compensatory
        # day: Tue 28/4
        f"{code}.ii-5": "2026-04-28",
        # II.6 "12 ngày làm việc": the 12th working day, Wed 13/5
        f"{code}.ii-6-1": "2026-05-13",
        # step 1, "06 ngày làm việc" from the decision: the 6th, Tue 5/5
        f"{code}.ii-6-2": "2026-05-05",
        # step 2, "04 ngày làm việc" after step 1 (from its due date): Wed 6, Thu 7, Fri 8,
        # Mon 11/5
        f"{code}.ii-6-3": "2026-05-11",
        # II.7 "02 ngày làm việc" from Mon 11/5: Wed 13/5; or "05 ngày làm việc" from the
        # signing: Mon 4/5; both kept
        f"{code}.ii-7-a": "2026-05-13",
        f"{code}.ii-7-b": "2026-05-04",
        # II.8 "02 tuần": Wed 22/4 + 14 days = Wed 6/5 (Art. 148(2)), a working day
        f"{code}.ii-8": "2026-05-06",
        # II.9 "01 tháng" from Mon 11/5: Thu 11/6 (Art. 148(3))
        f"{code}.ii-9": "2026-06-11",
        # II.10 "04 ngày làm việc" (typed in NFD): the 4th working day, Wed 29/4
        f"{code}.ii-10": "2026-04-29",
        # II.11 "trước 05 ngày tính đến ngày … có hiệu lực": 11/5 − 5 = Wed 6/5, no roll
        f"{code}.ii-11": "2026-05-06",
    }
