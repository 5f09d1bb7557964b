"""iCalendar (RFC 5545) rendering of all-day entries.

- DTSTAMP and LAST-MODIFIED are the time the data behind the entry last changed (a revision's
  time), never the time of the request: a feed fetched twice without a change is byte-identical,
  so its ETag (a digest of the body) holds and calendar clients see no phantom updates.
- SEQUENCE is the revision the entry was last changed at; it only grows (RFC 5545 §3.8.7.4).
- Provisional days are STATUS:TENTATIVE, decided ones STATUS:CONFIRMED (§3.8.1.11).
- A feed always carries the VTIMEZONE of Asia/Ho_Chi_Minh, so a feed with no entries is still a
  valid VCALENDAR (§3.6 asks for at least one component); the entries themselves are all-day
  DATE values and need no zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone, TimezoneStandard
from starlette.requests import Request
from starlette.responses import Response

from app.api.kit.conditional import content_tag

PRODID = "-//vn-deadlines//calendar//VI"
ZONE = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class Revision:
    """A point in the data's history: its number and when it was made."""

    number: int
    at: dt.datetime


@dataclass(frozen=True)
class IcsEntry:
    uid: str
    day: dt.date
    summary: str
    description: str
    categories: tuple[str, ...] = ()
    tentative: bool = False
    changed: Revision | None = None  # when the entry last changed; else the feed's revision


def calendar_revision(request: Request, revision: int) -> Revision:
    """The calendar revision a snapshot was built from, with the time it was made."""
    state = request.app.state.runtime.calendar
    at = state.changed_at if state is not None else None
    return Revision(revision, at or dt.datetime(2019, 1, 1, tzinfo=dt.UTC))


def _vietnam() -> Timezone:
    """UTC+7 without daylight saving since 13 June 1975, when the South joined the North's
    zone (the tz database's Asia/Ho_Chi_Minh); earlier history is outside every feed."""
    zone = Timezone()
    zone.add("tzid", ZONE)
    standard = TimezoneStandard()
    # Local time, as RFC 5545 §3.6.5 asks of an observance's DTSTART.
    standard.add("dtstart", dt.datetime(1975, 6, 13))  # noqa: DTZ001
    standard.add("tzoffsetfrom", dt.timedelta(hours=8))
    standard.add("tzoffsetto", dt.timedelta(hours=7))
    standard.add("tzname", "ICT")
    zone.add_component(standard)
    return zone


def render(name: str, entries: Iterable[IcsEntry], revision: Revision) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", ZONE)
    cal.add_component(_vietnam())
    for entry in entries:
        changed = entry.changed or revision
        stamp = changed.at.astimezone(dt.UTC)
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", changed.number)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + dt.timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("status", "TENTATIVE" if entry.tentative else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        if entry.categories:
            event.add("categories", list(entry.categories))
        cal.add_component(event)
    return bytes(cal.to_ical())


def response(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        # The body is a pure function of the data, so its digest changes exactly when a byte
        # of the feed does.
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "ETag": content_tag(body),
        },
    )
