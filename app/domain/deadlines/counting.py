"""Counting a period and rolling its last day, each step with its trace
(docs/legal-basis.md#counting)."""

from __future__ import annotations

import datetime as dt

from app.domain.calendar.snapshot import CalendarSnapshot
from app.domain.deadlines import notes
from app.domain.deadlines.model import Direction, Roll, Unit
from app.domain.deadlines.period import add_months
from app.domain.deadlines.result import StepKind, TraceStep
from app.domain.errors import OutOfRange

_DAY = dt.timedelta(days=1)


def last_day(
    calendar: CalendarSnapshot, anchor: dt.date, amount: int, unit: Unit, direction: Direction
) -> dt.date:
    """The last day of the period before any roll. The anchor day is not counted (Art. 147)."""
    sign = 1 if direction is Direction.FORWARD else -1
    if unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(anchor, sign * amount, field="amount")
    calendar.index(anchor, "anchor")
    try:
        if unit is Unit.MONTHS:
            end = add_months(anchor, sign * amount)
        else:
            days = amount * 7 if unit is Unit.WEEKS else amount
            end = anchor + dt.timedelta(days=sign * days)
    except (OverflowError, ValueError):
        end = None
    if end is None or not calendar.first <= end <= calendar.last:
        raise OutOfRange(
            f"{notes.amount_words(amount, unit)} {direction} from {anchor.isoformat()} leaves "
            f"the supported calendar {calendar.first.isoformat()}..{calendar.last.isoformat()}",
            field="amount",
        )
    return end


def roll_day(calendar: CalendarSnapshot, d: dt.date, roll: Roll) -> dt.date:
    if roll is Roll.FOLLOWING:
        return calendar.on_or_after(d)
    if roll is Roll.PRECEDING:
        return calendar.on_or_before(d)
    return d


def count_step(
    calendar: CalendarSnapshot,
    anchor: dt.date,
    end: dt.date,
    amount: int,
    unit: Unit,
    direction: Direction,
) -> TraceStep:
    """The count from the anchor to the last day, naming the days off it passed over."""
    words = notes.amount_words(amount, unit)
    if amount == 0:
        return TraceStep(StepKind.COUNT, f"0 days: the anchor day itself, {notes.fmt(end)}", end)
    if direction is Direction.FORWARD:
        span = (anchor + _DAY, end)
        head = f"{words} after {notes.fmt(anchor)} (that day not counted): the last day is"
    else:
        span = (end, anchor - _DAY)
        head = f"{words} before {notes.fmt(anchor)}: the latest day is"
    notable = tuple(calendar.notable_days(*span))
    weekends = calendar.weekend_days_between(*span)
    if unit is Unit.WORKING_DAYS:
        skipped = weekends + sum(1 for d in notable if not d.working)
        tail = f"; {skipped} day(s) off skipped" if skipped else ""
    else:
        off = weekends + sum(1 for d in notable if not d.working)
        tail = f"; the span includes {off} day(s) off, counted as calendar days" if off else ""
    return TraceStep(
        StepKind.COUNT,
        f"{head} {notes.fmt(end)}{tail}",
        end,
        citation=notes.COUNT_BASIS[unit],
        notable_days=notable,
        weekend_days=weekends,
    )


def roll_step(calendar: CalendarSnapshot, raw: dt.date, rolled: dt.date, roll: Roll) -> TraceStep:
    """Why the last day moved (or, with roll = none, why a day off was kept)."""
    info = calendar.day(raw)
    if rolled == raw:
        return TraceStep(
            StepKind.ROLL,
            f"{notes.fmt(raw)} is {notes.why_off(info)}; roll = none: the day is kept",
            raw,
            notable_days=tuple(calendar.notable_days(raw, raw)),
            weekend_days=calendar.weekend_days_between(raw, raw),
        )
    if roll is Roll.FOLLOWING:
        span = (raw, rolled - _DAY)
        where, basis = "the next working day", notes.ROLL_FOLLOWING
    else:
        span = (rolled + _DAY, raw)
        where, basis = "the previous working day", None
    return TraceStep(
        StepKind.ROLL,
        f"{notes.fmt(raw)} is {notes.why_off(info)}: moved to {where}, {notes.fmt(rolled)}",
        rolled,
        citation=basis,
        notable_days=tuple(calendar.notable_days(*span)),
        weekend_days=calendar.weekend_days_between(*span),
    )
