"""Data cut-off windows of periodic reports (ND 09/2019/NĐ-CP Art. 12,
docs/legal-basis.md#national-rules).

The decree fixes the window by two days: it opens on day `start_day` of the month before the
period's first month and closes on day `end_day` of the period's last month (a quarter: 15th of
the month before the quarter → 14th of its last month; Q1 runs 15/12 of the previous year →
14/3). The two days are data per period kind; the month arithmetic is here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.calendar import CalendarSnapshot
from app.domain.citations import Citation
from app.domain.errors import DomainError
from app.domain.reporting.periods import Period, PeriodKind

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CutoffRule:
    kind: PeriodKind
    start_day: int  # day of the month before the period's first month
    end_day: int  # day of the period's last month
    citation: Citation
    note: str = ""

    def __post_init__(self) -> None:
        for day in (self.start_day, self.end_day):
            if not 1 <= day <= 28:  # every month has it
                raise DomainError(f"a cut-off day must be 1..28, got {day}", field="cutoff")

    def window(self, period: Period) -> CutoffWindow:
        if period.kind is not self.kind:
            raise DomainError(f"a {self.kind.value} cut-off cannot cut a {period.kind.value}")
        opens_in = period.start - _ONE_DAY  # a day of the month before the first month
        return CutoffWindow(
            start=opens_in.replace(day=self.start_day),
            end=dt.date(period.year, period.last_month, self.end_day),
            citation=self.citation,
        )


@dataclass(frozen=True, slots=True)
class CutoffWindow:
    """The days whose data a report covers, both included."""

    start: dt.date
    end: dt.date
    citation: Citation


@dataclass(frozen=True, slots=True)
class CutoffCheck:
    """Is there time to compile the report between the window's close and the due day?"""

    window: CutoffWindow
    due_date: dt.date
    # Working days strictly between window.end and due_date (both excluded); 0 when the report
    # is due on or before the window closes.
    working_days_between: int
    minimum: int

    @property
    def ok(self) -> bool:
        return self.working_days_between >= self.minimum


def check_cutoff(
    calendar: CalendarSnapshot, window: CutoffWindow, due_date: dt.date, minimum: int
) -> CutoffCheck:
    # count_working_days counts (a, b]; (end, due − 1] is "strictly between end and due".
    between = calendar.count_working_days(window.end, due_date - _ONE_DAY)
    return CutoffCheck(window, due_date, max(between, 0), minimum)
