"""The reporting calendar: recurring duties, their periods, data cut-offs and due dates.

Entry points for the API layer: `year_schedule`, `period_schedule`, `upcoming` and
`occurrences_between` (the events of an iCalendar feed), each taking the calendar snapshot and
the catalog loaded by `app.data.reporting.load_reporting_catalog`.
"""

from app.domain.citations import Citation, Confidence
from app.domain.reporting.catalog import (
    DeadlineRow,
    PeriodsRow,
    ProfileDefinition,
    ReportingCatalog,
    build_catalog,
)
from app.domain.reporting.cutoff import CutoffCheck, CutoffRule, CutoffWindow
from app.domain.reporting.levels import REPORTING_LEVELS, Level, LevelAbolished, ReportingLevel
from app.domain.reporting.model import (
    AbsentLevel,
    DayOffFlag,
    Occurrence,
    PeriodEntry,
    ReportStepKind,
    Schedule,
    TraceStep,
    Upcoming,
    UpcomingDue,
)
from app.domain.reporting.periods import Period, PeriodKind, PeriodSlot, parse_period, parse_slots
from app.domain.reporting.rules import (
    Bound,
    LevelDeadline,
    RecurringDuty,
    ReportingPolicy,
    ReportingProfile,
    Roll,
)
from app.domain.reporting.schedule import period_schedule, year_schedule
from app.domain.reporting.timeline import occurrences_between, upcoming

__all__ = [
    "REPORTING_LEVELS",
    "AbsentLevel",
    "Bound",
    "Citation",
    "Confidence",
    "CutoffCheck",
    "CutoffRule",
    "CutoffWindow",
    "DayOffFlag",
    "DeadlineRow",
    "Level",
    "LevelAbolished",
    "LevelDeadline",
    "Occurrence",
    "Period",
    "PeriodEntry",
    "PeriodKind",
    "PeriodSlot",
    "PeriodsRow",
    "ProfileDefinition",
    "RecurringDuty",
    "ReportStepKind",
    "ReportingCatalog",
    "ReportingLevel",
    "ReportingPolicy",
    "ReportingProfile",
    "Roll",
    "Schedule",
    "TraceStep",
    "Upcoming",
    "UpcomingDue",
    "build_catalog",
    "occurrences_between",
    "parse_period",
    "parse_slots",
    "period_schedule",
    "upcoming",
    "year_schedule",
]
