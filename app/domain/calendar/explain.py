"""Short, human-checkable traces of working-day arithmetic: the days off skipped and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from app.domain.calendar.model import DayInfo, DayKind
from app.domain.calendar.snapshot import CalendarSnapshot


@dataclass(frozen=True, slots=True)
class SpanStep:
    """One line of a trace. `date` is None for summary lines (e.g. the weekend count)."""

    step: str
    detail: str
    date: dt.date | None = None
    kind: DayKind | None = None
    source: str | None = None


@lru_cache(maxsize=4096)
def _day_step(day: DayInfo) -> SpanStep:
    """The trace line of one notable day (cached: the same holidays recur in every trace)."""
    name = day.name_vi or ""
    if day.name_en:
        name += f" ({day.name_en})"
    verb = "counted" if day.working else "skipped"
    return SpanStep(
        step=verb,
        detail=f"{verb}: {day.kind.value} — {name}",
        date=day.date,
        kind=day.kind,
        source=day.source,
    )


def span_steps(calendar: CalendarSnapshot, first: dt.date, last: dt.date) -> list[SpanStep]:
    """What lies in [first, last] besides plain working days: each holiday, compensatory or
    swapped day with its name and legal source, and the number of weekend days."""
    if last < first:
        return []
    notable = calendar.notable_days(first, last)
    steps = [_day_step(day) for day in notable]
    off = sum(not day.working for day in notable)
    working = calendar.count_working_days(first, last) + calendar.is_working(first)
    weekends = (last - first).days + 1 - working - off
    if weekends:
        steps.append(
            SpanStep(
                step="weekends",
                detail=f"{weekends} weekend day(s) skipped (Quyết định 188/1999/QĐ-TTg)",
            )
        )
    return steps


def add_trace(
    calendar: CalendarSnapshot, start: dt.date, days: int, result: dt.date
) -> list[SpanStep]:
    head = SpanStep(
        step="start",
        date=start,
        detail="the start day is not counted; counting begins the next day "
        "(Bộ luật Dân sự 2015, Điều 147)",
    )
    if days == 0:
        return [head, SpanStep(step="result", date=result, detail="0 working days: the start day")]
    first, last = (
        (start + dt.timedelta(days=1), result)
        if days > 0
        else (result, start - dt.timedelta(days=1))
    )
    direction = "after" if days > 0 else "before"
    tail = SpanStep(
        step="result",
        date=result,
        detail=f"working day {abs(days)} {direction} {start.isoformat()}",
    )
    return [head, *span_steps(calendar, first, last), tail]


def count_trace(
    calendar: CalendarSnapshot, start: dt.date, end: dt.date, count: int
) -> list[SpanStep]:
    lo, hi = sorted((start, end))
    steps = [
        SpanStep(
            step="span",
            detail=f"working days in ({lo.isoformat()}, {hi.isoformat()}]: the first day is "
            "excluded, the last included"
            + (" (negative: end is before start)" if end < start else ""),
        )
    ]
    steps += span_steps(calendar, lo + dt.timedelta(days=1), hi)
    steps.append(SpanStep(step="result", detail=f"{count} working day(s)"))
    return steps
