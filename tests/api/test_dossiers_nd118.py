"""Dossiers received from 1/7/2025 under Nghị định 118/2025/NĐ-CP, over HTTP: a second
supplement request flagged, a returned dossier due for closing 15 days after the notice (the
scanner says so once), then closed by the operator.

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
    assert [(s["citation"], s["confidence"]) for s in breach] == [
        ("Nghị định 118/2025/NĐ-CP, Điều 11 khoản 2 điểm c; Điều 16 khoản 3", "V")
    ]
    # Closing due 15 days after the notice of Fri 4/7: 5/7 (1) … Sat 19/7/2025 (15)
    assert state["closing_due_on"] == "2025-07-19"

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

    await scan_at(iso(2025, 7, 18, 12))  # the day before: nothing
    assert await closing_events() == []
    await scan_at(iso(2025, 7, 19, 0))  # the closing day begins
    await scan_at(iso(2025, 7, 19, 8))  # replayed later the same day: not again
    assert await closing_events() == [("dossier.closed_due", "2025-07-19")]

    # The operator closes it Mon 21/7/2025 08:00: a terminal state
    clock.now = at(2025, 7, 21, 9)
    r = await post_events(client, writer, created["id"], ev("closed", iso(2025, 7, 21, 8)))
    assert r.status_code == 201, r.text
    state = (await client.get(url)).json()["state"]
    assert (state["clock"], state["status"], state["closed_at"]) == (
        "closed",
        "closed",
        iso(2025, 7, 21, 8),
    )
    assert state["flags"]["closed_early"] is False
    r = await post_events(client, writer, created["id"], ev("completed", iso(2025, 7, 21, 10)))
    assert r.status_code == 422, r.text
