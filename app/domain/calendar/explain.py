"""Short, human-checkable traces of working-day arithmetic: the days off skipped and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from app.domain.calendar.model import DayInfo
from app.domain.calendar.snapshot import CalendarSnapshot
from app.domain.citations import Citation, Confidence, cited


class CalendarStepKind(StrEnum):
    """The steps of a working-day answer (GET /v1/calendar/working-days/add and /count)."""

    START = "start"  # the start day, not counted (Civil Code 2015 Art. 147)
    SPAN = "span"  # the days a count covers: (start, end]
    SKIPPED = "skipped"  # a holiday, compensatory or swapped day off passed over
    COUNTED = "counted"  # a Saturday worked under a day-swap notice, counted
    WEEKENDS = "weekends"  # the plain Saturdays and Sundays passed over
    RESULT = "result"  # the answer


# The start day is not counted (Art. 147); weekends are the weekly rest days of QĐ 188/1999.
START_CITATION = Citation("Bộ luật Dân sự 2015", "Điều 147", Confidence.VERIFIED)
WEEKENDS_CITATION = Citation("Quyết định 188/1999/QĐ-TTg", None, Confidence.VERIFIED)


@dataclass(frozen=True, slots=True)
class SpanStep:
    """One line of a trace. `date` is None for summary lines (e.g. the weekend count).

    `day`: the holiday, compensatory or swapped day a skipped or counted step concerns.
    `citation`: the document behind the step (a day's official source, as the calendar data
    gives it with its confidence). `weekend_days`: plain weekend days a weekends step counts.
    """

    step: CalendarStepKind
    detail: str
    date: dt.date | None = None
    citation: Citation | None = None
    day: DayInfo | None = None
    weekend_days: int = 0


def day_citation(day: DayInfo) -> Citation | None:
    """The official document behind a day, if it names one. A source entered without a
    confidence mark is not known to have been read in the text: '?'."""
    if not day.source:
        return None
    return cited(day.source, day.confidence or Confidence.UNCERTAIN)


@lru_cache(maxsize=4096)
def _day_step(day: DayInfo) -> SpanStep:
    """The trace line of one notable day (cached: the same holidays recur in every trace)."""
    name = day.name_vi or ""
    if day.name_en:
        name += f" ({day.name_en})"
    verb = CalendarStepKind.COUNTED if day.working else CalendarStepKind.SKIPPED
    return SpanStep(
        step=verb,
        detail=f"{verb.value}: {day.kind.value} — {name}",
        date=day.date,
        citation=day_citation(day),
        day=day,
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
        steps.append(_weekends_step(weekends))
    return steps


# The start and weekend lines recur from answer to answer: built once each (like the notable
# days' lines), so that an answer's encoding finds them remembered too (app/api/wire/trace.py).
@lru_cache(maxsize=1024)
def _weekends_step(weekends: int) -> SpanStep:
    return SpanStep(
        step=CalendarStepKind.WEEKENDS,
        detail=f"{weekends} weekend day(s) skipped (Quyết định 188/1999/QĐ-TTg)",
        citation=WEEKENDS_CITATION,
        weekend_days=weekends,
    )


@lru_cache(maxsize=8192)
def _start_step(start: dt.date) -> SpanStep:
    return SpanStep(
        step=CalendarStepKind.START,
        date=start,
        detail="the start day is not counted; counting begins the next day "
        "(Bộ luật Dân sự 2015, Điều 147)",
        citation=START_CITATION,
    )


def add_trace(
    calendar: CalendarSnapshot, start: dt.date, days: int, result: dt.date
) -> list[SpanStep]:
    head = _start_step(start)
    if days == 0:
        zero = SpanStep(CalendarStepKind.RESULT, "0 working days: the start day", result)
        return [head, zero]
    first, last = (
        (start + dt.timedelta(days=1), result)
        if days > 0
        else (result, start - dt.timedelta(days=1))
    )
    direction = "after" if days > 0 else "before"
    tail = SpanStep(
        step=CalendarStepKind.RESULT,
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
            step=CalendarStepKind.SPAN,
            detail=f"working days in ({lo.isoformat()}, {hi.isoformat()}]: the first day is "
            "excluded, the last included"
            + (" (negative: end is before start)" if end < start else ""),
        )
    ]
    steps += span_steps(calendar, lo + dt.timedelta(days=1), hi)
    steps.append(SpanStep(CalendarStepKind.RESULT, f"{count} working day(s)"))
    return steps
