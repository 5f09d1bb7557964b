"""Counting a period forward from the start of the clock, one function per kind of period.

The semantics are documented in `appointment`; each function appends its steps to the trace.
"""

from __future__ import annotations

import datetime as dt

from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers.local_time import (
    SECONDS_PER_DAY,
    at_seconds,
    day_label,
    duration,
    hhmm,
    seconds_of_day,
)
from app.domain.dossiers.processing import ProcessingTime
from app.domain.dossiers.receipt import Receipt
from app.domain.dossiers.schedule import SESSIONS, CalendarDayEnd, OfficeSchedule, Windows
from app.domain.dossiers.timeline import timeline_for
from app.domain.dossiers.trace import (
    CIVIL_CODE_ANCHOR,
    CIVIL_CODE_MIDNIGHT,
    CIVIL_CODE_ROLL,
    TraceStep,
)


def skipped_days(calendar: CalendarSnapshot, after: dt.date, through: dt.date) -> str:
    """'; on the way: 2024-04-29 (Mon) swap_off, ...' for the notable days in (after, through]."""
    if through <= after:
        return ""
    found = calendar.notable_days(after + dt.timedelta(days=1), through)
    if not found:
        return ""
    named = ", ".join(f"{day_label(d.date)} {d.kind.value} ({d.name_en})" for d in found)
    return f"; on the way: {named}"


def place_on_day(seconds: int, windows: Windows) -> int:
    """The clock time kept on a due day whose hours may differ: inside a window it stays; in a
    gap it becomes the end of the earlier window; before opening the opening; after closing the
    closing. Each is the same instant of working time as the time asked for."""
    previous_end: int | None = None
    for window in windows:
        if seconds < window.start:
            return window.start if previous_end is None else previous_end
        if seconds <= window.end:
            return seconds
        previous_end = window.end
    return windows[-1].end


def working_days(
    receipt: Receipt,
    processing_time: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    steps: list[TraceStep],
) -> dt.datetime:
    start = receipt.counted_from
    whole, half = divmod(processing_time.steps, 2)
    day = start.date()
    if whole:
        day = calendar.add_working_days(day, whole, field="amount")
        steps.append(
            TraceStep(
                "counted",
                f"{whole} working days after {day_label(start.date())} (not counted): "
                f"{day_label(day)}, at the time the clock started "
                f"({start:%H:%M}){skipped_days(calendar, start.date(), day)}",
                citation=CIVIL_CODE_ANCHOR,
            )
        )
    clock = seconds_of_day(start)
    placed = place_on_day(clock, schedule.windows_on(calendar.day(day)))
    end = at_seconds(day, placed)
    if placed != clock:
        steps.append(
            TraceStep("placed", f"{start:%H:%M} is outside that day's hours: {hhmm(end)}", at=end)
        )
    if half:
        half_day = schedule.standard_day / 2
        before = end
        end = timeline_for(calendar, schedule).after(end, half_day, field="amount")
        steps.append(
            TraceStep(
                "half_day",
                f"half a working day ({duration(half_day)}, half of the ordinary "
                f"{duration(schedule.standard_day)}) of working time after {hhmm(before)}: "
                f"{hhmm(end)}{skipped_days(calendar, before.date(), end.date())}",
                at=end,
            )
        )
    return end


def by_session(
    receipt: Receipt,
    processing_time: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    steps: list[TraceStep],
) -> dt.datetime:
    start = receipt.counted_from
    day = start.date()
    windows = schedule.windows_on(calendar.day(day))
    session = 0 if seconds_of_day(start) < windows[0].end else 1
    days_on, target = divmod(session + processing_time.steps, len(SESSIONS))
    due_day = calendar.add_working_days(day, days_on, field="amount") if days_on else day
    due = at_seconds(due_day, schedule.windows_on(calendar.day(due_day))[target].end)
    steps.append(
        TraceStep(
            "session",
            f"appointment by session (nhận sáng trả sáng, nhận chiều trả chiều): received in the "
            f"{SESSIONS[session]} session of {day_label(day)}; {processing_time.steps} "
            f"half-day sessions later is the {SESSIONS[target]} session of "
            f"{day_label(due_day)}, due at its end{skipped_days(calendar, day, due_day)}",
            at=due,
        )
    )
    return due


def working_hours(
    receipt: Receipt,
    processing_time: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    steps: list[TraceStep],
) -> dt.datetime:
    start = receipt.counted_from
    span = dt.timedelta(minutes=processing_time.steps)
    end = timeline_for(calendar, schedule).after(start, span, field="amount")
    note = (
        "; appointments by session apply to day periods only" if schedule.return_by_session else ""
    )
    steps.append(
        TraceStep(
            "hours",
            f"{duration(span)} of working time within the office hours from {hhmm(start)}: "
            f"{hhmm(end)}{skipped_days(calendar, start.date(), end.date())}{note}",
            at=end,
        )
    )
    return end


def calendar_period_end(
    last: dt.date,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    steps: list[TraceStep],
) -> tuple[dt.datetime, dt.date]:
    """(due_at, due_day) of a calendar-day period whose last day, before any roll, is `last`."""
    calendar.index(last, "amount")
    day = calendar.on_or_after(last)
    if day != last:
        off = calendar.day(last)
        steps.append(
            TraceStep(
                "rolled",
                f"{day_label(last)} is a day off ({off.kind.value}): the period ends with the "
                f"next working day {day_label(day)}{skipped_days(calendar, last, day)}",
                citation=CIVIL_CODE_ROLL,
            )
        )
    if schedule.calendar_days_end is CalendarDayEnd.CLOSING:
        due = at_seconds(day, schedule.windows_on(calendar.day(day))[-1].end)
        steps.append(TraceStep("period_end", f"ends at the office's closing: {hhmm(due)}", at=due))
    else:
        due = at_seconds(day, SECONDS_PER_DAY)
        steps.append(
            TraceStep(
                "period_end",
                f"ends at 24:00 of {day_label(day)}, written {hhmm(due)}",
                at=due,
                citation=CIVIL_CODE_MIDNIGHT,
            )
        )
    return due, day


def session_end(
    instant: dt.datetime, schedule: OfficeSchedule, calendar: CalendarSnapshot
) -> dt.datetime:
    """The end of the session (window) an instant of a working day falls in; an instant on a
    boundary belongs to the session it ends."""
    day = instant.date()
    windows = schedule.windows_on(calendar.day(day))
    seconds = seconds_of_day(instant)
    for window in windows:
        if seconds <= window.end:
            return at_seconds(day, window.end)
    return at_seconds(day, windows[-1].end)
