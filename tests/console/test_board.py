"""The console's board and why page, through the app (no browser): the same use cases as the
API, Vietnamese by default, strict CSP. Dates as in tests/api/test_obligations.py."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from httpx import AsyncClient

from app.runtime import Runtime
from tests.api.test_decisions_support import by_rule, create, decision_body

KeyMaker = Callable[..., Awaitable[str]]
ISSUER = "UBND tỉnh Thử nghiệm bảng điều khiển"


async def test_board_lists_an_overdue_obligation_with_its_reason(
    client: AsyncClient, api_key: KeyMaker
) -> None:
    writer = await api_key("write")
    created = await create(client, writer, decision_body(issuer=ISSUER))
    posting = by_rule(created["obligations"])["quang-nam-2024.posting-counter"]
    # Signed Tue 5/3/2024: posting at the counter is due Fri 8/3/2024 (the profile's rule,
    # worked out in tests/api/test_decisions.py), long past: overdue.
    assert posting["due_date"] == "2024-03-08"
    r = await client.get("/", params={"issuer": ISSUER, "status": "overdue"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = r.text
    assert '<html lang="vi">' in html
    assert f'data-id="{posting["id"]}"' in html
    assert "2024-03-08" in html
    assert "trễ" in html  # "late", in Vietnamese by default
    assert f'href="/obligations/{posting["id"]}"' in html
    # English on request, remembered in a cookie
    r = await client.get("/", params={"issuer": ISSUER, "lang": "en"})
    assert '<html lang="en">' in r.text and "late" in r.text
    assert "vnd_lang=en" in r.headers.get("set-cookie", "")
    # an issuer with nothing: the rows of this decision are gone
    r = await client.get("/", params={"issuer": "UBND không có", "lang": "vi"})
    assert f'data-id="{posting["id"]}"' not in r.text

    why = await client.get(f"/obligations/{posting['id']}")
    assert why.status_code == 200
    text = why.text
    cited = posting["citation"]
    assert f"{cited['document']}, {cited['article']}" in text
    assert re.search(r'class="conf conf-[VSq]"', text)
    assert "2024-03-08" in text
    assert '<ol class="steps">' in text
    # Vietnamese by default: each step's kind in words, its date dd/mm/yyyy, the English
    # only as the labelled technical detail
    assert 'class="step-kind">Mốc tính<' in text and 'class="step-kind">Đếm thời hạn<' in text
    assert '<b class="step-when">08/03/2024</b>' in text
    assert "Chi tiết kỹ thuật (tiếng Anh):" in text and '<span lang="en">' in text
    # English keeps the domain's text as it was
    english = (await client.get(f"/obligations/{posting['id']}", params={"lang": "en"})).text
    assert "Chi tiết kỹ thuật" not in english and 'class="step-kind">count<' in english


async def test_why_of_a_missing_obligation_is_404(client: AsyncClient) -> None:
    r = await client.get("/obligations/999999999")
    assert r.status_code == 404


async def test_reads_need_a_key_when_required(client: AsyncClient, runtime: Runtime) -> None:
    runtime.settings.require_api_key_for_reads = True
    try:
        r = await client.get("/", follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/signin")
    finally:
        runtime.settings.require_api_key_for_reads = False
