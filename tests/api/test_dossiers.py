"""Dossiers over HTTP: create, events, state, list, feed, idempotency, refusals.

Each test runs in a rolled-back transaction (`client`); the service's clock is set by the test
(`clock`), so that statuses are as of a known instant. Every expected date-time and duration
is worked out by hand from the law (Civil Code 2015 Arts. 147-148, ND 61/2018 Art. 19) and the
official calendar (docs/legal-basis.md#calendar); the comment next to it shows the count. Default
office hours:
07:30-11:30 and 13:30-17:00, 7 h 30 min a working day.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import text

from app.api.kit.clock import current_time
from app.db.repositories import dossiers as dossiers_repo
from app.runtime import Runtime

PROBLEM = "application/problem+json"
ICT = dt.timezone(dt.timedelta(hours=7))


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=ICT)


def iso(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> str:
    return at(y, mo, d, h, mi).isoformat()


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now


@pytest.fixture
def clock(app: FastAPI) -> Iterator[Clock]:
    """The service's `now`, set by the test (Tuesday 5/3/2024 10:00 to begin with)."""
    held = Clock(at(2024, 3, 5, 10))

    async def now() -> dt.datetime:
        return held.now

    app.dependency_overrides[current_time] = now
    yield held
    app.dependency_overrides.pop(current_time, None)


@pytest.fixture
async def writer(api_key: Callable[..., Awaitable[str]]) -> dict[str, str]:
    return {"Authorization": f"Bearer {await api_key('write')}"}


@pytest.fixture
def office() -> str:
    return f"test-office-{uuid.uuid4().hex[:10]}"


def dossier(office: str, code: str = "H12.34-240305-0001", **changes: Any) -> dict[str, Any]:
    # Tuesday 5/3/2024 09:00, 3 working days: Wed 6 (1), Thu 7 (2), Fri 8 (3) -> Fri 8/3 09:00
    return {
        "office": office,
        "code": code,
        "procedure_code": "1.001234",
        "processing": {"amount": 3, "unit": "working_days"},
        "received_at": iso(2024, 3, 5, 9),
        **changes,
    }


