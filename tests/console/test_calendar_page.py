"""The calendar page: kinds of day from the official notices; marking a year decided."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from httpx import AsyncClient

from tests.console.support import csrf_of, sign_in

KeyMaker = Callable[..., Awaitable[str]]


def _day(html: str, date: str) -> str:
    found = re.search(rf'<button type="button" class="day ([^"]+)" data-date="{date}"[^>]*>', html)
    assert found, date
    return found.group(0)


async def test_2026_swaps_are_drawn(client: AsyncClient) -> None:
    r = await client.get("/calendar/2026")
    assert r.status_code == 200
    html = r.text
    # Tết dương lịch 2026: Thu 1/1 the holiday; Fri 2/1 off, made up on Sat 10/1
    # (the Government's 2026 day-swap notice, recorded in app/data/calendar.toml).
    assert "k-holiday" in _day(html, "2026-01-01")
    assert 'data-kind="swap_off"' in _day(html, "2026-01-02")
    assert 'data-kind="swap_working"' in _day(html, "2026-01-10")
    assert 'data-kind="weekend"' in _day(html, "2026-01-03")
    assert html.count('class="month"') == 12
    assert "2026-01-02" in html.split('class="adjustments"')[1]


async def test_an_admin_marks_a_year_decided(client: AsyncClient, api_key: KeyMaker) -> None:
    page = await client.get("/calendar/2027")
    assert "/calendar/2027/decided" not in page.text  # no admin: no form
    await sign_in(client, await api_key("admin"))
    assert "/calendar/2027/decided" in (await client.get("/calendar/2027")).text
    token = await csrf_of(client, "/calendar/2027")
    r = await client.post("/calendar/2027/decided", data={"csrf": token, "note": "x"})
    assert r.status_code == 200 and "note" in r.text  # too short: refused, nothing written
    r = await client.post(
        "/calendar/2027/decided", data={"csrf": token, "note": "Thông báo 2027/TB-BNV"}
    )
    assert r.status_code == 303
    years = (await client.get("/v1/calendar/years")).json()["items"]
    assert {"year": 2027, "provisional": False, "note": "Thông báo 2027/TB-BNV"}.items() <= next(
        y for y in years if y["year"] == 2027
    ).items()
