"""When the processing clock starts for a dossier received at a given instant.

A receipt inside a counting window starts the clock at once. Otherwise the clock starts at the
next opening: before opening or during the lunch break, the same day's next window; after
closing (or after the office's cut-off), on a weekend, a holiday, or during a Saturday
reception, the next working day's first window. Counting from the next working day is practice,
not a rule found in the law (docs/legal-basis.md#national-rules); the after-hours policy of the
schedule may
instead treat an after-closing receipt as received at that day's closing.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from app.domain.calendar import CalendarSnapshot
from app.domain.citations import Citation
from app.domain.dossiers.local_time import at_seconds, hhmm, seconds_of_day, to_local
from app.domain.dossiers.schedule import AfterHoursPolicy, OfficeSchedule
from app.domain.dossiers.trace import AFTER_HOURS_PRACTICE, OFFICE_HOURS, TraceStep
from app.domain.values import value


class ReceiptTiming(StrEnum):
    IN_HOURS = "in_hours"
    BEFORE_OPENING = "before_opening"
    BETWEEN_WINDOWS = "between_windows"  # e.g. the lunch break
    AFTER_CUTOFF = "after_cutoff"
    AFTER_CLOSING = "after_closing"
    SATURDAY_RECEPTION = "saturday_reception"  # counter open, but Saturday does not count
    DAY_OFF = "day_off"


@value
class Receipt:
    received_at: dt.datetime  # as received, in office time
    counted_from: dt.datetime  # where the clock starts
    timing: ReceiptTiming
    trace: TraceStep


def _next_opening(
    day: dt.date, schedule: OfficeSchedule, calendar: CalendarSnapshot
) -> dt.datetime:
    following = calendar.next_working_day(day)
    return at_seconds(following, schedule.windows_on(calendar.day(following))[0].start)


def start_of_counting(
    received_at: dt.datetime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    field: str = "received_at",
) -> Receipt:
    local = to_local(received_at, field)
    calendar.index(local.date(), field)  # OutOfRange naming the caller's field
    day = calendar.day(local.date())
    seconds = seconds_of_day(local)
    timing: ReceiptTiming
    if not day.working:
        saturday = schedule.receives_on(day, seconds)
        timing = ReceiptTiming.SATURDAY_RECEPTION if saturday else ReceiptTiming.DAY_OFF
        start = _next_opening(day.date, schedule, calendar)
        why = (
            "during the Saturday reception; Saturday is not a counting day"
            if saturday
            else f"on a day off ({day.kind.value}{', ' + day.name_en if day.name_en else ''})"
        )
        return _receipt(local, start, timing, f"{why}: counted from the next opening", OFFICE_HOURS)

    windows = schedule.windows_on(day)
    cutoff = schedule.receipt_cutoff
    after_cutoff = cutoff is not None and seconds >= seconds_of_day(cutoff)
    if after_cutoff or seconds >= windows[-1].end:
        timing = ReceiptTiming.AFTER_CUTOFF if after_cutoff else ReceiptTiming.AFTER_CLOSING
        what = f"after the {cutoff:%H:%M} cut-off" if after_cutoff else "after closing"
        if schedule.after_hours is AfterHoursPolicy.SAME_DAY_CLOSING:
            start = at_seconds(day.date, windows[-1].end)
            how = "treated as received at closing (after-hours policy same_day_closing)"
        else:
            start = _next_opening(day.date, schedule, calendar)
            how = "counted from the next working day's opening (after-hours policy next_opening)"
        return _receipt(local, start, timing, f"{what}: {how}", AFTER_HOURS_PRACTICE)

    for index, window in enumerate(windows):
        if seconds < window.start:
            timing = ReceiptTiming.BEFORE_OPENING if index == 0 else ReceiptTiming.BETWEEN_WINDOWS
            what = "before opening" if index == 0 else "between sessions"
            start = at_seconds(day.date, window.start)
            return _receipt(local, start, timing, f"{what}: counted from {window}", OFFICE_HOURS)
        if seconds < window.end:
            break
    return _receipt(local, local, ReceiptTiming.IN_HOURS, "within office hours", None)


def _receipt(
    local: dt.datetime,
    start: dt.datetime,
    timing: ReceiptTiming,
    why: str,
    citation: Citation | None,
) -> Receipt:
    detail = f"received {hhmm(local)}, {why}"
    if start != local:
        detail += f": {hhmm(start)}"
    step = TraceStep("received", detail, at=start, citation=citation)
    return Receipt(received_at=local, counted_from=start, timing=timing, trace=step)