async def create(client: AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> Response:
    return await client.post("/v1/dossiers", json=body, headers=headers)


async def post_events(
    client: AsyncClient, headers: dict[str, str], dossier_id: int, *events: dict[str, Any]
) -> Response:
    return await client.post(
        f"/v1/dossiers/{dossier_id}/events", json={"events": list(events)}, headers=headers
    )


def ev(kind: str, when: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "at": when, **extra}


async def scalar(runtime: Runtime, sql: str, **params: Any) -> Any:
    """A value read in the test's own (rolled-back) transaction."""
    async with runtime.sessionmaker() as session:
        return (await session.execute(text(sql), params)).scalar()


async def counts(runtime: Runtime, office: str) -> tuple[int, int]:
    dossiers = await scalar(runtime, "SELECT count(*) FROM dossiers WHERE office = :o", o=office)
    events = await scalar(
        runtime,
        "SELECT count(*) FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id "
        "WHERE d.office = :o",
        o=office,
    )
    return int(dossiers), int(events)


async def feed_since(client: AsyncClient, cursor: int, dossier_id: int) -> list[dict[str, Any]]:
    items = (await client.get("/v1/changes", params={"cursor": cursor, "limit": 1000})).json()
    return [
        c for c in items["items"] if c["entity"] == "dossier" and c["entity_id"] == str(dossier_id)
    ]


async def cursor_now(runtime: Runtime) -> int:
    return int(await scalar(runtime, "SELECT coalesce(max(id), 0) FROM events"))


# -- create and read -------------------------------------------------------------------------


async def test_create_and_read_the_tuesday_example(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str, runtime: Runtime
) -> None:
    start = await cursor_now(runtime)
    r = await create(client, writer, dossier(office))
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["location"] == f"/v1/dossiers/{created['id']}"
    state = created["state"]
    assert state["due_at"] == iso(2024, 3, 8, 9)  # Fri 8/3 09:00
    assert state["due_day"] == "2024-03-08"
    assert state["status"] == "on_time"
    assert state["clock"] == "running"
    assert state["rules"] == "nd-61-2018"
    # as of Tue 10:00: 1 h counted; left: Tue 10:00-11:30 and 13:30-17:00 (5 h), Wed and
    # Thu (7 h 30 each), Fri 07:30-09:00 (1 h 30) = 21 h 30
    assert (state["elapsed"], state["elapsed_minutes"]) == ("PT1H", 60)
    assert (state["remaining"], state["remaining_minutes"]) == ("PT21H30M", 1290)
    # at least one day before the due day (ND 61/2018 Art. 19(9)): Thu 7/3
    assert state["apology_deadline"] == "2024-03-07"
    # a supplement request is due within 3 working days of receipt (Art. 19(4)): Fri 8/3 09:00
    assert state["supplement_request_deadline"] == iso(2024, 3, 8, 9)
    assert created["events"][0]["kind"] == "received"
    assert created["events"][0]["seq"] == 0
    assert created["persisted"]["status"] == "on_time"
    # the scanner looks again when the apology day begins, Thu 7/3 00:00
    assert created["persisted"]["next_check_at"] == iso(2024, 3, 7)
    assert created["processing"] == {"amount": 3, "unit": "working_days"}
    # a local time keeps its office offset; a record timestamp is UTC with Z and microseconds
    assert created["received_at"] == iso(2024, 3, 5, 9)
    assert created["events"][0]["at"] == iso(2024, 3, 5, 9)
    for stamp in (
        created["created_at"],
        created["events"][0]["recorded_at"],
        created["persisted"]["evaluated_at"],
    ):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", stamp), stamp

    read = (await client.get(f"/v1/dossiers/{created['id']}")).json()
    assert read["state"]["due_at"] == iso(2024, 3, 8, 9)
    assert [e["kind"] for e in read["events"]] == ["received"]

    changes = await feed_since(client, start, created["id"])
    assert [c["type"] for c in changes] == ["dossier.created"]
    assert changes[0]["payload"]["due_at"] == iso(2024, 3, 8, 9)
    assert changes[0]["payload"]["code"] == "H12.34-240305-0001"
    assert changes[0]["payload"]["processing"] == {"amount": 3, "unit": "working_days"}
    assert changes[0]["payload"]["status"] == "on_time"


async def test_a_created_dossier_is_remembered_as_committed(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str, runtime: Runtime
) -> None:
    """The first event after a create folds the history this replica remembered from the
    create, not a read: that record must be the committed one, field for field (the append
    only checks the event count and the last write)."""
    # a fractional amount: the stored numeric, not the request's float, is what a read gives
    processing = {"amount": 2.5, "unit": "working_days"}
    r = await create(client, writer, dossier(office, processing=processing))
    assert r.status_code == 201, r.text
    dossier_id = r.json()["id"]
    async with runtime.sessionmaker() as session:
        stored = await dossiers_repo.committed(session, dossier_id)
    assert stored is not None
    assert runtime.dossier_histories.get(dossier_id) == stored
    # the next event is folded after the remembered receipt (Tue 5/3 09:00)
    paused = await client.post(
        f"/v1/dossiers/{dossier_id}/events",
        json={"events": [ev("paused", iso(2024, 3, 5, 9, 30))]},
        headers=writer,
    )
    assert paused.status_code == 201, paused.text
    assert paused.json()["events"][0]["seq"] == 1
    assert paused.json()["clock"] == "paused"


@pytest.mark.parametrize(
    ("as_of", "status", "remaining"),
    [
        # Wed 10:00: Wed 10:00-11:30 and 13:30-17:00 (5 h), Thu 7 h 30, Fri 07:30-09:00
        # (1 h 30) = 14 h left, more than one working day (7 h 30)
        ("2024-03-06T10:00:00+07:00", "on_time", "PT14H"),
        # Thu 10:00: Thu 5 h (as above) + Fri 1 h 30 = 6 h 30, under one working day
        ("2024-03-07T10:00:00+07:00", "due_soon", "PT6H30M"),
        # Fri 10:00 is an hour of office time past Fri 09:00
        ("2024-03-08T10:00:00+07:00", "overdue", "-PT1H"),
        # the same instant written in UTC
        ("2024-03-08T03:00:00Z", "overdue", "-PT1H"),
    ],
)
async def test_state_as_of(
    client: AsyncClient,
    clock: Clock,
    writer: dict[str, str],
    office: str,
    as_of: str,
    status: str,
    remaining: str,
) -> None:
    created = (await create(client, writer, dossier(office))).json()
    r = await client.get(f"/v1/dossiers/{created['id']}", params={"as_of": as_of})
    assert r.status_code == 200, r.text
    state = r.json()["state"]
    assert (state["status"], state["remaining"]) == (status, remaining)


async def test_as_of_is_checked(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str
) -> None:
    created = (await create(client, writer, dossier(office))).json()
    url = f"/v1/dossiers/{created['id']}"
    for bad in ("2024-03-06T10:00:00", "2024-03-05T08:00:00+07:00", "2031-03-05T08:00:00+07:00"):
        r = await client.get(url, params={"as_of": bad})
        assert r.status_code == 422, (bad, r.text)
        assert r.headers["content-type"] == PROBLEM
        assert [e["field"] for e in r.json()["errors"]] == ["as_of"]
    assert (await client.get("/v1/dossiers/999999999")).status_code == 404


async def test_receipt_after_closing(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str
) -> None:
    clock.now = at(2024, 3, 5, 18)
    # Tue 17:30 is after closing: counted from Wed 6/3 07:30 (not counted); Thu 7 (1), Fri 8
    # (2), Mon 11 (3) -> Mon 11/3 07:30
    body = dossier(office, received_at=iso(2024, 3, 5, 17, 30))
    state = (await create(client, writer, body)).json()["state"]
    assert state["counted_from"] == iso(2024, 3, 6, 7, 30)
    assert state["due_at"] == iso(2024, 3, 11, 7, 30)
    assert state["elapsed"] == "PT0S"


# -- events ----------------------------------------------------------------------------------


async def test_supplement_restarts_the_clock(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str, runtime: Runtime
) -> None:
    # 5 working days from Tue 5/3 09:00: Wed 6, Thu 7, Fri 8, Mon 11, Tue 12 -> Tue 12/3 09:00
    body = dossier(office, processing={"amount": 5, "unit": "working_days"})
    created = (await create(client, writer, body)).json()
    assert created["state"]["due_at"] == iso(2024, 3, 12, 9)
    start = await cursor_now(runtime)
    clock.now = at(2024, 3, 8, 10)
    r = await post_events(
        client, writer, created["id"], ev("supplement_requested", iso(2024, 3, 7, 10))
    )
    assert r.status_code == 201, r.text
    assert r.json()["events"][0]["seq"] == 1
    waiting = (await client.get(f"/v1/dossiers/{created['id']}")).json()["state"]
    assert waiting["clock"] == "awaiting_supplement"
    assert waiting["flags"]["paused"] is True
    assert waiting["flags"]["awaiting_supplement"] is True
    assert waiting["due_at"] is None  # the processing time restarts on resubmission
    assert waiting["remaining"] is None
    # counted until the request: Tue 09:00-17:00 6 h, Wed 7 h 30, Thu 07:30-10:00 2 h 30
    assert (waiting["elapsed"], waiting["elapsed_minutes"]) == ("PT16H", 960)
    assert waiting["flags"]["late_supplement_requests"] == []  # due by Fri 8/3 09:00

    clock.now = at(2024, 3, 11, 15)
    r = await post_events(client, writer, created["id"], ev("resubmitted", iso(2024, 3, 11, 14)))
    assert r.status_code == 201, r.text
    # from zero at Mon 11/3 14:00: Tue 12, Wed 13, Thu 14, Fri 15, Mon 18 -> Mon 18/3 14:00
    assert r.json()["due_at"] == iso(2024, 3, 18, 14)
    state = (await client.get(f"/v1/dossiers/{created['id']}")).json()["state"]
    assert state["counted_from"] == iso(2024, 3, 11, 14)
    assert state["elapsed"] == "PT1H"  # Mon 14:00-15:00
    # a new request would be due 3 working days after resubmission: Thu 14/3 14:00
    assert state["supplement_request_deadline"] == iso(2024, 3, 14, 14)
    kinds = [c["payload"].get("kind") for c in await feed_since(client, start, created["id"])]
    assert kinds == ["supplement_requested", "resubmitted"]


async def test_pause_spanning_tet(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str
) -> None:
    # Received Fri 17/1/2025 09:00, 10 working days: Mon 20 - Fri 24/1 (5); Mon 27/1 -
    # Sun 2/2 off (Tết Ất Tỵ, with the weekends); Mon 3/2 - Fri 7/2 (10) -> Fri 7/2 09:00
    clock.now = at(2025, 1, 17, 10)
    body = dossier(
        office, received_at=iso(2025, 1, 17, 9), processing={"amount": 10, "unit": "working_days"}
    )
    created = (await create(client, writer, body)).json()
    assert created["state"]["due_at"] == iso(2025, 2, 7, 9)
    assert created["state"]["rules"] == "nd-61-2018"
    clock.now = at(2025, 2, 4, 11)
    r = await post_events(
        client,
        writer,
        created["id"],
        ev("paused", iso(2025, 1, 23, 10), note="site inspection"),
        ev("resumed", iso(2025, 2, 4, 10)),
    )
    assert r.status_code == 201, r.text
    assert [e["seq"] for e in r.json()["events"]] == [1, 2]
    # excluded: Thu 23/1 10:00-11:30 and 13:30-17:00 (5 h), Fri 24/1 7 h 30, nothing over
    # Tết, Mon 3/2 7 h 30, Tue 4/2 07:30-10:00 2 h 30 = 22 h 30, three working days:
    # Fri 7/2 09:00 -> Mon 10, Tue 11, Wed 12/2 09:00
    assert r.json()["due_at"] == iso(2025, 2, 12, 9)
    state = (await client.get(f"/v1/dossiers/{created['id']}")).json()
    # Fri 17/1 6 h, Mon 20 - Wed 22 22 h 30, Thu 23 07:30-10:00 2 h 30, Tue 4/2 10:00-11:00
    # 1 h = 32 h
    assert state["state"]["elapsed"] == "PT32H"
    assert state["events"][1]["note"] == "site inspection"


async def test_reappointment_once_only(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str, runtime: Runtime
) -> None:
    created = (await create(client, writer, dossier(office))).json()
    clock.now = at(2024, 3, 7, 16, 30)
    # Thu 7/3 16:00, the apology deadline itself (one day before Fri 8/3): in time
    first = ev("reappointed", iso(2024, 3, 7, 16), new_due_at=iso(2024, 3, 12, 9))
    r = await post_events(client, writer, created["id"], first)
    assert r.status_code == 201, r.text
    assert r.json()["due_at"] == iso(2024, 3, 12, 9)
    # a re-appointment admits lateness, it does not erase it: still measured against Fri 09:00
    assert r.json()["statutory_due_at"] == iso(2024, 3, 8, 9)
    state = (await client.get(f"/v1/dossiers/{created['id']}")).json()["state"]
    assert state["flags"]["reappointed"] is True
    assert state["flags"]["reappointment_late"] is False
    before = await counts(runtime, office)
    clock.now = at(2024, 3, 11, 16, 30)
    second = ev("reappointed", iso(2024, 3, 11, 16), new_due_at=iso(2024, 3, 15, 9))
    r = await post_events(client, writer, created["id"], second)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"] == PROBLEM
    assert [e["field"] for e in r.json()["errors"]] == ["events[0]"]
    assert "19" in r.json()["detail"]  # cites ND 61/2018 Art. 19(9)
    assert await counts(runtime, office) == before


@pytest.mark.parametrize(
    ("events", "field"),
    [
        # before the receipt (Tue 5/3 09:00): a completion cannot precede it
        ([ev("completed", iso(2024, 3, 4, 9))], "events[0].at"),
        # a second receipt
        ([ev("received", iso(2024, 3, 6, 9))], "events[0].kind"),
        # resumed without a pause
        ([ev("resumed", iso(2024, 3, 6, 9))], "events[0].kind"),
        # the second event goes back in time
        ([ev("paused", iso(2024, 3, 6, 9)), ev("resumed", iso(2024, 3, 6, 8))], "events[1].at"),
        # nothing after completion
        (
            [ev("completed", iso(2024, 3, 6, 9)), ev("paused", iso(2024, 3, 6, 10))],
            "events[1].kind",
        ),
        # a resubmission nobody asked for
        ([ev("resubmitted", iso(2024, 3, 6, 9))], "events[0].kind"),
        # new_due_at belongs to reappointed only, and reappointed needs it
        ([ev("paused", iso(2024, 3, 6, 9), new_due_at=iso(2024, 3, 9))], "events[0].new_due_at"),
        ([ev("reappointed", iso(2024, 3, 6, 9))], "events[0].new_due_at"),
        # a new appointment earlier than the current one
        (
            [ev("reappointed", iso(2024, 3, 6, 9), new_due_at=iso(2024, 3, 7, 9))],
            "events[0].new_due_at",
        ),
        # naive date-time, unknown kind, future event (the clock says Sat 9/3 12:00)
        ([ev("paused", "2024-03-06T09:00:00")], "events[0].at"),
        ([ev("lost", iso(2024, 3, 6, 9))], "events[0].kind"),
        ([ev("paused", iso(2024, 3, 20, 9))], "events[0].at"),
        ([], "events"),
    ],
)
async def test_bad_events_are_refused_and_nothing_is_written(
    client: AsyncClient,
    clock: Clock,
    writer: dict[str, str],
    office: str,
    runtime: Runtime,
    events: list[dict[str, Any]],
    field: str,
) -> None:
    created = (await create(client, writer, dossier(office))).json()
    clock.now = at(2024, 3, 9, 12)
    start = await cursor_now(runtime)
    r = await post_events(client, writer, created["id"], *events)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in r.json()["errors"]]
    assert await counts(runtime, office) == (1, 1)
    assert await feed_since(client, start, created["id"]) == []
    persisted = (await client.get(f"/v1/dossiers/{created['id']}")).json()["persisted"]
    assert persisted["status"] == "on_time"


