"""The reporting calendar page: report days and data windows of a profile and level."""

from __future__ import annotations

import re

from httpx import AsyncClient


async def test_quang_nam_2024_province_report_days(client: AsyncClient) -> None:
    r = await client.get(
        "/reporting", params={"profile": "quang-nam-2024", "level": "province", "year": 2024}
    )
    assert r.status_code == 200
    html = r.text
    # Province reports "chậm nhất ngày 22" of the period's last month: 22/6/2024 is a Saturday
    # → Monday 24/6 (as tests/api/test_reporting_api.py works out).
    row = re.search(r'<tr data-period="2024-Q2" data-level="province">.*?</tr>', html, re.S)
    assert row, html[:2000]
    assert "2024-06-24" in row.group(0) and "2024-06-22" in row.group(0)
    # ND 09/2019 Art. 12(2): a quarter's data runs from the 15th of the month before it to
    # the 14th of its last month.
    assert "2024-03-15 — 2024-06-14" in row.group(0)
    assert 'data-level="commune"' not in html  # only the level asked for


async def test_an_unknown_profile_says_so(client: AsyncClient) -> None:
    r = await client.get("/reporting", params={"profile": "nowhere", "year": 2024})
    assert r.status_code == 200 and "nowhere" in r.text and 'class="flash error"' in r.text
