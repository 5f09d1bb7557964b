"""Obligations over HTTP: listing by status as of a day, keyset pagination, the iCalendar feed,
re-dating when the calendar changes. Dates worked by hand as in test_decisions.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx import AsyncClient
from icalendar import Calendar

from app.runtime import Runtime
from tests.api.test_decisions_support import (
    QN,
    by_rule,
    create,
    decision_body,
    events_after,
    last_event,
    problem_fields,
    sql,
)

KeyMaker = Callable[..., Awaitable[str]]
ISSUER = "UBND tỉnh Thử nghiệm nghĩa vụ"


@pytest.fixture
async def writer(api_key: KeyMaker) -> str:
    return await api_key("write")


async def _page_all(client: AsyncClient, **params: Any) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    after = None
    pages = 0
    while True:
        query = dict(params) | ({"cursor": after} if after else {})
        r = await client.get("/v1/obligations", params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        pages += 1
        after = body["next_cursor"]
        if after is None:
            return items, pages


async def test_status_as_of_a_day_and_due_before(client: AsyncClient, writer: str) -> None:
    created = await create(client, writer, decision_body(issuer=ISSUER))
    decision = created["id"]
    base = {"decision_id": decision}
    # As of Mon 11/3/2024: the postings (due Fri 8/3) are overdue; the provincial list is due
    # that very day (still in time); the rest are due 12/3 and 15/3.
    overdue, _ = await _page_all(client, **base, status="overdue", as_of="2024-03-11")
    assert {o["rule"] for o in overdue} == {
        "quang-nam-2024.posting-counter",
        "quang-nam-2024.posting-portals",
    }
    pending, _ = await _page_all(client, **base, status="pending", as_of="2024-03-11")
    assert [o["due_date"] for o in pending] == [
        "2024-03-11",
        "2024-03-12",
        "2024-03-12",
        "2024-03-15",
    ]
    assert all(o["trace"] is None for o in pending)  # left out of lists by default
    with_trace, _ = await _page_all(client, **base, status="pending", trace="true", limit=1)
    assert all(o["trace"]["steps"] for o in with_trace)
    both, _ = await _page_all(client, **base, status=["overdue", "pending"], as_of="2024-03-11")
    assert len(both) == 6
    # due strictly before Tue 12/3: the two postings and the list
    early, _ = await _page_all(client, **base, due_before="2024-03-12")
    assert sorted(o["due_date"] for o in early) == ["2024-03-08", "2024-03-08", "2024-03-11"]
    done = by_rule(created["obligations"])["quang-nam-2024.posting-counter"]
    await client.post(
        f"/v1/obligations/{done['id']}/complete",
        json={"completed_on": "2024-03-07"},
        headers={"Authorization": f"Bearer {writer}"},
    )
    finished, _ = await _page_all(client, **base, status="done")
    assert [o["id"] for o in finished] == [done["id"]]
    still_open, _ = await _page_all(client, **base, status="open")
    assert len(still_open) == 5
    by_profile, _ = await _page_all(client, **base, profile="national")
    assert by_profile == []
    bad = await client.get("/v1/obligations", params={"status": "late"})
    assert bad.status_code == 422 and problem_fields(bad) == ["status[0]"]


async def test_keyset_pagination_has_no_gap_and_no_duplicate(
    client: AsyncClient, writer: str
) -> None:
    days = ["2024-03-05", "2024-03-06", "2024-03-07", "2024-03-12", "2024-03-13"]
    ids: set[int] = set()
    for day in days:
        made = await create(
            client, writer, decision_body(issuer=ISSUER, signed_on=day, effective_on=day)
        )
        ids |= {o["id"] for o in made["obligations"]}
    items, pages = await _page_all(client, limit=4, status="open")
    mine = [o for o in items if o["id"] in ids]
    assert len(mine) == len(ids) == 30
    assert len({o["id"] for o in items}) == len(items)  # no duplicate
    keys = [(o["due_date"], o["id"]) for o in items]
    assert keys == sorted(keys)  # earliest due date first, then id
    assert pages >= 8
    bad = await client.get("/v1/obligations", params={"cursor": "eyJ4IjogMX0"})
    assert bad.status_code == 422 and problem_fields(bad) == ["cursor"]


async def test_get_one_and_unknown(client: AsyncClient, writer: str) -> None:
    created = await create(client, writer)
    first = created["obligations"][0]
    one = await client.get(f"/v1/obligations/{first['id']}")
    assert one.status_code == 200
    assert one.json()["changes"] == [] and one.json()["trace"] == first["trace"]
    assert (await client.get("/v1/obligations/123456789")).status_code == 404


async def test_the_icalendar_feed_of_a_profiles_open_obligations(
    client: AsyncClient, writer: str
) -> None:
    created = await create(client, writer, decision_body(issuer=ISSUER))
    done = by_rule(created["obligations"])["quang-nam-2024.posting-counter"]
    await client.post(
        f"/v1/obligations/{done['id']}/complete",
        json={"completed_on": "2024-03-07"},
        headers={"Authorization": f"Bearer {writer}"},
    )
    r = await client.get("/v1/obligations.ics", params={"profile": QN})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    events = {
        str(e["uid"]): e for e in cal.walk("VEVENT") if str(e["uid"]).startswith("obligation-")
    }
    mine = {f"obligation-{o['id']}@vn-deadlines": o for o in created["obligations"]}
    assert f"obligation-{done['id']}@vn-deadlines" not in events  # completed: not listed
    for uid, obligation in mine.items():
        if obligation["id"] == done["id"]:
            continue
        assert events[uid].decoded("dtstart").isoformat() == obligation["due_date"]
        assert created["number"] in str(events[uid]["summary"])
    unknown = await client.get("/v1/obligations.ics", params={"profile": "nowhere-2099"})
    assert unknown.status_code == 404 and problem_fields(unknown) == ["profile"]


# A hypothetical day off on Thursday 7/3/2024 (not a real notice: the test undoes it), in the
# former spelling of the kind (`swap_off` now), still read.
DAY_OFF = {
    "date": "2024-03-07",
    "kind": "day_off",
    "name_vi": "Nghỉ thử nghiệm",
    "name_en": "Test day off",
    "source": "Thông báo thử nghiệm 2/TB-TEST",
    "status": "proposed",
}


async def test_a_calendar_change_moves_open_obligations_and_says_so(
    client: AsyncClient, writer: str, api_key: KeyMaker, runtime: Runtime
) -> None:
    admin = {"Authorization": f"Bearer {await api_key('admin')}"}
    created = await create(client, writer, decision_body(issuer=ISSUER))
    duties = by_rule(created["obligations"])
    counter = duties["quang-nam-2024.posting-counter"]["id"]
    portals = duties["quang-nam-2024.posting-portals"]["id"]
    database = duties["national.database-entry-province"]["id"]
    await client.post(
        f"/v1/obligations/{counter}/complete",
        json={"completed_on": "2024-03-06"},
        headers={"Authorization": f"Bearer {writer}"},
    )
    cursor = await last_event(runtime)
    added = await client.post("/v1/calendar/adjustments", json=DAY_OFF, headers=admin)
    assert added.status_code == 201, added.text
    # written with the former spelling `day_off`, read back in the days' vocabulary
    assert added.json()["kind"] == "swap_off"
    revision = added.json()["calendar_revision"]
    after = {
        o["rule"]: o
        for o in (await client.get(f"/v1/decisions/{created['id']}")).json()["obligations"]
    }
    assert {rule: o["due_date"] for rule, o in after.items()} == {
        # completed: stays as it was
        "quang-nam-2024.posting-counter": "2024-03-08",
        # 3 working days with Thu 7/3 off: Wed 6 (1), Fri 8 (2), Mon 11 (3)
        "quang-nam-2024.posting-portals": "2024-03-11",
        # calendar days, Sun 10/3 → Mon 11/3 as before
        "quang-nam-2024.provincial-system-list": "2024-03-11",
        "quang-nam-2024.internal-process": "2024-03-12",
        "quang-nam-2024.electronic-process": "2024-03-15",
        # 5 working days: 6 (1), 8 (2), 11 (3), 12 (4), Wed 13/3 (5)
        "national.database-entry-province": "2024-03-13",
    }
    assert after["quang-nam-2024.posting-portals"]["calendar_revision"] == revision
    assert after["quang-nam-2024.posting-counter"]["calendar_revision"] < revision
    moved = [e for e in await events_after(runtime, cursor) if e[0] == "obligation.rescheduled"]
    assert sorted((e[1], e[2]["old_due_date"], e[2]["new_due_date"]) for e in moved) == sorted(
        [
            (str(portals), "2024-03-08", "2024-03-11"),
            (str(database), "2024-03-12", "2024-03-13"),
        ]
    )
    assert {e[2]["reason"] for e in moved} == {"calendar_changed"}
    one = (await client.get(f"/v1/obligations/{database}")).json()
    assert [(c["reason"], c["new_calendar_revision"]) for c in one["changes"]] == [
        ("calendar_changed", revision)
    ]
    day_off_step = [s for s in one["trace"]["steps"] if s["notable_days"]]
    assert day_off_step[0]["notable_days"][0]["date"] == "2024-03-07"

    # withdrawn: the dates come back, each move recorded again
    cursor = await last_event(runtime)
    removed = await client.delete("/v1/calendar/adjustments/2024-03-07", headers=admin)
    assert removed.status_code == 204
    back = [e for e in await events_after(runtime, cursor) if e[0] == "obligation.rescheduled"]
    assert sorted((e[1], e[2]["new_due_date"]) for e in back) == sorted(
        [(str(portals), "2024-03-08"), (str(database), "2024-03-12")]
    )
    rows = await sql(
        runtime,
        "SELECT count(*) FROM obligation_changes WHERE obligation_id IN (:a, :b)",
        a=portals,
        b=database,
    )
    assert rows[0][0] == 4