async def test_completion_sets_the_final_status(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str, runtime: Runtime
) -> None:
    created = (await create(client, writer, dossier(office))).json()
    start = await cursor_now(runtime)
    clock.now = at(2024, 3, 8, 9, 45)
    # completed Fri 8/3 09:30, half an hour after Fri 09:00: late
    r = await post_events(client, writer, created["id"], ev("completed", iso(2024, 3, 8, 9, 30)))
    assert r.status_code == 201, r.text
    assert (r.json()["previous_status"], r.json()["status"]) == ("on_time", "completed_late")
    state = (await client.get(f"/v1/dossiers/{created['id']}")).json()["state"]
    assert state["remaining"] == "-PT30M"
    assert state["remaining_minutes"] == -30
    changes = await feed_since(client, start, created["id"])
    assert [c["type"] for c in changes] == ["dossier.event", "dossier.status_changed"]
    assert changes[1]["payload"]["from"] == "on_time"
    assert changes[1]["payload"]["to"] == "completed_late"


# -- bad dossiers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"received_at": "2024-03-05T09:00:00"}, 422, "received_at"),  # naive
        ({"processing": {"amount": 0, "unit": "working_days"}}, 422, "processing.amount"),
        ({"processing": {"amount": -1, "unit": "working_days"}}, 422, "processing.amount"),
        ({"processing": {"amount": 400, "unit": "working_days"}}, 422, "processing.amount"),
        ({"processing": {"amount": 3, "unit": "moons"}}, 422, "processing.unit"),
        ({"schedule": "night-shift"}, 422, "schedule"),
        ({"received_at": iso(2024, 3, 6, 9)}, 422, "received_at"),  # after the clock's now
        ({"received_at": iso(2017, 3, 6, 9)}, 422, "received_at"),  # before the calendar
        ({"code": " padded "}, 422, "code"),
        ({"code": ""}, 422, "code"),
        ({"office": None}, 422, "office"),
    ],
)
async def test_bad_dossiers_are_refused(
    client: AsyncClient,
    clock: Clock,
    writer: dict[str, str],
    office: str,
    runtime: Runtime,
    changes: dict[str, Any],
    status: int,
    field: str,
) -> None:
    r = await create(client, writer, dossier(office) | changes)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in r.json()["errors"]]
    assert await counts(runtime, office) == (0, 0)


