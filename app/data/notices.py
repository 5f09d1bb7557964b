"""A calendar notice as a reference document: the model a notice is validated against, whether
it comes from the shipped data or, later, over HTTP or the command line.

A notice (Công văn of the Government Office, Thông báo of the ministry in charge) decides the
days off and make-up working days of one or more years (docs/legal-basis.md#calendar-swaps):
its entries are days off, make-up working days, and swap pairs (a weekday off and the
Saturday worked for it), each with its Vietnamese and English names.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, model_validator

_SATURDAY = 5

Text = Field(min_length=1, max_length=500, pattern=r"^\S(?:.*\S)?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoticeDay(_Strict):
    date: dt.date
    name_vi: str = Text
    name_en: str = Text


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
    number: str = Field(
        min_length=1, max_length=100, pattern=r"^\S(?:.*\S)?$", examples=["10065/VPCP-KGVX"]
    )
    issuer: str = Text
    signed_on: dt.date
    title: str = Text
    link: AnyUrl | None = None
    status: Literal["proposed", "decided"]
    decides_years: list[int] = Field(min_length=1, max_length=5)
    days_off: list[NoticeDay] = []
    working_days: list[NoticeDay] = []
    swaps: list[SwapPair] = []

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        years = set(self.decides_years)
        if len(years) != len(self.decides_years):
            raise ValueError("decides_years lists a year twice")
        dates = [
            *(d.date for d in self.days_off),
            *(d.date for d in self.working_days),
            *(d for s in self.swaps for d in (s.day_off, s.working_day)),
        ]
        outside = sorted({d for d in dates if d.year not in years})
        if outside:
            raise ValueError(f"dates outside the years the notice decides: {outside}")
        twice = sorted({d for d in dates if dates.count(d) > 1})
        if twice:
            raise ValueError(f"a date appears twice in the notice: {twice}")
        return self
