"""What the reporting calendar answers: occurrences of duties, with flags and their trace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.calendar import DayKind
from app.domain.citations import Citation
from app.domain.reporting.cutoff import CutoffCheck, CutoffWindow
from app.domain.reporting.levels import Level
from app.domain.reporting.periods import Period
from app.domain.reporting.rules import LevelDeadline, RecurringDuty, Roll


class ReportStepKind(StrEnum):
    """The steps of a reporting due date (GET /v1/reporting/schedule and /next)."""

    PERIOD = "period"  # the period and its dates
    FIXED_DAY = "fixed_day"  # the day the plan's phrase names in the period's last month
    BEFORE = "before"  # "trước ngày D" read strictly (D − 1) or inclusively, per the profile
    ROLL = "roll"  # that day is a day off: rolled, or kept
    LEVEL = "level"  # a level with an end date exists on the due date
    CUTOFF = "cutoff"  # the ND 09/2019 data cut-off and the working days left after it


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One step of a reporting due date. `citation`: the source the step applies (the duty's
    list of periods, the rule's phrase, the level's end, the data cut-off); none for the
    readings the profile chose ('before', 'roll'), which the occurrence's interpretation
    explains."""

    step: ReportStepKind
    detail: str
    date: dt.date | None = None
    citation: Citation | None = None


@dataclass(frozen=True, slots=True)
class DayOffFlag:
    """The fixed day fell on a day off; what it was and where the due date went."""

    original: dt.date
    kind: DayKind
    name_vi: str | None
    name_en: str | None
    source: str | None
    roll: Roll
    rolled_to: dt.date  # == original when roll is none


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due date of one duty, for one level and one period."""

    profile: str
    duty: RecurringDuty
    deadline: LevelDeadline
    period: Period
    nominal_date: dt.date  # the day the phrase names, after reading "trước" (before any roll)
    due_date: dt.date
    day_off: DayOffFlag | None
    cutoff: CutoffCheck | None  # None for duties that are not ND 09/2019 periodic reports
    provisional: bool  # some day the answer rests on has an undecided calendar
    calendar_revision: int
    trace: tuple[TraceStep, ...]
    citations: tuple[Citation, ...]
    interpretation: tuple[str, ...]  # choices made where the text is silent or ambiguous

    @property
    def level(self) -> Level:
        return self.deadline.level

    @property
    def flags(self) -> tuple[str, ...]:
        found = []
        if self.day_off is not None:
            found.append("day_off")
        if self.cutoff is not None and not self.cutoff.ok:
            found.append("cutoff_too_close")
        if self.provisional:
            found.append("provisional")
        return tuple(found)

    @property
    def uid(self) -> str:
        """Stable across recomputations (an iCalendar UID needs one): what, who, which period."""
        return f"{self.profile}/{self.duty.code}/{self.level.value}/{self.period.code}"


@dataclass(frozen=True, slots=True)
class AbsentLevel:
    """A level the duty names that has no due date in this period, and why."""

    duty: str
    level: Level
    reason: str
    due_date: dt.date  # the day it would have been due


@dataclass(frozen=True, slots=True)
class PeriodEntry:
    """One duty in one period: its cut-off window and a due date per level."""

    duty: RecurringDuty
    period: Period
    cutoff: CutoffWindow | None
    occurrences: tuple[Occurrence, ...]
    absent: tuple[AbsentLevel, ...]


@dataclass(frozen=True, slots=True)
class Schedule:
    """A profile's reporting calendar over a year or a single period."""

    profile: str
    scope: str  # "2024" for a year, a period code such as "2025-Q3" for one period
    level: Level | None  # None: every level of the profile
    entries: tuple[PeriodEntry, ...]
    calendar_revision: int

    @property
    def provisional(self) -> bool:
        return any(o.provisional for e in self.entries for o in e.occurrences)


@dataclass(frozen=True, slots=True)
class UpcomingDue:
    occurrence: Occurrence
    working_days_left: int  # working days in (as_of, due_date]
    calendar_days_left: int
    due_soon: bool


@dataclass(frozen=True, slots=True)
class Upcoming:
    """The next due date(s) of each recurring duty on or after a day."""

    profile: str
    as_of: dt.date
    level: Level | None
    items: tuple[UpcomingDue, ...]  # by due date
    absent: tuple[AbsentLevel, ...]  # duty/level pairs whose level (or the one they need) is gone
    # duty/level pairs with no occurrence left inside the supported calendar
    beyond_calendar: tuple[str, ...]