async def test_a_code_is_unique_within_its_office(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str, runtime: Runtime
) -> None:
    assert (await create(client, writer, dossier(office))).status_code == 201
    again = await create(client, writer, dossier(office, received_at=iso(2024, 3, 5, 9, 30)))
    assert again.status_code == 409, again.text
    assert [e["field"] for e in again.json()["errors"]] == ["code"]
    assert await counts(runtime, office) == (1, 1)
    # another office may use the same code
    assert (await create(client, writer, dossier(office + "-b"))).status_code == 201


async def test_writes_need_the_write_scope(
    client: AsyncClient, clock: Clock, api_key: Callable[..., Awaitable[str]], office: str
) -> None:
    assert (await client.post("/v1/dossiers", json=dossier(office))).status_code == 401
    reader = {"X-API-Key": await api_key("compute")}
    assert (await create(client, reader, dossier(office))).status_code == 403
    assert (
        await post_events(client, reader, 1, ev("paused", iso(2024, 3, 5, 9)))
    ).status_code == 403


# -- idempotency -----------------------------------------------------------------------------


async def test_idempotent_create(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str, runtime: Runtime
) -> None:
    headers = writer | {"Idempotency-Key": "create-1"}
    first = await create(client, headers, dossier(office))
    assert first.status_code == 201
    retry = await create(client, headers, dossier(office))
    assert retry.status_code == 201
    assert retry.content == first.content
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert await counts(runtime, office) == (1, 1)
    other = await create(client, headers, dossier(office, code="another"))
    assert other.status_code == 422
    assert [e["field"] for e in other.json()["errors"]] == ["Idempotency-Key"]
    assert await counts(runtime, office) == (1, 1)


