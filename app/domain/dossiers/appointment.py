"""The stateless appointment: from a receipt and a processing time, when the result is due.

Semantics (the law fixes the day, practice fixes the time; docs/legal-basis.md#counting):

- The clock starts where `receipt.start_of_counting` says (after-hours receipts move).
- N working days: the N-th working day after the day the clock starts (that day is not counted,
  Civil Code 2015 Art. 147), at the clock time the counting started, as appointment slips give
  it: received Tuesday 09:00, 3 working days, due Friday 09:00. If the due day's hours differ
  and that time falls outside them, the due is the nearest earlier end of a window that day
  (before opening: the opening). Half a day is half of an ordinary working day's hours
  (7 h 30 min / 2 = 3 h 45 min by default), added in working time after the whole days.
- N working hours: counted in working time within the office's windows; the due is the first
  instant at which they have elapsed (the end of a session rather than the next opening).
- Appointments by session (nhận sáng trả sáng, nhận chiều trả chiều): periods of working days
  are counted in sessions, two per working day, from the session of receipt; the due is the end
  of the session reached (0.5 day from a morning: that afternoon; from an afternoon: the next
  working morning). Hour periods are not rounded.
- N calendar days: the N-th day after the day the clock starts; a last day that is a day off
  moves to the next working day (Art. 148(5)); it ends at 24:00 (Art. 148(6)), shown as 00:00
  of the next day with `due_day` the last day, or at the office's closing if the schedule says.

Every call costs a few look-ups: `add_working_days` is O(1) and hour arithmetic bisects the
cached working-time axis; nothing walks day by day.
"""

from __future__ import annotations

import datetime as dt

from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers.local_time import day_label
from app.domain.dossiers.periods import (
    by_session,
    calendar_period_end,
    working_days,
    working_hours,
)
from app.domain.dossiers.processing import ProcessingTime, TimeUnit
from app.domain.dossiers.receipt import Receipt, ReceiptTiming, start_of_counting
from app.domain.dossiers.schedule import OfficeSchedule
from app.domain.dossiers.trace import CIVIL_CODE_ANCHOR, TraceStep
from app.domain.values import value


@value
class Appointment:
    received_at: dt.datetime  # office time
    counted_from: dt.datetime  # where the clock started
    receipt_timing: ReceiptTiming
    processing_time: ProcessingTime
    schedule: str
    due_at: dt.datetime  # Asia/Ho_Chi_Minh
    due_day: dt.date  # the day to print on the slip (differs from due_at's date at 24:00)
    provisional: bool  # the answer rests on a day whose schedule is not yet decided
    calendar_revision: int
    trace: tuple[TraceStep, ...]


def compute_due(
    received_at: dt.datetime,
    processing_time: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    *,
    field: str = "received_at",
) -> Appointment:
    """The appointment for a dossier received at `received_at` (aware; any offset)."""
    receipt = start_of_counting(received_at, schedule, calendar, field)
    return appointment_from(receipt, processing_time, schedule, calendar)


def appointment_from(
    receipt: Receipt,
    processing_time: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
) -> Appointment:
    steps = [receipt.trace]
    unit = processing_time.unit
    if unit is TimeUnit.CALENDAR_DAYS:
        anchor = receipt.counted_from.date()
        last = anchor + dt.timedelta(days=processing_time.steps)
        steps.append(
            TraceStep(
                "counted",
                f"{processing_time} after {day_label(anchor)} (not counted): {day_label(last)}",
                citation=CIVIL_CODE_ANCHOR,
            )
        )
        due_at, due_day = calendar_period_end(last, schedule, calendar, steps)
    else:
        if unit is TimeUnit.WORKING_HOURS:
            due_at = working_hours(receipt, processing_time, schedule, calendar, steps)
        elif schedule.return_by_session:
            due_at = by_session(receipt, processing_time, schedule, calendar, steps)
        else:
            due_at = working_days(receipt, processing_time, schedule, calendar, steps)
        due_day = due_at.date()
    return Appointment(
        received_at=receipt.received_at,
        counted_from=receipt.counted_from,
        receipt_timing=receipt.timing,
        processing_time=processing_time,
        schedule=schedule.code,
        due_at=due_at,
        due_day=due_day,
        provisional=calendar.provisional_between(receipt.received_at.date(), due_day),
        calendar_revision=calendar.revision,
        trace=tuple(steps),
    )
