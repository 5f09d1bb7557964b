"""Calendar notices over HTTP: a notice imported as one change, previewed first; refused
entries named; re-import idempotent, a changed notice a new version; withdrawal; replicas.

These tests commit for real and withdraw what they imported.
"""

from __future__ import annotations

import asyncio
import time
import tomllib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient

from app.main import create_app
from app.runtime import Runtime
from tests.api.test_decisions_support import by_rule, create, decision_body, events_after, sql
from tests.api.test_decisions_support import last_event as last_event_id
from tests.conftest import settings_for

KeyMaker = Callable[..., Awaitable[str]]
NOTICES = "/v1/calendar/notices"
EXAMPLE = Path(__file__).parents[2] / "examples" / "notice-2027.toml"


def notice(**changes: Any) -> dict[str, Any]:
    """A hypothetical notice (not a real document): Thu 7/3/2024 off, worked on Sat 9/3/2024."""
    return {
        "number": "1/TB-THUNGHIEM",
        "issuer": "Cơ quan thử nghiệm",
        "title": "Thông báo thử nghiệm hoán đổi ngày làm việc",
        "status": "proposed",
        "decides_years": [2024],
        "swaps": [
            {
                "day_off": "2024-03-07",
                "working_day": "2024-03-09",
                "name_vi": "Nghỉ hoán đổi (thử nghiệm)",
                "name_en": "Swapped day off (test)",
            }
        ],
    } | changes


@pytest.fixture
async def admin(api_key: KeyMaker) -> dict[str, str]:
    return {"Authorization": f"Bearer {await api_key('admin')}"}


async def test_a_swap_pair_is_one_change_previewed_exactly(
    client: AsyncClient, api_key: KeyMaker, admin: dict[str, str], runtime: Runtime
) -> None:
    writer = await api_key("write")
    created = await create(client, writer, decision_body(issuer="UBND tỉnh Thử nghiệm thông báo"))
    portals = by_rule(created["obligations"])["quang-nam-2024.posting-portals"]["id"]
    revision = (await client.get("/v1/calendar/revision")).json()["calendar_revision"]
    cursor = await last_event_id(runtime)

    preview = await client.post(NOTICES, params={"dry_run": "true"}, json=notice(), headers=admin)
    assert preview.status_code == 200, preview.text
    seen = preview.json()
    assert seen["outcome"] == "preview"
    assert seen["calendar_revision"] == revision + 1  # one change, one revision
    assert [(d["date"], d["entry"], d["kind"]) for d in seen["days"]] == [
        ("2024-03-07", "swaps[0].day_off", ["working", "swap_off"]),
        ("2024-03-09", "swaps[0].working_day", ["weekend", "swap_working"]),
    ]
    # The decision was signed Tue 5/3/2024; portals: 3 working days, Wed 6 (1), Thu 7 (2),
    # Fri 8 (3) before; with Thu 7 off and Sat 9 worked: Wed 6 (1), Fri 8 (2), Sat 9 (3).
    mine = [m for m in seen["moves"] if m["id"] == portals]
    assert mine == [
        {
            "kind": "obligation",
            "id": portals,
            "label": "quang-nam-2024.posting-portals",
            "due": ["2024-03-08", "2024-03-09"],
            "reason": "calendar_changed",
        }
    ]
    # nothing written
    assert (await client.get("/v1/calendar/revision")).json()["calendar_revision"] == revision
    assert await events_after(runtime, cursor) == []
    assert (await client.get(f"{NOTICES}/1/TB-THUNGHIEM")).status_code == 404

    try:
        applied = await client.post(NOTICES, json=notice(), headers=admin)
        assert applied.status_code == 201, applied.text
        assert applied.headers["location"] == f"{NOTICES}/1/TB-THUNGHIEM"
        done = applied.json()
        assert done["outcome"] == "applied"
        assert done["moves"] == seen["moves"]  # the preview is the change
        assert done["days"] == seen["days"]
        assert done["calendar_revision"] == revision + 1
        events = await events_after(runtime, cursor)
        assert [e[0] for e in events].count("calendar.changed") == 1
        assert events[0][0] == "calendar.changed"
        assert events[0][2]["notice"]["number"] == "1/TB-THUNGHIEM"
        assert [d["date"] for d in events[0][2]["days"]] == ["2024-03-07", "2024-03-09"]
        moved = [e for e in events if e[0] == "obligation.rescheduled"]
        # each obligation re-dated once
        assert len(moved) == len({e[1] for e in moved}) == len(done["moves"])
        (changes,) = await sql(
            runtime, "SELECT count(*) FROM obligation_changes WHERE obligation_id = :o", o=portals
        )
        assert changes[0] == 1
        due = (await client.get(f"/v1/obligations/{portals}")).json()["due_date"]
        assert due == "2024-03-09"
        adjustment = (await client.get("/v1/calendar/adjustments/2024-03-09")).json()
        assert adjustment["entry"] == "swaps[0].working_day"

        # the same notice again: nothing changes
        again = await client.post(NOTICES, json=notice(), headers=admin)
        assert again.status_code == 200
        assert (again.json()["outcome"], again.json()["version"]) == ("unchanged", 1)
        cursor = await last_event_id(runtime)
    finally:
        withdrawn = await client.delete(f"{NOTICES}/1/TB-THUNGHIEM", headers=admin)
    assert withdrawn.status_code == 200, withdrawn.text
    assert [d["kind"] for d in withdrawn.json()["days"]] == [
        ["swap_off", "working"],
        ["swap_working", "weekend"],
    ]
    back = [e for e in await events_after(runtime, cursor) if e[0] == "obligation.rescheduled"]
    assert [(e[2]["old_due_date"], e[2]["new_due_date"]) for e in back if e[1] == str(portals)] == [
        ("2024-03-09", "2024-03-08")
    ]
    assert (await client.get(f"{NOTICES}/1/TB-THUNGHIEM")).json()["withdrawn_at"] is not None