async def test_idempotent_events(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str, runtime: Runtime
) -> None:
    created = (await create(client, writer, dossier(office))).json()
    headers = writer | {"Idempotency-Key": "pause-1"}
    pause = ev("paused", iso(2024, 3, 5, 9, 30))
    first = await post_events(client, headers, created["id"], pause)
    retry = await post_events(client, headers, created["id"], pause)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert await counts(runtime, office) == (1, 2)


# -- list --------------------------------------------------------------------------------------


async def test_list_by_status_with_keyset_pagination(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str
) -> None:
    clock.now = at(2024, 3, 7, 10)
    # as of Thu 7/3 10:00: received Tue 09:00 -> due Fri 09:00, 6 h 30 left: due_soon;
    # received Thu 08:00 -> due Tue 12/3 08:00: on_time; received Mon 4/3 08:00 -> due Thu
    # 7/3 08:00: overdue; a fourth completed Wed 6/3 12:00, before its due day: early
    ids = {}
    for code, received in (
        ("a", iso(2024, 3, 5, 9)),
        ("b", iso(2024, 3, 7, 8)),
        ("c", iso(2024, 3, 4, 8)),
        ("d", iso(2024, 3, 5, 9)),
    ):
        r = await create(client, writer, dossier(office, code=code, received_at=received))
        ids[code] = r.json()["id"]
    await post_events(client, writer, ids["d"], ev("completed", iso(2024, 3, 6, 12)))

    async def listed(**params: Any) -> dict[str, Any]:
        r = await client.get("/v1/dossiers", params={"office": office, **params})
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    everything = await listed()
    assert {d["code"]: d["status"] for d in everything["items"]} == {
        "a": "due_soon",
        "b": "on_time",
        "c": "overdue",
        "d": "completed_early",
    }
    assert everything["next_cursor"] is None
    open_ = await listed(status=["on_time", "due_soon", "overdue"], limit=2)
    assert [d["code"] for d in open_["items"]] == ["a", "b"]
    assert isinstance(open_["next_cursor"], str)  # opaque: after b
    rest = await listed(
        status=["on_time", "due_soon", "overdue"], limit=2, cursor=open_["next_cursor"]
    )
    assert [d["code"] for d in rest["items"]] == ["c"]
    assert rest["next_cursor"] is None
    assert (await client.get("/v1/dossiers", params={"status": "late"})).status_code == 422
    for bad in (str(ids["b"]), open_["next_cursor"][:-2]):
        refused = await client.get("/v1/dossiers", params={"cursor": bad})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "cursor"


