"""Decision and dossier pages; completing a duty from the page; sign-in and CSRF."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from httpx import AsyncClient

from tests.api.test_decisions_support import by_rule, create, decision_body
from tests.console.support import csrf_of, sign_in

KeyMaker = Callable[..., Awaitable[str]]


async def test_complete_a_duty_from_the_decision_page(
    client: AsyncClient, api_key: KeyMaker
) -> None:
    writer = await api_key("write")
    created = await create(client, writer, decision_body())
    duty = by_rule(created["obligations"])["quang-nam-2024.posting-counter"]
    page = f"/decisions/{created['id']}"
    anonymous = await client.get(page)
    assert anonymous.status_code == 200
    assert f"/obligations/{duty['id']}/complete" not in anonymous.text  # no write key: no form

    # Without the session, the action sends to the sign-in page
    token = await csrf_of(client, "/signin")
    r = await client.post(
        f"/obligations/{duty['id']}/complete", data={"csrf": token, "completed_on": "2024-03-07"}
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")

    await sign_in(client, writer)
    signed = await client.get(page)
    assert f"/obligations/{duty['id']}/complete" in signed.text
    # A forged form (no token) is refused
    r = await client.post(
        f"/obligations/{duty['id']}/complete", data={"completed_on": "2024-03-07"}
    )
    assert r.status_code == 403
    # A bad date is refused with the reason, nothing written
    token = await csrf_of(client, page)
    r = await client.post(
        f"/obligations/{duty['id']}/complete", data={"csrf": token, "completed_on": "2024-03-01"}
    )
    assert r.status_code == 200 and "before the decision was signed" in r.text
    # Completed Thu 7/3/2024, before its due day Fri 8/3: done in time
    r = await client.post(
        f"/obligations/{duty['id']}/complete", data={"csrf": token, "completed_on": "2024-03-07"}
    )
    assert r.status_code == 303, r.text
    read = (await client.get(f"/v1/obligations/{duty['id']}")).json()
    assert (read["status"], read["completed_on"]) == ("done", "2024-03-07")


async def test_a_cross_origin_form_is_refused(client: AsyncClient, api_key: KeyMaker) -> None:
    token = await csrf_of(client, "/signin")
    r = await client.post(
        "/signin",
        data={"key": await api_key("write"), "csrf": token},
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 403


async def test_a_wrong_key_does_not_sign_in(client: AsyncClient) -> None:
    token = await csrf_of(client, "/signin")
    r = await client.post("/signin", data={"key": "vnd_deadbeef_nope", "csrf": token})
    assert r.status_code == 401
    assert "vnd_console" not in r.headers.get("set-cookie", "")


async def test_dossier_timeline_shows_the_supplement_wait(
    client: AsyncClient, api_key: KeyMaker
) -> None:
    headers = {"Authorization": f"Bearer {await api_key('write')}"}
    # Tue 5/3/2024 09:00, 5 working days; supplement asked Thu 7/3, resubmitted Mon 11/3
    # 14:00: the clock restarts, due Mon 18/3 14:00 (tests/api/test_dossiers.py works it out).
    body = {
        "office": "console-test-office",
        "code": "H12.34-240305-0099",
        "procedure_code": "1.001234",
        "processing": {"amount": 5, "unit": "working_days"},
        "received_at": "2024-03-05T09:00:00+07:00",
    }
    created = (await client.post("/v1/dossiers", json=body, headers=headers)).json()
    events = {
        "events": [
            {"kind": "supplement_requested", "at": "2024-03-07T10:00:00+07:00"},
            {"kind": "resubmitted", "at": "2024-03-11T14:00:00+07:00"},
        ]
    }
    r = await client.post(f"/v1/dossiers/{created['id']}/events", json=events, headers=headers)
    assert r.status_code == 201, r.text
    page = await client.get(f"/dossiers/{created['id']}")
    assert page.status_code == 200
    html = page.text
    assert "<svg" in html and 'class="span span-supplement"' in html
    for kind in ("received", "resubmitted", "due", "now"):
        assert f"mark mark-{kind}" in html
    assert "2024-03-18 14:00" in html
    # the steps in Vietnamese: the kind in words, times as 14:00 18/03/2024
    assert 'class="step-kind">Tiếp nhận<' in html and 'class="step-kind">Nộp lại<' in html
    assert "Chi tiết kỹ thuật (tiếng Anh):" in html
    english = (await client.get(f"/dossiers/{created['id']}", params={"lang": "en"})).text
    assert 'class="step-kind">received<' in english and "Chi tiết kỹ thuật" not in english
    board = await client.get("/", params={"office": "console-test-office", "status": "closed"})
    assert board.status_code == 200
