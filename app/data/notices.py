"""A calendar notice as a reference document: the model a notice is validated against, whether
it comes from the shipped data or, later, over HTTP or the command line.

A notice (Công văn of the Government Office, Thông báo of the ministry in charge) decides the
days off and make-up working days of one or more years (docs/legal-basis.md#calendar-swaps):
its entries are days off, make-up working days, and swap pairs (a weekday off and the
Saturday worked for it), each with its Vietnamese and English names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, Self

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, model_validator

from app.domain.calendar.model import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    PlacedHoliday,
    YearStatus,
)

_SATURDAY = 5

Text = Field(min_length=1, max_length=500, pattern=r"^\S(?:.*\S)?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoticeDay(_Strict):
    date: dt.date
    name_vi: str = Text
    name_en: str = Text
    lone: bool = Field(
        default=False,
        description="A make-up working day the notice decides without a day off in it (e.g. "
        "one compensating a day of the previous year). Without it, a make-up day alone is "
        "refused as half of a swap.",
    )


class SwapPair(_Strict):
    """A weekday off, worked on a Saturday instead (hoán đổi, làm bù)."""

    day_off: dt.date
    working_day: dt.date
    name_vi: str = Text
    name_en: str = Text

    @model_validator(mode="after")
    def _a_weekday_for_a_saturday(self) -> Self:
        if self.day_off.weekday() >= _SATURDAY:
            raise ValueError(f"the day off of a swap is a weekday: {self.day_off}")
        if self.working_day.weekday() != _SATURDAY:
            raise ValueError(f"the make-up day of a swap is a Saturday: {self.working_day}")
        return self


class CalendarNotice(_Strict):
    """An official notice deciding a year's days off and make-up days.

    `days_off` are the days the notice adds to the statutory holidays (Labor Code 2019 Art.
    112(1), already known to the calendar); a notice that only confirms them has no entries and
    decides its years. The entries' consistency with one another is `problems()`, named per
    entry; the calendar checks them against the days they change (app/services).
    """

    number: str = Field(
        min_length=1, max_length=100, pattern=r"^\S(?:.*\S)?$", examples=["10065/VPCP-KGVX"]
    )
    issuer: str = Text
    signed_on: dt.date | None = Field(
        default=None,
        description="The signing day; null where no source read gives it (never guessed).",
    )
    title: str = Text
    link: AnyUrl | None = None
    status: Literal["proposed", "decided"]
    decides_years: list[int] = Field(min_length=1, max_length=5)
    citation: str | None = Field(
        default=None,
        min_length=1,
        max_length=300,
        pattern=r"^\S(?:.*\S)?$",
        description="How the days it decides cite it, e.g. 'Công văn 2450/VPCP-KGVX (2024)'; "
        "the number by default.",
    )
    confidence: Literal["V", "S", "?"] = Field(
        default="?",
        description="V read in the primary text, S secondary sources only, ? unverified "
        "(docs/legal-basis.md#confidence).",
    )
    places: list[PlacedHoliday] = Field(
        default=[],
        max_length=len(PlacedHoliday),
        description="The holidays whose days off the notice fixes for its years (Labor Code "
        "2019 Art. 112(3)): 'tet' (Tết Nguyên đán), 'national_day' (Quốc khánh and its "
        "adjacent day). While the notice is decided and in force, their compensatory days "
        "cite it instead of Art. 111(3), which only gives the next working day.",
    )
    days_off: list[NoticeDay] = Field(default=[], max_length=60)
    working_days: list[NoticeDay] = Field(default=[], max_length=60)
    swaps: list[SwapPair] = Field(default=[], max_length=60)

    @property
    def source(self) -> str:
        """The source the days it decides give, with its confidence mark."""
        return f"{self.citation or self.number} [{self.confidence}]"

    def dated_entries(self) -> list[tuple[str, dt.date]]:
        """(entry, date) for every date the notice decides, in the notice's order."""
        return [
            *((f"days_off[{i}].date", d.date) for i, d in enumerate(self.days_off)),
            *((f"working_days[{i}].date", d.date) for i, d in enumerate(self.working_days)),
            *(
                (f"swaps[{i}].{half}", getattr(s, half))
                for i, s in enumerate(self.swaps)
                for half in ("day_off", "working_day")
            ),
        ]

    def problems(self) -> list[tuple[str, str]]:
        """What is wrong within the notice itself, as (entry, message)."""
        found: list[tuple[str, str]] = []
        if len(set(self.decides_years)) != len(self.decides_years):
            found.append(("decides_years", "a year is listed twice"))
        if len(set(self.places)) != len(self.places):
            found.append(("places", "a holiday is listed twice"))
        years = sorted(set(self.decides_years))
        seen: dict[dt.date, str] = {}
        for entry, day in self.dated_entries():
            if day.year not in years:
                found.append(
                    (entry, f"{day.isoformat()} is outside the years the notice decides {years}")
                )
            if day in seen:
                found.append((entry, f"{day.isoformat()} is already in {seen[day]}"))
            else:
                seen[day] = entry
        for i, d in enumerate(self.working_days):
            if not d.lone:
                found.append(
                    (
                        f"working_days[{i}].date",
                        f"{d.date.isoformat()} is a make-up day without its day off: half of "
                        "a swap. Give the pair under 'swaps', or mark it lone = true if the "
                        "notice decides it alone",
                    )
                )
        return found