# -- the scanner -------------------------------------------------------------------------------


async def test_the_scanner_moves_the_persisted_status_once_per_transition(
    client: AsyncClient,
    clock: Clock,
    writer: dict[str, str],
    office: str,
    runtime: Runtime,
    api_key: Callable[..., Awaitable[str]],
) -> None:
    admin = {"X-API-Key": await api_key("admin")}
    created = (await create(client, writer, dossier(office))).json()  # due Fri 8/3 09:00
    url = f"/v1/dossiers/{created['id']}"
    start = await cursor_now(runtime)

    async def scan_at(as_of: dt.datetime) -> dict[str, Any]:
        r = await client.post("/v1/admin/scan", params={"as_of": as_of.isoformat()}, headers=admin)
        assert r.status_code == 200, r.text
        persisted: dict[str, Any] = (await client.get(url)).json()["persisted"]
        return persisted

    # Wed 6/3 12:00: nothing to do before the apology day begins (Thu 7/3 00:00)
    assert (await scan_at(at(2024, 3, 6, 12)))["status"] == "on_time"
    assert await feed_since(client, start, created["id"]) == []
    # Thu 7/3 08:00, the last day to apologise; left: 08:00-11:30 (3 h 30), 13:30-17:00
    # (3 h 30), Fri 07:30-09:00 (1 h 30) = 8 h 30, more than a working day: still on_time
    early = await scan_at(at(2024, 3, 7, 8))
    assert early["status"] == "on_time"
    # the scanner looks again when 7 h 30 are left: Thu 09:00
    assert early["next_check_at"] == iso(2024, 3, 7, 9)
    # Thu 09:00: 2 h 30 + 3 h 30 + 1 h 30 = 7 h 30 left, one working day: due_soon
    soon = await scan_at(at(2024, 3, 7, 9))
    assert soon["status"] == "due_soon"
    assert soon["next_check_at"] == "2024-03-08T09:00:01+07:00"
    assert (await scan_at(at(2024, 3, 7, 9)))["status"] == "due_soon"  # replayed: no change
    # Fri 8/3 09:00 is the due instant itself: not yet overdue; a minute later it is
    assert (await scan_at(at(2024, 3, 8, 9)))["status"] == "due_soon"
    late = await scan_at(at(2024, 3, 8, 9, 1))
    assert late["status"] == "overdue"
    assert late["next_check_at"] is None
    # a scan replayed earlier does not move the status back
    assert (await scan_at(at(2024, 3, 7, 9, 30)))["status"] == "overdue"

    changes = await feed_since(client, start, created["id"])
    assert [(c["type"], c["payload"].get("to")) for c in changes] == [
        ("dossier.apology_due", None),
        ("dossier.status_changed", "due_soon"),
        ("dossier.status_changed", "overdue"),
    ]
    assert changes[0]["payload"]["apology_deadline"] == "2024-03-07"
    assert changes[0]["payload"]["late"] is False
    assert changes[2]["payload"]["from"] == "due_soon"
    overdue = await client.get("/v1/dossiers", params={"office": office, "status": "overdue"})
    assert [d["id"] for d in overdue.json()["items"]] == [created["id"]]


