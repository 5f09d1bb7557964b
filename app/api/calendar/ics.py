"""iCalendar (RFC 5545) rendering of all-day entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event
from starlette.responses import Response

PRODID = "-//vn-deadlines//calendar//VI"


@dataclass(frozen=True)
class IcsEntry:
    uid: str
    day: dt.date
    summary: str
    description: str
    categories: tuple[str, ...] = ()


def render(name: str, entries: Iterable[IcsEntry], stamp: dt.datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + dt.timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("transp", "TRANSPARENT")
        if entry.categories:
            event.add("categories", list(entry.categories))
        cal.add_component(event)
    return bytes(cal.to_ical())


def response(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