async def test_an_open_dossier_moves_with_the_notice(
    client: AsyncClient, api_key: KeyMaker, admin: dict[str, str], runtime: Runtime
) -> None:
    writer = {"Authorization": f"Bearer {await api_key('write')}"}
    # Received Wed 6/3/2024 09:00 at the counter, 2 working days (ND 61/2018 then in force):
    # Thu 7 (1), Fri 8 (2), due Fri 8/3 09:00 (Civil Code 2015 Art. 147: the receipt day is not
    # counted). With Thu 7 off and Sat 9 worked: Fri 8 (1), Sat 9 (2), due Sat 9/3 09:00.
    body: dict[str, Any] = {
        "office": "ubnd-thu-nghiem-thong-bao",
        "code": "HS-THONG-BAO-1",
        "received_at": "2024-03-06T09:00:00+07:00",
        "processing": {"amount": 2, "unit": "working_days"},
    }
    created = await client.post("/v1/dossiers", json=body, headers=writer)
    assert created.status_code == 201, created.text
    dossier = created.json()["id"]
    assert created.json()["state"]["due_at"] == "2024-03-08T09:00:00+07:00"

    async def stored_due() -> str:
        # the due time the service keeps for the dossier (what lists and the scanner use)
        page = await client.get("/v1/dossiers", params={"office": body["office"]})
        (item,) = page.json()["items"]
        return str(item["due_at"])

    cursor = await last_event_id(runtime)

    preview = await client.post(NOTICES, params={"dry_run": "true"}, json=notice(), headers=admin)
    assert preview.status_code == 200, preview.text
    moved = [m for m in preview.json()["moves"] if m["kind"] == "dossier" and m["id"] == dossier]
    assert len(moved) == 1
    assert moved[0]["due"] == ["2024-03-08T09:00:00+07:00", "2024-03-09T09:00:00+07:00"]
    # the preview wrote nothing: the dossier is still due on Friday
    assert await stored_due() == "2024-03-08T09:00:00+07:00"

    try:
        applied = await client.post(NOTICES, json=notice(), headers=admin)
        assert applied.status_code == 201, applied.text
        assert [m for m in applied.json()["moves"] if m["kind"] == "dossier"] == [
            m for m in preview.json()["moves"] if m["kind"] == "dossier"
        ]
        assert await stored_due() == "2024-03-09T09:00:00+07:00"
        events = await events_after(runtime, cursor)
        rescheduled = [e for e in events if e[0] == "dossier.rescheduled" and e[1] == str(dossier)]
        assert len(rescheduled) == 1
        assert rescheduled[0][2]["new_due_at"] == "2024-03-09T09:00:00+07:00"
    finally:
        withdrawn = await client.delete(f"{NOTICES}/1/TB-THUNGHIEM", headers=admin)
    assert withdrawn.status_code == 200, withdrawn.text
    assert await stored_due() == "2024-03-08T09:00:00+07:00"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # Sat 9/3/2024 alone: half a swap
        (
            {
                "swaps": [],
                "working_days": [{"date": "2024-03-09", "name_vi": "x", "name_en": "x"}],
            },
            "working_days[0].date",
        ),
        # Sun 10/3/2024 is already a day off
        (
            {"swaps": [], "days_off": [{"date": "2024-03-10", "name_vi": "x", "name_en": "x"}]},
            "days_off[0].date",
        ),
        # Tue 5/3/2024 is already a working day
        (
            {
                "swaps": [],
                "working_days": [
                    {"date": "2024-03-05", "name_vi": "x", "name_en": "x", "lone": True}
                ],
            },
            "working_days[0].date",
        ),
        # Mon 6/1/2031: outside the supported range (2019-2030)
        (
            {
                "decides_years": [2031],
                "swaps": [],
                "days_off": [{"date": "2031-01-06", "name_vi": "x", "name_en": "x"}],
            },
            "days_off[0].date",
        ),
        # a swap outside the years the notice decides
        ({"decides_years": [2025]}, "swaps[0].day_off"),
        # a notice deciding only 2031 (past the supported 2019-2030): nothing it could decide
        ({"decides_years": [2031], "swaps": []}, "decides_years[0]"),
        # nor a year before it, even beside one in range
        ({"decides_years": [2024, 2018]}, "decides_years[1]"),
        # Mon 29/4/2024 is already the day off of Công văn 2450/VPCP-KGVX
        (
            {
                "swaps": [
                    {
                        "day_off": "2024-04-29",
                        "working_day": "2024-04-27",
                        "name_vi": "x",
                        "name_en": "x",
                    }
                ]
            },
            "swaps[0].day_off",
        ),
        # the same day twice
        (
            {
                "days_off": [
                    {"date": "2024-03-12", "name_vi": "x", "name_en": "x"},
                    {"date": "2024-03-12", "name_vi": "y", "name_en": "y"},
                ]
            },
            "days_off[1].date",
        ),
    ],
)
async def test_refused_entries_are_named(
    client: AsyncClient, admin: dict[str, str], changes: dict[str, Any], field: str
) -> None:
    revision = (await client.get("/v1/calendar/revision")).json()["calendar_revision"]
    for dry_run in ("true", "false"):
        r = await client.post(
            NOTICES, params={"dry_run": dry_run}, json=notice(**changes), headers=admin
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in r.json()["errors"]], r.json()
    assert (await client.get("/v1/calendar/revision")).json()["calendar_revision"] == revision