async def test_a_paused_dossier_is_not_transitioned(
    client: AsyncClient,
    clock: Clock,
    writer: dict[str, str],
    office: str,
    runtime: Runtime,
    api_key: Callable[..., Awaitable[str]],
) -> None:
    admin = {"X-API-Key": await api_key("admin")}
    created = (await create(client, writer, dossier(office))).json()
    clock.now = at(2024, 3, 6, 9)
    r = await post_events(client, writer, created["id"], ev("paused", iso(2024, 3, 6, 9)))
    assert r.json()["clock"] == "paused"
    start = await cursor_now(runtime)
    # a stopped clock keeps its status: nothing to watch until it resumes
    r = await client.post("/v1/admin/scan", params={"as_of": iso(2024, 3, 20, 9)}, headers=admin)
    assert r.status_code == 200
    persisted = (await client.get(f"/v1/dossiers/{created['id']}")).json()["persisted"]
    assert (persisted["status"], persisted["next_check_at"]) == ("on_time", None)
    assert await feed_since(client, start, created["id"]) == []


async def test_a_calendar_change_moves_the_persisted_due(
    client: AsyncClient,
    clock: Clock,
    writer: dict[str, str],
    office: str,
    api_key: Callable[..., Awaitable[str]],
) -> None:
    admin = {"X-API-Key": await api_key("admin")}
    created = (await create(client, writer, dossier(office))).json()
    assert created["state"]["due_at"] == iso(2024, 3, 8, 9)
    # A (hypothetical) day off declared on Thu 7/3/2024, in this rolled-back test only
    declared = await client.post(
        "/v1/calendar/adjustments",
        json={
            "date": "2024-03-07",
            "kind": "day_off",
            "name_vi": "Nghỉ (thử nghiệm)",
            "name_en": "Day off (test)",
            "source": "Thông báo thử nghiệm 1/TB-TEST",
            "status": "decided",
        },
        headers=admin,
    )
    assert declared.status_code == 201, declared.text
    r = await client.post("/v1/admin/scan", params={"as_of": iso(2024, 3, 6, 10)}, headers=admin)
    assert r.status_code == 200, r.text
    # Tue 5/3 09:00 + 3: Wed 6 (1), Thu 7 now off, Fri 8 (2), Mon 11 (3) -> Mon 11/3 09:00
    listed = (await client.get("/v1/dossiers", params={"office": office})).json()["items"]
    assert [d["due_at"] for d in listed] == [iso(2024, 3, 11, 9)]


