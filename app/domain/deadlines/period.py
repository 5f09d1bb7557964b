"""Named calendar periods ("Tháng 02/2023", "Quý I/2024", "Năm 2023") and month arithmetic."""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


_MONTHS_IN = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.YEAR: 12,
}
_COUNT_IN_YEAR = {
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 4,
    PeriodKind.HALF_YEAR: 2,
    PeriodKind.YEAR: 1,
}
_ROMAN = ("I", "II", "III", "IV")
# The canonical code is the reporting one, year then slot: 2024-M03, 2024-Q1, 2024-H2, 2024-Y
# (docs/wire.md#period-codes). The ISO-like forms the rule data were first written in (2024-03 for
# a month, 2024 for a year) are still read.
_PATTERN = re.compile(r"^(\d{4})(?:-(?:M?(\d{2})|Q([1-4])|H([12])|(Y)))?$")


@dataclass(frozen=True, slots=True)
class Period:
    """A month, quarter, half-year or year. `index` is 1-based within the year (1 for a year).

    Written "2023-M02", "2024-Q1", "2022-H2" or "2023-Y" (the reporting calendar's codes);
    "2023-02" and "2023" are read as well.
    """

    year: int
    kind: PeriodKind
    index: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.index <= _COUNT_IN_YEAR[self.kind]:
            raise ValueError(f"{self.kind} {self.index} does not exist")

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match(text)
        if match is None:
            raise ValueError(
                f"{text!r} is not a period (2023-M02, 2024-Q1, 2022-H2 or 2023-Y; "
                "2023-02 and 2023 are read too)"
            )
        year, month, quarter, half, _ = match.groups()
        if month is not None:
            return cls(int(year), PeriodKind.MONTH, int(month))
        if quarter is not None:
            return cls(int(year), PeriodKind.QUARTER, int(quarter))
        if half is not None:
            return cls(int(year), PeriodKind.HALF_YEAR, int(half))
        return cls(int(year), PeriodKind.YEAR)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, (self.index - 1) * _MONTHS_IN[self.kind] + 1, 1)

    @property
    def last(self) -> dt.date:
        month = self.index * _MONTHS_IN[self.kind]
        return dt.date(self.year, month, _gregorian.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-M{self.index:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.kind is PeriodKind.HALF_YEAR:
            return f"{self.year}-H{self.index}"
        return f"{self.year}-Y"

    @property
    def label_vi(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"Tháng {self.index:02d}/{self.year}"
        if self.kind is PeriodKind.QUARTER:
            return f"Quý {_ROMAN[self.index - 1]}/{self.year}"
        if self.kind is PeriodKind.HALF_YEAR:
            return f"{'6 tháng đầu' if self.index == 1 else '6 tháng cuối'} năm {self.year}"
        return f"Năm {self.year}"


def add_months(d: dt.date, months: int) -> dt.date:
    """The corresponding day `months` months away; a month without it ends on its last day.

    Civil Code 2015 Art. 148(3)-(4): 31/1 + 1 month → 28/2 (29/2 in a leap year), which is
    exactly relativedelta's clamp to the end of the month.
    """
    result: dt.date = d + relativedelta(months=months)
    return result
