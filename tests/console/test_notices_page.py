"""Importing a calendar notice from the console: a preview that writes nothing, then apply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from httpx import AsyncClient

from tests.console.support import csrf_of, sign_in

KeyMaker = Callable[..., Awaitable[str]]

# A hypothetical notice (not a real document), in the TOML form of examples/notice-2027.toml:
# Fri 10/3/2028 off, worked on Sat 18/3/2028 (two ordinary days).
NOTICE = """
number = "7/TB-BANGDIEUKHIEN"
issuer = "Cơ quan thử nghiệm"
title = "Thông báo thử nghiệm hoán đổi ngày làm việc"
status = "proposed"
decides_years = [2028]

[[swaps]]
day_off = 2028-03-10
working_day = 2028-03-18
name_vi = "Nghỉ hoán đổi (thử nghiệm)"
name_en = "Swapped day off (test)"
"""


async def test_preview_then_apply(client: AsyncClient, api_key: KeyMaker) -> None:
    await sign_in(client, await api_key("admin"))
    token = await csrf_of(client, "/calendar/2028")
    r = await client.post("/calendar/notices", data={"csrf": token, "notice": NOTICE})
    assert r.status_code == 200
    html = r.text
    assert "outcome-preview" in html, html[html.find("<main>") : html.find("<main>") + 800]
    # the two days the swap changes: a working Friday off, a Saturday worked
    assert 'data-date="2028-03-10"' in html and "k-swap_off" in html
    assert 'data-date="2028-03-18"' in html and "k-swap_working" in html
    assert 'id="apply-notice"' in html
    listed = (await client.get("/v1/calendar/notices")).json()["items"]
    assert all(n["number"] != "7/TB-BANGDIEUKHIEN" for n in listed)  # the preview wrote nothing

    r = await client.post("/calendar/notices", data={"csrf": token, "notice": NOTICE, "apply": "1"})
    assert r.status_code == 200 and "outcome-applied" in r.text
    listed = (await client.get("/v1/calendar/notices")).json()["items"]
    assert any(n["number"] == "7/TB-BANGDIEUKHIEN" for n in listed)


async def test_a_bad_notice_is_refused_with_the_field(
    client: AsyncClient, api_key: KeyMaker
) -> None:
    await sign_in(client, await api_key("admin"))
    token = await csrf_of(client, "/calendar/2028")
    r = await client.post("/calendar/notices", data={"csrf": token, "notice": "number = ["})
    assert r.status_code == 200 and "not TOML" in r.text
    r = await client.post(
        "/calendar/notices",
        data={"csrf": token, "notice": NOTICE.replace("2028-03-18", "2028-03-19")},
    )
    assert r.status_code == 200 and 'class="flash error"' in r.text
    assert "swaps" in r.text
