"""Dossiers received from 1/7/2025 under Nghị định 118/2025/NĐ-CP, over HTTP: a second
supplement request flagged (in the state, the feed and the list), a returned dossier due for
closing 15 days after the notice (the scanner says so once), then closed by the operator; an
online dossier's acceptance deadline (the scanner says once that it passed).

Dates by hand, official 2025 calendar: no holiday between 1/7 and 31/7/2025; weekends off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from httpx import AsyncClient

from app.runtime import Runtime
from tests.api.test_dossiers import (  # noqa: F401  (clock, office, writer: fixtures)
    Clock,
    at,
    clock,
    create,
    cursor_now,
    dossier,
    ev,
    feed_since,
    iso,
    office,
    post_events,
    writer,
)


async def test_a_returned_dossier_under_decree_118(
    client: AsyncClient,
    clock: Clock,  # noqa: F811  (the fixture imported above)
    writer: dict[str, str],  # noqa: F811
    office: str,  # noqa: F811
    runtime: Runtime,
    api_key: Callable[..., Awaitable[str]],
) -> None:
    admin = {"X-API-Key": await api_key("admin")}
    # Received Tue 1/7/2025 09:00, 5 working days: Wed 2 … Tue 8/7 09:00
    body = dossier(
        office, received_at=iso(2025, 7, 1, 9), processing={"amount": 5, "unit": "working_days"}
    )
    clock.now = at(2025, 7, 1, 10)
    created = (await create(client, writer, body)).json()
    assert created["state"]["rules"] == "nd-118-2025"
    url = f"/v1/dossiers/{created['id']}"
    start = await cursor_now(runtime)

    # The return notice Wed 2/7 10:00, the resubmission Thu 3/7 09:00, then a second request
    # Fri 4/7 10:00: "chỉ được yêu cầu sửa đổi, bổ sung một lần" (Art. 11(2)(c)): recorded,
    # flagged as a breach (events[3]).
    clock.now = at(2025, 7, 4, 11)
    r = await post_events(
        client,
        writer,
        created["id"],
        ev("supplement_requested", iso(2025, 7, 2, 10)),
        ev("resubmitted", iso(2025, 7, 3, 9)),
        ev("supplement_requested", iso(2025, 7, 4, 10)),
    )
    assert r.status_code == 201, r.text
    state = (await client.get(url)).json()["state"]
    assert state["flags"]["supplement_breaches"] == [3]
    breach = [s for s in state["trace"] if s["step"] == "supplement_breach"]
    assert [s["citation"] for s in breach] == [
        {
            "document": "Nghị định 118/2025/NĐ-CP",
            "article": "Điều 11 khoản 2 điểm c; Điều 16 khoản 3",
            "confidence": "V",
        }
    ]
    # 15 days after the notice of Fri 4/7, its day not counted: 5/7 (1) … Sat 19/7/2025 (15),
    # a day off, so the period ends with Mon 21/7 (Civil Code Art. 148(5)); the closing is due
    # once it is over: Tue 22/7/2025.
    assert state["supplement_due_on"] == "2025-07-21"
    assert state["closing_due_on"] == "2025-07-22"
    assert state["flags"]["raised"] == ["supplement_breach"]
    # in the feed: the event itself says so, and a dedicated notice names it
    changes = await feed_since(client, start, created["id"])
    requests = [c["payload"] for c in changes if c["type"] == "dossier.event"]
    assert [(p["seq"], p["kind"], p["breach"]) for p in requests] == [
        (1, "supplement_requested", False),
        (2, "resubmitted", False),
        (3, "supplement_requested", True),
    ]
    assert [c["payload"]["seq"] for c in changes if c["type"] == "dossier.supplement_breach"] == [3]
    # in the list, filtered by the flag (and not in the list of another flag)
    listed = await client.get(
        "/v1/dossiers", params={"office": office, "flag": "supplement_breach"}
    )
    assert [(d["id"], d["flags"]) for d in listed.json()["items"]] == [
        (created["id"], ["supplement_breach"])
    ]
    listed = await client.get("/v1/dossiers", params={"office": office, "flag": "closed_early"})
    assert listed.json()["items"] == []
    assert (await client.get("/v1/dossiers", params={"flag": "nonsense"})).status_code == 422

    async def scan_at(when: str) -> None:
        r = await client.post("/v1/admin/scan", params={"as_of": when}, headers=admin)
        assert r.status_code == 200, r.text

    async def closing_events() -> list[tuple[str, str]]:
        changes = await feed_since(client, start, created["id"])
        return [
            (c["type"], c["payload"]["closing_due_on"])
            for c in changes
            if c["type"] == "dossier.closed_due"
        ]

    await scan_at(iso(2025, 7, 21, 12))  # the applicant's last day: nothing
    assert await closing_events() == []
    await scan_at(iso(2025, 7, 22, 0))  # the closing day begins
    await scan_at(iso(2025, 7, 22, 8))  # replayed later the same day: not again
    assert await closing_events() == [("dossier.closed_due", "2025-07-22")]

    # The operator closes it Tue 22/7/2025 08:00: a terminal state
    clock.now = at(2025, 7, 22, 9)
    r = await post_events(client, writer, created["id"], ev("closed", iso(2025, 7, 22, 8)))
    assert r.status_code == 201, r.text
    state = (await client.get(url)).json()["state"]
    assert (state["clock"], state["status"], state["closed_at"]) == (
        "closed",
        "closed",
        iso(2025, 7, 22, 8),
    )
    assert state["flags"]["closed_early"] is False
    r = await post_events(client, writer, created["id"], ev("completed", iso(2025, 7, 22, 10)))
    assert r.status_code == 422, r.text


async def test_an_online_dossiers_acceptance_deadline(
    client: AsyncClient,
    clock: Clock,  # noqa: F811
    writer: dict[str, str],  # noqa: F811
    office: str,  # noqa: F811
    runtime: Runtime,
    api_key: Callable[..., Awaitable[str]],
) -> None:
    admin = {"X-API-Key": await api_key("admin")}
    # Received online Fri 4/7/2025 16:30: 30 min Friday, 4 h Monday morning, 3 h 30 Monday
    # afternoon: accepted or a supplement requested by Mon 7/7/2025 17:00 (Art. 17(2)(c)).
    clock.now = at(2025, 7, 4, 16, 40)
    start = await cursor_now(runtime)
    late = dossier(office, "ONLINE-LATE", received_at=iso(2025, 7, 4, 16, 30), channel="online")
    on_time = {**late, "code": "ONLINE-ON-TIME"}
    paper = dossier(office, "PAPER", received_at=iso(2025, 7, 4, 15, 30))
    created = [(await create(client, writer, body)).json() for body in (late, on_time, paper)]
    for body in created[:2]:
        assert (body["channel"], body["state"]["acceptance"]) == (
            "online",
            {"due_at": iso(2025, 7, 7, 17), "answered_at": None, "status": "pending"},
        )
    # the paper one, received after 15:00, is forwarded the next working day, Mon 7/7
    assert (created[2]["channel"], created[2]["state"]["acceptance"]) == ("counter", None)
    assert created[2]["state"]["forward_on"] == "2025-07-07"

    clock.now = at(2025, 7, 7, 17)
    r = await post_events(client, writer, created[1]["id"], ev("accepted", iso(2025, 7, 7, 16)))
    assert r.status_code == 201, r.text
    r = await post_events(client, writer, created[2]["id"], ev("accepted", iso(2025, 7, 7, 16)))
    assert r.status_code == 422, r.text  # a paper dossier's receipt is its acceptance

    async def scan_at(when: str) -> None:
        r = await client.post("/v1/admin/scan", params={"as_of": when}, headers=admin)
        assert r.status_code == 200, r.text

    await scan_at(iso(2025, 7, 7, 17))  # at the deadline: still pending
    await scan_at(iso(2025, 7, 7, 17, 1))  # past it
    await scan_at(iso(2025, 7, 8, 9))  # replayed: not again
    overdue = [
        c["payload"]
        for d in created
        for c in await feed_since(client, start, d["id"])
        if c["type"] == "dossier.acceptance_overdue"
    ]
    assert [(p["code"], p["acceptance_due_at"]) for p in overdue] == [
        ("ONLINE-LATE", iso(2025, 7, 7, 17))
    ]
    listed = await client.get(
        "/v1/dossiers", params={"office": office, "flag": "acceptance_missed"}
    )
    assert [d["code"] for d in listed.json()["items"]] == ["ONLINE-LATE"]
    state = (await client.get(f"/v1/dossiers/{created[1]['id']}")).json()["state"]
    assert state["acceptance"]["status"] == "met"
