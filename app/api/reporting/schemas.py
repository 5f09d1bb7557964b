"""Response bodies of the reporting calendar: periods, cut-off windows, due dates per level."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.api.wire.citation import Citation
from app.api.wire.citation import citation as cite
from app.api.wire.trace import TraceStep, report_step
from app.domain import reporting as r
from app.domain.calendar import DayKind
from app.domain.reporting import Bound, Level, PeriodKind, Roll

Flag = Literal["day_off", "cutoff_too_close", "provisional"]


def _one_of(values: type[StrEnum], description: str, **extra: Any) -> Any:
    """A string field whose values are the domain enum's, listed in the schema. Plain strings,
    not the enums themselves: other parts of the API have enums of the same names (Roll,
    Bound, PeriodKind), and two components of one name would rename each other."""
    return Field(
        description=description, json_schema_extra={"enum": [v.value for v in values]}, **extra
    )


class ReportPeriod(BaseModel):
    code: str = Field(description="Stable code: 2024-Q1, 2024-M03, 2024-H2, 2024-9M, 2024-Y.")
    kind: str = _one_of(PeriodKind, "month, quarter, half_year, nine_months or year.")
    label_vi: str = Field(examples=["Quý I/2024"])
    label_en: str = Field(examples=["Q1 2024"])
    start: dt.date = Field(description="First day of the period.")
    end: dt.date = Field(description="Last day of the period.")

    @classmethod
    def of(cls, p: r.Period) -> ReportPeriod:
        return cls(
            code=p.code,
            kind=p.kind.value,
            label_vi=p.label_vi,
            label_en=p.label_en,
            start=p.start,
            end=p.end,
        )


class ReportDuty(BaseModel):
    code: str = Field(examples=["kstthc-report"])
    title_vi: str
    title_en: str
    periodic_report: bool = Field(
        description="A periodic report under ND 09/2019 (with a data cut-off window); "
        "false for a publication (công khai), which has none."
    )
    citation: Citation = Field(description="Where the duty and its list of periods come from.")
    note: str

    @classmethod
    def of(cls, d: r.RecurringDuty) -> ReportDuty:
        return cls(
            code=d.code,
            title_vi=d.title_vi,
            title_en=d.title_en,
            periodic_report=d.periodic_report,
            citation=cite(d.citation),
            note=d.note,
        )


class ReportCutoffWindow(BaseModel):
    """The days whose data a periodic report covers, both included (ND 09/2019 Art. 12)."""

    start: dt.date
    end: dt.date
    citation: Citation

    @classmethod
    def of(cls, w: r.CutoffWindow) -> ReportCutoffWindow:
        return cls(start=w.start, end=w.end, citation=cite(w.citation))


class ReportCutoffCheck(BaseModel):
    """Is there time to compile the report between the window's close and the due date?"""

    window_end: dt.date
    working_days_between: int = Field(
        description="Working days strictly between the window's close and the due date."
    )
    minimum: int = Field(description="Working days wanted (the operator's policy, not law).")
    ok: bool

    @classmethod
    def of(cls, c: r.CutoffCheck) -> ReportCutoffCheck:
        return cls(
            window_end=c.window.end,
            working_days_between=c.working_days_between,
            minimum=c.minimum,
            ok=c.ok,
        )


class ReportDayOff(BaseModel):
    """The day the phrase names is a day off: what it is and where the due date went."""

    original: dt.date
    kind: DayKind
    name_vi: str | None
    name_en: str | None
    source: str | None
    roll: str = _one_of(Roll, "following, preceding, or none (the day is kept).")
    rolled_to: dt.date = Field(description="The due date; equal to `original` when roll is none.")

    @classmethod
    def of(cls, f: r.DayOffFlag) -> ReportDayOff:
        return cls(
            original=f.original,
            kind=f.kind,
            name_vi=f.name_vi,
            name_en=f.name_en,
            source=f.source,
            roll=f.roll.value,
            rolled_to=f.rolled_to,
        )


class ReportDue(BaseModel):
    """One level's due date for one duty and one period, with why."""

    uid: str = Field(description="Stable id: profile/duty/level/period (the iCalendar UID).")
    level: Level
    due_date: dt.date
    nominal_date: dt.date = Field(
        description="The day the plan's phrase names, after reading 'trước' and before any roll."
    )
    phrase: str = Field(description="The plan's wording, verbatim (or a marked paraphrase).")
    bound: str = _one_of(
        Bound,
        "at_latest ('chậm nhất là ngày N'), before ('trước ngày N'), on_day ('ngày N hằng tháng').",
    )
    flags: list[Flag] = Field(
        description="day_off: the named day is a day off (see `day_off` for the roll); "
        "cutoff_too_close: too few working days after the data window closes; "
        "provisional: the answer rests on a year whose holidays are not decided."
    )
    day_off: ReportDayOff | None
    cutoff_check: ReportCutoffCheck | None = Field(
        description="null for duties without a data window."
    )
    provisional: bool
    calendar_revision: int
    trace: list[TraceStep]
    citations: list[Citation]
    interpretation: list[str] = Field(
        description="Choices made where the text is silent or ambiguous (confidence '?')."
    )

    @classmethod
    def fields_of(cls, o: r.Occurrence) -> dict[str, object]:
        return {
            "uid": o.uid,
            "level": o.level,
            "due_date": o.due_date,
            "nominal_date": o.nominal_date,
            "phrase": o.deadline.phrase,
            "bound": o.deadline.bound.value,
            "flags": list(o.flags),
            "day_off": None if o.day_off is None else ReportDayOff.of(o.day_off),
            "cutoff_check": None if o.cutoff is None else ReportCutoffCheck.of(o.cutoff),
            "provisional": o.provisional,
            "calendar_revision": o.calendar_revision,
            "trace": [report_step(t) for t in o.trace],
            "citations": [cite(c) for c in o.citations],
            "interpretation": list(o.interpretation),
        }

    @classmethod
    def of(cls, o: r.Occurrence) -> ReportDue:
        return cls.model_validate(cls.fields_of(o))


