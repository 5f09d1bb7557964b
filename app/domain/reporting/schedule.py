"""A profile's reporting schedule for a year or one period: windows, due dates per level, flags.

A profile's recurring duties apply to every year of the supported calendar, not only the year
its plan was written for: officials plan the next year's reports from this year's plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.domain.calendar import CalendarSnapshot
from app.domain.errors import DomainError, OutOfRange
from app.domain.reporting.catalog import ReportingCatalog
from app.domain.reporting.due import occurrence_of
from app.domain.reporting.levels import Level, LevelAbolished
from app.domain.reporting.model import AbsentLevel, Occurrence, PeriodEntry, Schedule
from app.domain.reporting.periods import Period, parse_period
from app.domain.reporting.rules import RecurringDuty, ReportingProfile


def refuse_if_abolished(
    level: Level | None, found: Iterable[Occurrence], absent: Iterable[AbsentLevel], when: str
) -> None:
    """An explicit level with nothing due and a reason it is gone is a request about a level
    that no longer exists: refused with the reason (the API answers 422)."""
    reasons = list(dict.fromkeys(a.reason for a in absent))
    if level is not None and reasons and not any(True for _ in found):
        raise LevelAbolished(
            f"no {level.value}-level report is due {when}: {' '.join(reasons)}", field="level"
        )


def _entries(
    calendar: CalendarSnapshot,
    catalog: ReportingCatalog,
    profile: ReportingProfile,
    level: Level | None,
    periods_of: Callable[[RecurringDuty], Iterable[Period]],
) -> list[PeriodEntry]:
    entries = []
    for duty in profile.duties:
        deadlines = [d for d in duty.deadlines if level is None or d.level is level]
        if not deadlines:
            continue
        for period in periods_of(duty):
            results = [
                occurrence_of(calendar, catalog, profile, duty, d, period) for d in deadlines
            ]
            window = catalog.cutoff(period.kind).window(period) if duty.periodic_report else None
            entries.append(
                PeriodEntry(
                    duty=duty,
                    period=period,
                    cutoff=window,
                    occurrences=tuple(r for r in results if isinstance(r, Occurrence)),
                    absent=tuple(r for r in results if isinstance(r, AbsentLevel)),
                )
            )
    entries.sort(key=lambda e: e.period.end)  # stable: duties keep the profile's order
    return entries


def _schedule(
    calendar: CalendarSnapshot,
    profile: ReportingProfile,
    scope: str,
    level: Level | None,
    entries: list[PeriodEntry],
) -> Schedule:
    refuse_if_abolished(
        level,
        (o for e in entries for o in e.occurrences),
        (a for e in entries for a in e.absent),
        f"in {scope}",
    )
    return Schedule(profile.code, scope, level, tuple(entries), calendar.revision)


def _within(calendar: CalendarSnapshot, year: int, field: str) -> None:
    if not calendar.first.year <= year <= calendar.last.year:
        raise OutOfRange(
            f"{year} is outside the supported calendar {calendar.first.year}..{calendar.last.year}",
            field=field,
        )


def year_schedule(
    calendar: CalendarSnapshot,
    catalog: ReportingCatalog,
    profile: str,
    year: int,
    level: str | None = None,
) -> Schedule:
    """Every period of `year` of each recurring duty: cut-off window, due date per level, flags
    and trace. Levels gone by a period's due date are listed as absent with the reason."""
    chosen, code = catalog.select(profile, level)
    _within(calendar, year, "year")
    entries = _entries(
        calendar, catalog, chosen, code, lambda duty: (s.in_year(year) for s in duty.periods)
    )
    return _schedule(calendar, chosen, str(year), code, entries)


def period_schedule(
    calendar: CalendarSnapshot,
    catalog: ReportingCatalog,
    profile: str,
    period: str,
    level: str | None = None,
) -> Schedule:
    """One period (e.g. "2025-Q3") of each duty that reports on it."""
    chosen, code = catalog.select(profile, level)
    wanted = parse_period(period)
    _within(calendar, wanted.year, "period")
    entries = _entries(
        calendar,
        catalog,
        chosen,
        code,
        lambda duty: (wanted,) if wanted.slot in duty.periods else (),
    )
    if not entries:
        who = f" at level {code.value!r}" if code else ""
        raise DomainError(
            f"no recurring duty of profile {chosen.code!r}{who} reports on {wanted.label_en}",
            field="period",
        )
    return _schedule(calendar, chosen, wanted.code, code, entries)