async def test_a_dossier_the_scanner_cannot_read_does_not_stop_it(
    client: AsyncClient,
    clock: Clock,
    writer: dict[str, str],
    office: str,
    runtime: Runtime,
    api_key: Callable[..., Awaitable[str]],
) -> None:
    admin = {"X-API-Key": await api_key("admin")}
    good = (await create(client, writer, dossier(office, code="good"))).json()
    bad = (await create(client, writer, dossier(office, code="bad"))).json()
    # a schedule that has since disappeared from the data (written behind the API's back)
    async with runtime.sessionmaker() as session:
        await session.execute(
            text("UPDATE dossiers SET schedule = 'withdrawn' WHERE id = :i"), {"i": bad["id"]}
        )
        await session.commit()
    # Thu 7/3 09:00, 7 h 30 before Fri 8/3 09:00: due_soon (see the scanner test above)
    r = await client.post("/v1/admin/scan", params={"as_of": iso(2024, 3, 7, 9)}, headers=admin)
    assert r.status_code == 200, r.text
    listed = (await client.get("/v1/dossiers", params={"office": office})).json()["items"]
    assert {d["code"]: d["status"] for d in listed} == {"good": "due_soon", "bad": "on_time"}
    parked = await scalar(runtime, "SELECT next_check_at FROM dossiers WHERE id = :i", i=bad["id"])
    assert parked is None
    assert good["state"]["status"] == "on_time"


async def test_fractions_of_a_second_are_dropped(
    client: AsyncClient, clock: Clock, writer: dict[str, str], office: str
) -> None:
    # clocks count whole seconds: 09:00:00.75 is 09:00:00, due Fri 8/3 09:00 as ever
    r = await create(client, writer, dossier(office, received_at="2024-03-05T09:00:00.750+07:00"))
    assert r.status_code == 201, r.text
    assert r.json()["received_at"] == iso(2024, 3, 5, 9)
    assert r.json()["state"]["due_at"] == iso(2024, 3, 8, 9)
    pause = ev("paused", "2024-03-05T09:30:00.250+07:00")
    appended = await post_events(client, writer, r.json()["id"], pause)
    assert appended.status_code == 201, appended.text
    assert appended.json()["events"][0]["at"] == iso(2024, 3, 5, 9, 30)