async def test_a_changed_notice_is_a_new_version(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    number = "2/TB-THUNGHIEM"
    # A hypothetical 2028 notice: Fri 5/5/2028 off, worked Sat 6/5 (1/5 is a Monday; Tue 2/5
    # is already off, compensatory for Sun 30/4).
    first = notice(
        number=number,
        decides_years=[2028],
        swaps=[
            {"day_off": "2028-05-05", "working_day": "2028-05-06", "name_vi": "a", "name_en": "a"}
        ],
    )
    try:
        assert (await client.post(NOTICES, json=first, headers=admin)).status_code == 201
        # corrected: the make-up Saturday is 13/5, not 6/5
        second = first | {
            "swaps": [
                {
                    "day_off": "2028-05-05",
                    "working_day": "2028-05-13",
                    "name_vi": "a",
                    "name_en": "a",
                }
            ]
        }
        r = await client.post(NOTICES, json=second, headers=admin)
        assert r.status_code == 201, r.text
        assert r.json()["version"] == 2
        assert [(d["date"], d["kind"]) for d in r.json()["days"]] == [
            ("2028-05-06", ["swap_working", "weekend"]),
            ("2028-05-13", ["weekend", "swap_working"]),
        ]
        versions = (await client.get(f"{NOTICES}/{number}/versions")).json()["items"]
        assert [v["version"] for v in versions] == [1, 2]
        listed = (await client.get(NOTICES, params={"year": 2028})).json()["items"]
        assert [n["number"] for n in listed] == [number]
    finally:
        preview = await client.delete(
            f"{NOTICES}/{number}", params={"dry_run": "true"}, headers=admin
        )
        assert preview.json()["outcome"] == "preview"
        assert (await client.get(f"{NOTICES}/{number}")).json()["withdrawn_at"] is None
        assert (await client.delete(f"{NOTICES}/{number}", headers=admin)).status_code == 200
    assert (await client.delete(f"{NOTICES}/{number}", headers=admin)).status_code == 404


async def test_a_notice_placing_tet_is_the_source_of_its_compensatory_days(
    replicas: tuple[AsyncClient, AsyncClient], admin: dict[str, str]
) -> None:
    # Tết 2028 is Wed 26/1 (mùng 1): the five days are the eve Tue 25/1 to mùng 4 Sat 29/1,
    # which is made up on the working day before them, Mon 24/1. Quốc khánh Sat 2/9/2028 is
    # made up on Mon 4/9. A hypothetical decided notice placing Tết only: 24/1 cites it while
    # it is in force, 4/9 keeps Art. 111(3); withdrawn, 24/1 cites the article again.
    client = replicas[0]  # its calendar reads what was committed (the `client` fixture's isn't)
    number = "4/TB-THUNGHIEM"
    body = notice(number=number, status="decided", decides_years=[2028], swaps=[])
    body |= {"places": ["tet"], "citation": "Thông báo 4/TB-THUNGHIEM (2027)"}

    async def source(day: str) -> tuple[str, str, bool]:
        got = (await client.get(f"/v1/calendar/days/{day}")).json()
        return got["source"], got["confidence"], got["provisional"]

    article = ("Bộ luật Lao động 2019, Điều 111(3)", "V", True)
    assert await source("2028-01-24") == article
    try:
        r = await client.post(NOTICES, json=body, headers=admin)
        assert r.status_code == 201, r.text
        assert await source("2028-01-24") == ("Thông báo 4/TB-THUNGHIEM (2027)", "?", False)
        assert await source("2028-09-04") == ("Bộ luật Lao động 2019, Điều 111(3)", "V", False)
    finally:
        assert (await client.delete(f"{NOTICES}/{number}", headers=admin)).status_code == 200
    assert await source("2028-01-24") == article


async def test_a_decided_notice_decides_its_year_in_the_same_change(
    client: AsyncClient, admin: dict[str, str], runtime: Runtime
) -> None:
    number = "4/TB-THUNGHIEM"
    # Hypothetical decided notice for 2029 (provisional until decided): Fri 16/3/2029 off,
    # worked Sat 17/3/2029 (neither near a holiday: Giỗ Tổ 2029 is in April).
    body = notice(
        number=number,
        status="decided",
        decides_years=[2029],
        swaps=[
            {"day_off": "2029-03-16", "working_day": "2029-03-17", "name_vi": "a", "name_en": "a"}
        ],
    )

    # (the client's writes stay in the test's transaction: read the tables there)
    async def state() -> tuple[int, bool]:
        ((revision, provisional),) = await sql(
            runtime,
            "SELECT r.revision, y.provisional FROM calendar_revision r, calendar_years y "
            "WHERE y.year = 2029",
        )
        return int(revision), bool(provisional)

    revision, provisional = await state()
    assert provisional
    preview = await client.post(NOTICES, params={"dry_run": "true"}, json=body, headers=admin)
    assert preview.status_code == 200, preview.text
    assert preview.json()["years"] == [{"year": 2029, "provisional": [True, False]}]
    cursor = await last_event_id(runtime)
    try:
        applied = await client.post(NOTICES, json=body, headers=admin)
        assert applied.status_code == 201, applied.text
        assert applied.json()["years"] == preview.json()["years"]
        assert await state() == (revision + 1, False)  # one change, one revision
        changed = [e for e in await events_after(runtime, cursor) if e[0] == "calendar.changed"]
        assert len(changed) == 1
        assert changed[0][2]["years"] == [{"year": 2029, "provisional": [True, False]}]
    finally:
        withdrawal = await client.delete(
            f"{NOTICES}/{number}", params={"dry_run": "true"}, headers=admin
        )
        assert withdrawal.json()["years"] == [{"year": 2029, "provisional": [False, True]}]
        assert (await client.delete(f"{NOTICES}/{number}", headers=admin)).status_code == 200
    assert await state() == (revision + 2, True)


async def test_a_notice_that_changes_no_day_moves_no_revision(
    client: AsyncClient, admin: dict[str, str], runtime: Runtime
) -> None:
    # Hypothetical notice confirming 2026, already decided by Thông báo 9441/TB-BNV: no entry,
    # so neither recording it nor withdrawing it changes a day or a year (9441 still decides
    # 2026), and the calendar revision stays where it is.
    number = "5/TB-THUNGHIEM"
    body = notice(number=number, status="decided", decides_years=[2026], swaps=[])
    revision = (await client.get("/v1/calendar/revision")).json()["calendar_revision"]
    try:
        applied = await client.post(NOTICES, json=body, headers=admin)
        assert applied.status_code == 201, applied.text
        assert (applied.json()["days"], applied.json()["years"]) == ([], [])
        assert applied.json()["calendar_revision"] == revision
    finally:
        withdrawn = await client.delete(f"{NOTICES}/{number}", headers=admin)
    assert withdrawn.status_code == 200, withdrawn.text
    assert (withdrawn.json()["days"], withdrawn.json()["years"]) == ([], [])
    assert withdrawn.json()["calendar_revision"] == revision
    assert await sql(runtime, "SELECT revision FROM calendar_revision") == [(revision,)]


async def test_a_notice_entry_is_not_withdrawn_alone(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    # Công văn 2450/VPCP-KGVX: Mon 29/4/2024 off, worked Sat 4/5/2024. Deleting the Saturday
    # through the single-day endpoint would leave half a swap under a notice still in force.
    revision = (await client.get("/v1/calendar/revision")).json()["calendar_revision"]
    r = await client.delete("/v1/calendar/adjustments/2024-05-04", headers=admin)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "swaps[0].working_day" in r.json()["detail"]
    assert "2450/VPCP-KGVX" in r.json()["detail"]
    kept = await client.get("/v1/calendar/adjustments/2024-05-04")
    assert (kept.status_code, kept.json()["entry"]) == (200, "swaps[0].working_day")
    assert (await client.get("/v1/calendar/revision")).json()["calendar_revision"] == revision


async def test_the_2027_example_is_the_shipped_notice(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    # examples/notice-2027.toml is Công văn 10065/VPCP-KGVX as the seed recorded it
    body = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    body["signed_on"] = body["signed_on"].isoformat()
    r = await client.post(NOTICES, params={"dry_run": "true"}, json=body, headers=admin)
    assert r.status_code == 200, r.text
    assert (r.json()["outcome"], r.json()["days"], r.json()["moves"]) == ("unchanged", [], [])
    shipped = (await client.get(f"{NOTICES}/10065/VPCP-KGVX")).json()
    assert shipped["notice"]["signed_on"] == "2026-10-02"


async def test_imports_need_the_admin_scope(client: AsyncClient, api_key: KeyMaker) -> None:
    writer = {"Authorization": f"Bearer {await api_key('write')}"}
    assert (await client.post(NOTICES, json=notice())).status_code == 401
    assert (await client.post(NOTICES, json=notice(), headers=writer)).status_code == 403
    assert (await client.delete(f"{NOTICES}/1/TB-THUNGHIEM", headers=writer)).status_code == 403


@pytest.fixture
async def replicas(database_url: str) -> AsyncIterator[tuple[AsyncClient, AsyncClient]]:
    apps = [create_app(settings_for(database_url)) for _ in range(2)]
    async with (
        apps[0].router.lifespan_context(apps[0]),
        apps[1].router.lifespan_context(apps[1]),
        AsyncClient(transport=ASGITransport(app=apps[0]), base_url="http://a") as a,
        AsyncClient(transport=ASGITransport(app=apps[1]), base_url="http://b") as b,
    ):
        yield a, b


async def test_an_import_on_one_replica_is_followed_by_the_other_within_a_second(
    replicas: tuple[AsyncClient, AsyncClient], admin: dict[str, str]
) -> None:
    a, b = replicas
    number = "3/TB-THUNGHIEM"
    # hypothetical: Mon 24/4/2028 off, worked Sat 22/4/2028
    body = notice(
        number=number,
        decides_years=[2028],
        swaps=[
            {"day_off": "2028-04-24", "working_day": "2028-04-22", "name_vi": "a", "name_en": "a"}
        ],
    )
    assert (await b.get("/v1/calendar/days/2028-04-24")).json()["working"] is True
    try:
        assert (await a.post(NOTICES, json=body, headers=admin)).status_code == 201
        assert (await a.get("/v1/calendar/days/2028-04-24")).json()["kind"] == "swap_off"
        started = time.monotonic()
        while time.monotonic() - started < 1.0:
            seen = (await b.get("/v1/calendar/days/2028-04-24")).json()
            if not seen["working"]:
                break
            await asyncio.sleep(0.02)
        assert seen["kind"] == "swap_off", "replica b did not follow within 1 s"
        assert (await b.get("/v1/calendar/days/2028-04-22")).json()["kind"] == "swap_working"
    finally:
        assert (await a.delete(f"{NOTICES}/{number}", headers=admin)).status_code == 200


async def test_a_single_adjustment_and_a_year_are_announced_too(
    client: AsyncClient, api_key: KeyMaker, admin: dict[str, str], runtime: Runtime
) -> None:
    writer = await api_key("write")
    created = await create(client, writer, decision_body(issuer="UBND tỉnh Thử nghiệm ngày lẻ"))
    portals = by_rule(created["obligations"])["quang-nam-2024.posting-portals"]["id"]
    cursor = await last_event_id(runtime)
    # Hypothetical: Thu 7/3/2024 off on its own. The decision was signed Tue 5/3/2024;
    # portals: 3 working days, Wed 6 (1), Thu 7 (2), Fri 8 (3); with Thu 7 off: Wed 6 (1),
    # Fri 8 (2), Mon 11 (3).
    day = {
        "date": "2024-03-07",
        "kind": "swap_off",
        "name_vi": "Nghỉ thử nghiệm",
        "name_en": "Test day off",
        "source": "thử nghiệm",
        "status": "proposed",
    }
    assert (
        await client.post("/v1/calendar/adjustments", json=day, headers=admin)
    ).status_code == 201
    events = await events_after(runtime, cursor)
    assert [e[0] for e in events].count("calendar.changed") == 1
    assert events[0][0] == "calendar.changed"
    assert (events[0][2]["action"], events[0][2]["notice"]) == ("adjustment", None)
    assert events[0][2]["days"] == [
        {
            "date": "2024-03-07",
            "entry": None,
            "from": "working",
            "to": "swap_off",
            "working": [True, False],
        }
    ]
    moved = [e for e in events if e[0] == "obligation.rescheduled" and e[1] == str(portals)]
    assert [(e[2]["old_due_date"], e[2]["new_due_date"]) for e in moved] == [
        ("2024-03-08", "2024-03-11")
    ]

    cursor = await last_event_id(runtime)
    removed = await client.delete("/v1/calendar/adjustments/2024-03-07", headers=admin)
    assert removed.status_code == 204
    events = await events_after(runtime, cursor)
    assert events[0][0] == "calendar.changed"
    assert [(d["from"], d["to"]) for d in events[0][2]["days"]] == [("swap_off", "working")]

    # 2029 is provisional until decided: marking it decided is announced once, and marking it
    # again (nothing changes) is not
    cursor = await last_event_id(runtime)
    decided = {"provisional": False, "note": "Thông báo thử nghiệm"}
    assert (
        await client.put("/v1/calendar/years/2029", json=decided, headers=admin)
    ).status_code == 200
    events = await events_after(runtime, cursor)
    assert [(e[0], e[2]["action"], e[2]["years"]) for e in events] == [
        ("calendar.changed", "year", [{"year": 2029, "provisional": [True, False]}])
    ]
    cursor = await last_event_id(runtime)
    assert (
        await client.put("/v1/calendar/years/2029", json=decided, headers=admin)
    ).status_code == 200
    assert await events_after(runtime, cursor) == []
