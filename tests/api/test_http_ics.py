"""iCalendar feeds per RFC 5545, read back with the `icalendar` package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from httpx import AsyncClient
from icalendar import Calendar
from sqlalchemy import text

from app.api.calendar import ics
from app.runtime import Runtime
from tests.api.test_decisions_support import QN, create, decision_body

KeyMaker = Callable[..., Awaitable[str]]


def _parse(body: bytes) -> Calendar:
    cal = Calendar.from_ical(body)
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    # Never an empty VCALENDAR (RFC 5545 §3.6): the zone is always there.
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Ho_Chi_Minh"
    (standard,) = zone.walk("STANDARD")
    assert standard.decoded("TZOFFSETTO") == dt.timedelta(hours=7)
    for event in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "SEQUENCE", "LAST-MODIFIED", "STATUS"):
            assert required in event, (required, event)
    return cal


async def _revision(runtime: Runtime) -> tuple[int, dt.datetime]:
    async with runtime.sessionmaker() as session:
        row = (
            await session.execute(text("SELECT revision, changed_at FROM calendar_revision"))
        ).one()
    return int(row[0]), row[1]


async def test_calendar_feed_is_stamped_with_its_revision(
    client: AsyncClient, runtime: Runtime
) -> None:
    first = await client.get("/v1/calendar.ics", params={"year": 2024})
    second = await client.get("/v1/calendar.ics", params={"year": 2024})
    assert first.status_code == 200
    # Nothing changed in between: the same bytes, the same strong ETag, so the same UIDs.
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert first.headers["etag"].startswith('"')
    revision, changed_at = await _revision(runtime)
    events = _parse(first.content).walk("VEVENT")
    assert events
    for event in events:
        # DTSTAMP is when the calendar data last changed, not the time of the request.
        # (iCalendar date-times are to the second)
        assert event.decoded("DTSTAMP") == changed_at.replace(microsecond=0)
        assert event.decoded("LAST-MODIFIED") == changed_at.replace(microsecond=0)
        assert event.decoded("SEQUENCE") == revision
        # 2024 is decided (the Government's notice for Tết 2024 and the 2-9 swap).
        assert str(event["STATUS"]) == "CONFIRMED"


async def test_provisional_days_are_tentative(client: AsyncClient) -> None:
    # 2028 is not decided yet (no notice on its Tết days): the provisional days are TENTATIVE,
    # and exactly those.
    cal = _parse((await client.get("/v1/calendar.ics", params={"year": 2028})).content)
    statuses = {}
    for event in cal.walk("VEVENT"):
        day = event.decoded("DTSTART")
        answer = (await client.get(f"/v1/calendar/days/{day.isoformat()}")).json()
        statuses[day] = (str(event["STATUS"]), answer["provisional"])
    assert any(status == "TENTATIVE" for status, _ in statuses.values())
    for status, provisional in statuses.values():
        assert (status == "TENTATIVE") == provisional


async def test_a_feed_with_no_entries_is_still_a_calendar(
    client: AsyncClient, runtime: Runtime
) -> None:
    # Every supported year has days off and every profile has reports in every year, so a
    # year with no entries is rendered directly: the zone alone makes it a valid calendar.
    revision = ics.Revision(3, dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    assert _parse(ics.render("Lịch trống 2031", [], revision)).walk("VEVENT") == []
    # A profile with no open obligation: no event either, still a valid calendar.
    async with runtime.sessionmaker() as session:
        await session.execute(text("DELETE FROM obligations WHERE profile_code = :p"), {"p": QN})
    empty = await client.get("/v1/obligations.ics", params={"profile": QN})
    assert empty.status_code == 200, empty.text
    assert _parse(empty.content).walk("VEVENT") == []


async def test_obligations_feed_is_stable_and_sequenced(
    client: AsyncClient, api_key: KeyMaker
) -> None:
    writer = await api_key("write")
    created: dict[str, Any] = await create(client, writer, decision_body(issuer="UBND ICS"))
    first = await client.get("/v1/obligations.ics", params={"profile": QN})
    again = await client.get("/v1/obligations.ics", params={"profile": QN})
    assert first.content == again.content  # no time of request inside
    events = {str(e["UID"]): e for e in _parse(first.content).walk("VEVENT")}
    for obligation in created["obligations"]:
        if obligation["due_date"] is None:
            continue
        event = events[f"obligation-{obligation['id']}@vn-deadlines"]
        assert event.decoded("SEQUENCE") == 0  # its due date never moved
        tentative = obligation["provisional"] or obligation["projected"]
        assert (str(event["STATUS"]) == "TENTATIVE") == tentative
