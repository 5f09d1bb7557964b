"""The statutory due date of a running clock, and how excluded time moves it.

Working-day and working-hour procedures move by the working time excluded (a pause of 3 h 45 min
within office hours moves the due 3 h 45 min of office hours later), so a pause over Tết or a
weekend costs nothing for the days the office is closed anyway. With appointments by session the
moved instant is then given as the end of its session. Calendar-day procedures count whole days
(Civil Code 2015 Arts. 147–148 know no parts of days): the last day moves by the number of
calendar days between the pause and the resumption, and is rolled again if it is a day off.
"""

from __future__ import annotations

import datetime as dt

from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers.appointment import Appointment
from app.domain.dossiers.periods import calendar_period_end, session_end
from app.domain.dossiers.processing import TimeUnit
from app.domain.dossiers.rules import ApologyRoll, ReappointmentRule
from app.domain.dossiers.timeline import WorkingTimeline
from app.domain.values import value


@value
class StatutoryDue:
    at: dt.datetime
    day: dt.date  # the due day (the last day of a calendar-day period ending at 24:00)
    last_day: dt.date  # calendar-day procedures: the last day before any roll

    @classmethod
    def of(cls, appointment: Appointment) -> StatutoryDue:
        last = appointment.counted_from.date() + dt.timedelta(
            days=appointment.processing_time.steps
        )
        return cls(appointment.due_at, appointment.due_day, last)


def excluding(
    due: StatutoryDue,
    start: dt.datetime,
    end: dt.datetime,
    unit: TimeUnit,
    timeline: WorkingTimeline,
) -> StatutoryDue:
    """The due once the time from start to end (a pause) no longer counts."""
    schedule, calendar = timeline.schedule, timeline.calendar
    if unit is TimeUnit.CALENDAR_DAYS:
        days = (end.date() - start.date()).days
        if not days:
            return due
        last = due.last_day + dt.timedelta(days=days)
        at, day = calendar_period_end(last, schedule, calendar, [])
        return StatutoryDue(at, day, last)
    moved = timeline.shift(due.at, timeline.between(start, end))
    if schedule.return_by_session and unit is TimeUnit.WORKING_DAYS:
        moved = session_end(moved, schedule, calendar)
    return StatutoryDue(moved, moved.date(), due.last_day)


def apology_deadline(
    due_day: dt.date, rule: ReappointmentRule, calendar: CalendarSnapshot
) -> dt.date:
    """The last day to send the apology and new appointment: `apology_lead_days` calendar days
    before the due day ("ít nhất 01 ngày", ND 61/2018 Art. 19(9)), counted backwards with no
    roll unless the rules say `preceding` (docs/legal-basis.md#counting-backward)."""
    day = due_day - dt.timedelta(days=rule.apology_lead_days)
    if rule.apology_roll is ApologyRoll.PRECEDING:
        day = calendar.on_or_before(day)
    return day
