"""The due date of one duty, for one level and one period, with its trace.

Steps, each recorded: the period and its last month; the day the phrase names ("trước ngày D"
read per the profile); the roll when that day is a day off; whether the level (and the office
it reports to) exists on the due date; the ND 09/2019 data cut-off and the time left after it.
"""

from __future__ import annotations

import datetime as dt

from app.domain.calendar import CalendarSnapshot
from app.domain.citations import Citation
from app.domain.reporting.catalog import ReportingCatalog
from app.domain.reporting.cutoff import CutoffCheck, check_cutoff
from app.domain.reporting.model import (
    AbsentLevel,
    DayOffFlag,
    Occurrence,
    ReportStepKind,
    TraceStep,
)
from app.domain.reporting.periods import Period
from app.domain.reporting.rules import (
    Bound,
    LevelDeadline,
    RecurringDuty,
    ReportingProfile,
    Roll,
)

_ONE_DAY = dt.timedelta(days=1)

# Why a level is judged on the due date rather than on the period's dates: a body acts on the
# day it must send the report, so it must exist that day. For every rule in the data the due day
# lies in the period's last month, so this is the same as "the period ends before the level is
# abolished": Q2 2025 (due 19/6/2025) still has a district report, Q3 2025 (due in September),
# the first nine months and the year 2025 (due in September and December) do not.
LEVEL_ON_DUE_DATE = (
    "a level reports for a period only if it exists on the due date, the day it must act"
)


def _named_day(
    deadline: LevelDeadline, profile: ReportingProfile, period: Period
) -> tuple[dt.date, list[TraceStep], list[str]]:
    named = dt.date(period.year, period.last_month, deadline.day)
    steps = [
        TraceStep(
            ReportStepKind.FIXED_DAY,
            f"'{deadline.phrase}': day {deadline.day} of the period's last month "
            f"({deadline.bound.value})",
            named,
            deadline.citation,
        )
    ]
    notes: list[str] = []
    if deadline.bound is Bound.BEFORE:
        notes.append(profile.before_reason)
        if not profile.before_inclusive:
            named -= _ONE_DAY
            steps.append(
                TraceStep(
                    ReportStepKind.BEFORE,
                    f"'trước ngày {deadline.day}' read strictly: the day before",
                    named,
                )
            )
        else:
            steps.append(
                TraceStep(
                    ReportStepKind.BEFORE,
                    f"'trước ngày {deadline.day}' read as inclusive",
                    named,
                )
            )
    return named, steps, notes


def _roll(
    calendar: CalendarSnapshot, nominal: dt.date, roll: Roll
) -> tuple[dt.date, DayOffFlag | None]:
    info = calendar.day(nominal)
    if info.working:
        return nominal, None
    match roll:
        case Roll.FOLLOWING:
            due = calendar.next_working_day(nominal)
        case Roll.PRECEDING:
            due = calendar.previous_working_day(nominal)
        case Roll.NONE:
            due = nominal
    flag = DayOffFlag(nominal, info.kind, info.name_vi, info.name_en, info.source, roll, due)
    return due, flag


def _absence(
    catalog: ReportingCatalog, duty_code: str, deadline: LevelDeadline, due: dt.date
) -> AbsentLevel | None:
    level = catalog.levels[deadline.level]
    if not level.exists_on(due):
        return AbsentLevel(duty_code, deadline.level, level.absence_reason(), due)
    if deadline.requires is not None:
        required = catalog.levels[deadline.requires]
        if not required.exists_on(due):
            reason = f"{required.absence_reason()} This duty depends on it: {deadline.note}"
            return AbsentLevel(duty_code, deadline.level, reason.rstrip(": "), due)
    return None


def _levels_present(
    catalog: ReportingCatalog, deadline: LevelDeadline, due: dt.date
) -> tuple[list[TraceStep], list[Citation]]:
    """Trace the levels with an end date that this occurrence relies on (they exist on `due`)."""
    steps, citations = [], []
    for code in (deadline.level, deadline.requires):
        level = None if code is None else catalog.levels[code]
        if level is None or level.abolished_from is None:
            continue
        role = "" if code is deadline.level else " (this duty depends on it)"
        steps.append(
            TraceStep(
                ReportStepKind.LEVEL,
                f"{level.name_en} exists on {due.isoformat()}{role}; "
                f"it ends on {level.abolished_from.isoformat()}",
                due,
                level.citation,
            )
        )
        if level.citation is not None:
            citations.append(level.citation)
    return steps, citations


def _cutoff(
    calendar: CalendarSnapshot, catalog: ReportingCatalog, period: Period, due: dt.date
) -> tuple[CutoffCheck, TraceStep]:
    window = catalog.cutoff(period.kind).window(period)
    minimum = catalog.policy.min_working_days_after_cutoff
    check = check_cutoff(calendar, window, due, minimum)
    verdict = "enough" if check.ok else "too few"
    if due <= window.end:
        verdict += ": due before the data window closes"
    step = TraceStep(
        ReportStepKind.CUTOFF,
        f"data cut-off {window.start.isoformat()}..{window.end.isoformat()}; "
        f"{check.working_days_between} working day(s) strictly between its close and the due "
        f"date, at least {minimum} wanted: {verdict}",
        window.end,
        window.citation,
    )
    return check, step


def occurrence_of(
    calendar: CalendarSnapshot,
    catalog: ReportingCatalog,
    profile: ReportingProfile,
    duty: RecurringDuty,
    deadline: LevelDeadline,
    period: Period,
) -> Occurrence | AbsentLevel:
    """The due date of `duty` for `deadline.level` in `period`, or why there is none."""
    steps = [
        TraceStep(
            ReportStepKind.PERIOD,
            f"{period.label_vi} ({period.label_en}): {period.start.isoformat()}.."
            f"{period.end.isoformat()}",
            period.end,
            duty.citation,
        )
    ]
    nominal, named_steps, notes = _named_day(deadline, profile, period)
    steps += named_steps
    due, day_off = _roll(calendar, nominal, deadline.roll)
    if day_off is not None:
        notes.append(deadline.roll_reason)
        steps.append(
            TraceStep(
                ReportStepKind.ROLL,
                f"{nominal.isoformat()} is a day off ({day_off.kind.value}: "
                f"{day_off.name_en or day_off.name_vi}); roll {deadline.roll.value} → "
                f"{due.isoformat()}",
                due,
            )
        )
    absent = _absence(catalog, duty.code, deadline, due)
    if absent is not None:
        return absent
    level_steps, citations = _levels_present(catalog, deadline, due)
    steps += level_steps
    if level_steps:
        notes.append(LEVEL_ON_DUE_DATE)
    cutoff: CutoffCheck | None = None
    earliest = min(nominal, due)
    if duty.periodic_report:
        cutoff, cutoff_step = _cutoff(calendar, catalog, period, due)
        steps.append(cutoff_step)
        citations.append(cutoff.window.citation)
        earliest = min(earliest, cutoff.window.end)
    return Occurrence(
        profile=profile.code,
        duty=duty,
        deadline=deadline,
        period=period,
        nominal_date=nominal,
        due_date=due,
        day_off=day_off,
        cutoff=cutoff,
        provisional=calendar.provisional_between(earliest, max(nominal, due)),
        calendar_revision=calendar.revision,
        trace=tuple(steps),
        citations=tuple(dict.fromkeys([deadline.citation, duty.citation, *citations])),
        interpretation=tuple(dict.fromkeys(n for n in notes if n)),
    )