class AbsentLevel(BaseModel):
    """A level the duty names that has nothing due, and why (e.g. the 2025 two-tier reform)."""

    duty: str
    level: Level
    reason: str
    would_be_due: dt.date = Field(description="The day it would have been due.")

    @classmethod
    def of(cls, a: r.AbsentLevel) -> AbsentLevel:
        return cls(duty=a.duty, level=a.level, reason=a.reason, would_be_due=a.due_date)


class ReportingProfile(BaseModel):
    code: str = Field(examples=["quang-nam-2024"])
    name_vi: str
    name_en: str
    source: str = Field(description="The plan the profile was written from.")
    plan_year: int | None = Field(
        description="The year the plan covers; its duties apply to every supported year."
    )
    note: str

    @classmethod
    def of(cls, p: r.ReportingProfile) -> ReportingProfile:
        return cls(
            code=p.code,
            name_vi=p.name_vi,
            name_en=p.name_en,
            source=p.source,
            plan_year=p.plan_year,
            note=p.note,
        )


class ReportScheduleEntry(BaseModel):
    """One duty in one period: its data window and a due date per level."""

    period: ReportPeriod
    duty: ReportDuty
    cutoff: ReportCutoffWindow | None = Field(
        description="The data cut-off window; null for a publication, which has none."
    )
    due: list[ReportDue] = Field(description="One per level, in level order.")
    absent: list[AbsentLevel] = Field(description="Levels the duty names with nothing due here.")


class ReportSchedule(BaseModel):
    profile: ReportingProfile
    scope: str = Field(description="The year ('2024') or the period ('2025-Q3') asked for.")
    level: Level | None = Field(description="The level asked for; null: every level.")
    provisional: bool = Field(description="Some due date rests on an undecided calendar year.")
    calendar_revision: int
    items: list[ReportScheduleEntry] = Field(
        description="One per duty and period, in the order the periods end."
    )

    @classmethod
    def of(cls, s: r.Schedule, profile: r.ReportingProfile) -> ReportSchedule:
        return cls(
            profile=ReportingProfile.of(profile),
            scope=s.scope,
            level=s.level,
            provisional=s.provisional,
            calendar_revision=s.calendar_revision,
            items=[
                ReportScheduleEntry(
                    period=ReportPeriod.of(e.period),
                    duty=ReportDuty.of(e.duty),
                    cutoff=None if e.cutoff is None else ReportCutoffWindow.of(e.cutoff),
                    due=[ReportDue.of(o) for o in e.occurrences],
                    absent=[AbsentLevel.of(a) for a in e.absent],
                )
                for e in s.entries
            ],
        )


class UpcomingReport(ReportDue):
    """A due date on or after `as_of`, with the time left."""

    duty: ReportDuty
    period: ReportPeriod
    working_days_left: int = Field(description="Working days in (as_of, due_date].")
    calendar_days_left: int
    due_soon: bool = Field(description="Due within the operator's 'due soon' working days.")

    @classmethod
    def of_upcoming(cls, u: r.UpcomingDue) -> UpcomingReport:
        o = u.occurrence
        return cls.model_validate(
            {
                **ReportDue.fields_of(o),
                "duty": ReportDuty.of(o.duty),
                "period": ReportPeriod.of(o.period),
                "working_days_left": u.working_days_left,
                "calendar_days_left": u.calendar_days_left,
                "due_soon": u.due_soon,
            }
        )


class UpcomingReports(BaseModel):
    profile: ReportingProfile
    as_of: dt.date = Field(description="The day counted from (today in Asia/Ho_Chi_Minh).")
    level: Level | None
    count: int = Field(description="Occurrences asked for per duty and level.")
    calendar_revision: int
    items: list[UpcomingReport] = Field(description="By due date, then level.")
    absent: list[AbsentLevel] = Field(
        description="ReportDuty/level pairs with nothing due any more (their level, or the office "
        "they report to, no longer exists)."
    )
    beyond_calendar: list[str] = Field(
        description="duty/level pairs with fewer occurrences left inside the supported calendar "
        "than asked for: not guessed."
    )

    @classmethod
    def of(
        cls,
        u: r.Upcoming,
        profile: r.ReportingProfile,
        count: int,
        calendar_revision: int,
    ) -> UpcomingReports:
        return cls(
            profile=ReportingProfile.of(profile),
            as_of=u.as_of,
            level=u.level,
            count=count,
            calendar_revision=calendar_revision,
            items=[UpcomingReport.of_upcoming(i) for i in u.items],
            absent=[AbsentLevel.of(a) for a in u.absent],
            beyond_calendar=list(u.beyond_calendar),
        )