_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class NoticeEntry:
    """One adjustment a notice makes: the entry it comes from and, for a swap, the other half."""

    entry: str
    adjustment: Adjustment
    swap_with: dt.date | None = None


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def entries_of(notice: CalendarNotice) -> list[NoticeEntry]:
    """The adjustments a notice makes, each named; the worked Saturday of a swap is named after
    the day off it makes up for."""
    status = AdjustmentStatus(notice.status)

    def adjustment(day: dt.date, kind: AdjustmentKind, vi: str, en: str) -> Adjustment:
        return Adjustment(day, kind, vi, en, notice.source, status)

    found = [
        NoticeEntry(
            f"days_off[{i}]", adjustment(d.date, AdjustmentKind.DAY_OFF, d.name_vi, d.name_en)
        )
        for i, d in enumerate(notice.days_off)
    ] + [
        NoticeEntry(
            f"working_days[{i}]",
            adjustment(d.date, AdjustmentKind.WORKING_DAY, d.name_vi, d.name_en),
        )
        for i, d in enumerate(notice.working_days)
    ]
    for i, s in enumerate(notice.swaps):
        found.append(
            NoticeEntry(
                f"swaps[{i}].day_off",
                adjustment(s.day_off, AdjustmentKind.DAY_OFF, s.name_vi, s.name_en),
                s.working_day,
            )
        )
        found.append(
            NoticeEntry(
                f"swaps[{i}].working_day",
                adjustment(
                    s.working_day,
                    AdjustmentKind.WORKING_DAY,
                    f"Làm bù cho ngày nghỉ {_dmy(s.day_off)}",
                    f"Make-up working day for {_WEEKDAYS_EN[s.day_off.weekday()]} "
                    f"{_dmy(s.day_off)}",
                ),
                s.day_off,
            )
        )
    return sorted(found, key=lambda e: e.adjustment.date)


def with_placements(
    years: Iterable[YearStatus], notices: Iterable[CalendarNotice]
) -> list[YearStatus]:
    """The years' statuses, each with the source of the decided notices (in force: the caller
    leaves out withdrawn ones) that place its Tết and Quốc khánh days. Where two place the same
    holiday of a year, the later signed one (then the higher number) is taken: it is the one
    that stands."""
    placed: dict[tuple[int, PlacedHoliday], str] = {}
    decided = [n for n in notices if n.status == "decided"]
    for notice in sorted(decided, key=lambda n: (n.signed_on or dt.date.min, n.number)):
        for year in notice.decides_years:
            for holiday in notice.places:
                placed[year, holiday] = notice.source
    return [
        replace(
            y,
            placed_by=tuple((h, placed[y.year, h]) for h in PlacedHoliday if (y.year, h) in placed),
        )
        for y in years
    ]
