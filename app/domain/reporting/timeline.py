"""Occurrences over time: what is due next, and every due date in a range (an iCalendar feed).

A profile's recurring duties apply to every year of the supported calendar, not only the year
its plan was written for: officials plan the next year's reports from this year's plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from app.domain.calendar import CalendarSnapshot
from app.domain.errors import DomainError, OutOfRange
from app.domain.reporting.catalog import ReportingCatalog
from app.domain.reporting.due import occurrence_of
from app.domain.reporting.levels import Level
from app.domain.reporting.model import AbsentLevel, Occurrence, Upcoming, UpcomingDue
from app.domain.reporting.rules import LevelDeadline, RecurringDuty, ReportingProfile
from app.domain.reporting.schedule import refuse_if_abolished

_LEVEL_ORDER = {level: i for i, level in enumerate(Level)}


def _pairs(
    profile: ReportingProfile, level: Level | None
) -> Iterator[tuple[RecurringDuty, LevelDeadline]]:
    for duty in profile.duties:
        for deadline in duty.deadlines:
            if level is None or deadline.level is level:
                yield duty, deadline


def _occurrences_of(
    calendar: CalendarSnapshot,
    catalog: ReportingCatalog,
    profile: ReportingProfile,
    duty: RecurringDuty,
    deadline: LevelDeadline,
    years: range,
) -> Iterator[Occurrence | AbsentLevel]:
    """One duty at one level, period after period; occurrences the supported calendar cannot
    answer (a roll past its first or last day) are left out: they fall outside it anyway."""
    for year in years:
        for period in sorted((s.in_year(year) for s in duty.periods), key=lambda p: p.end):
            try:
                yield occurrence_of(calendar, catalog, profile, duty, deadline, period)
            except OutOfRange:
                continue


def _order(o: Occurrence) -> tuple[dt.date, int]:
    return o.due_date, _LEVEL_ORDER[o.level]


def occurrences_between(
    calendar: CalendarSnapshot,
    catalog: ReportingCatalog,
    profile: str,
    start: dt.date,
    end: dt.date,
    level: str | None = None,
) -> Iterator[Occurrence]:
    """Every occurrence due in [start, end], by due date: the events of an iCalendar feed."""
    chosen, code = catalog.select(profile, level)
    calendar.index(start, "from")
    calendar.index(end, "to")
    if end < start:
        raise DomainError("the range ends before it starts", field="to")
    # A period's due day lies in its own last month, so only a roll can cross a year boundary:
    # one year on each side is enough.
    first_year = max(start.year - 1, calendar.first.year)
    years = range(first_year, min(end.year + 1, calendar.last.year) + 1)
    found: list[Occurrence] = []
    absent: list[AbsentLevel] = []
    for duty, deadline in _pairs(chosen, code):
        for r in _occurrences_of(calendar, catalog, chosen, duty, deadline, years):
            if not start <= r.due_date <= end:
                continue
            if isinstance(r, AbsentLevel):
                absent.append(r)
            else:
                found.append(r)
    refuse_if_abolished(code, found, absent, f"between {start.isoformat()} and {end.isoformat()}")
    return iter(sorted(found, key=_order))


def upcoming(
    calendar: CalendarSnapshot,
    catalog: ReportingCatalog,
    profile: str,
    as_of: dt.date,
    level: str | None = None,
    count: int = 1,
) -> Upcoming:
    """The next `count` occurrence(s) due on or after `as_of` of each recurring duty and level."""
    chosen, code = catalog.select(profile, level)
    calendar.index(as_of, "as_of")
    if count < 1:
        raise DomainError("count must be at least 1", field="count")
    years = range(max(as_of.year - 1, calendar.first.year), calendar.last.year + 1)
    items: list[UpcomingDue] = []
    absent: list[AbsentLevel] = []
    beyond: list[str] = []
    for duty, deadline in _pairs(chosen, code):
        taken = 0
        gone: AbsentLevel | None = None
        for r in _occurrences_of(calendar, catalog, chosen, duty, deadline, years):
            if isinstance(r, AbsentLevel):
                gone = r  # a level once gone stays gone: nothing later is due
                if r.due_date >= as_of:
                    break
                continue
            if r.due_date < as_of:
                continue
            items.append(_upcoming_due(calendar, catalog, as_of, r))
            taken += 1
            if taken == count:
                break
        if gone is not None:
            absent.append(gone)
        elif taken < count:
            beyond.append(f"{duty.code}/{deadline.level.value}")
    refuse_if_abolished(
        code, [i.occurrence for i in items], absent, f"on or after {as_of.isoformat()}"
    )
    items.sort(key=lambda i: _order(i.occurrence))
    return Upcoming(chosen.code, as_of, code, tuple(items), tuple(absent), tuple(beyond))


def _upcoming_due(
    calendar: CalendarSnapshot, catalog: ReportingCatalog, as_of: dt.date, o: Occurrence
) -> UpcomingDue:
    left = calendar.count_working_days(as_of, o.due_date)
    return UpcomingDue(
        occurrence=o,
        working_days_left=left,
        calendar_days_left=(o.due_date - as_of).days,
        due_soon=left <= catalog.policy.due_soon_working_days,
    )
