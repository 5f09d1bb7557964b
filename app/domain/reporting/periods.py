"""Reporting periods: months, quarters, half-years, the first nine months, the year.

A recurring duty names the slots of the year it reports on ("Quý I, Quý II, Quý III và năm");
a slot placed in a year is a Period. A period's "last month" is the month its due day falls
in ("ngày 17 của tháng cuối quý" = the 17th of the quarter's last month). These spans are the
calendar's structure, not legal values, so they live in code.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import DomainError


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"  # January–September, reported as "9 tháng"
    YEAR = "year"


# kind -> (months spanned, periods per year)
_SHAPE: dict[PeriodKind, tuple[int, int]] = {
    PeriodKind.MONTH: (1, 12),
    PeriodKind.QUARTER: (3, 4),
    PeriodKind.HALF_YEAR: (6, 2),
    PeriodKind.NINE_MONTHS: (9, 1),
    PeriodKind.YEAR: (12, 1),
}
_ROMAN = ("I", "II", "III", "IV")
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Shorthands a duty may list in the data, each expanding to every slot of one kind.
_CADENCES: dict[str, PeriodKind] = {
    "monthly": PeriodKind.MONTH,
    "quarterly": PeriodKind.QUARTER,
    "half_yearly": PeriodKind.HALF_YEAR,
    "nine_months": PeriodKind.NINE_MONTHS,
    "yearly": PeriodKind.YEAR,
}
_SLOT_CODE = re.compile(r"^(?:M(?P<m>\d{2})|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<n>9M)|(?P<y>Y))$")


@dataclass(frozen=True, slots=True, order=True)
class PeriodSlot:
    """A period of the year without the year: Q1, M03, H2, 9M, Y."""

    kind: PeriodKind
    index: int  # 1-based within the year

    def __post_init__(self) -> None:
        if not 1 <= self.index <= _SHAPE[self.kind][1]:
            raise DomainError(f"no {self.kind.value} number {self.index} in a year", field="period")

    @property
    def code(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"M{self.index:02d}"
            case PeriodKind.QUARTER:
                return f"Q{self.index}"
            case PeriodKind.HALF_YEAR:
                return f"H{self.index}"
            case PeriodKind.NINE_MONTHS:
                return "9M"
            case PeriodKind.YEAR:
                return "Y"

    def in_year(self, year: int) -> Period:
        return Period(self.kind, year, self.index)


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    year: int
    index: int

    def __post_init__(self) -> None:
        PeriodSlot(self.kind, self.index)  # validates the index

    @property
    def slot(self) -> PeriodSlot:
        return PeriodSlot(self.kind, self.index)

    @property
    def code(self) -> str:
        """Stable identifier, e.g. 2024-Q1, 2024-M03, 2024-H2, 2024-9M, 2024-Y."""
        return f"{self.year}-{self.slot.code}"

    @property
    def first_month(self) -> int:
        return self.last_month - _SHAPE[self.kind][0] + 1

    @property
    def last_month(self) -> int:
        return self.index * _SHAPE[self.kind][0]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(
            self.year, self.last_month, _stdcal.monthrange(self.year, self.last_month)[1]
        )

    @property
    def label_vi(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"Tháng {self.index:02d}/{self.year}"
            case PeriodKind.QUARTER:
                return f"Quý {_ROMAN[self.index - 1]}/{self.year}"
            case PeriodKind.HALF_YEAR:
                half = "đầu" if self.index == 1 else "cuối"
                return f"6 tháng {half} năm {self.year}"
            case PeriodKind.NINE_MONTHS:
                return f"9 tháng năm {self.year}"
            case PeriodKind.YEAR:
                return f"Năm {self.year}"

    @property
    def label_en(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"{_MONTHS_EN[self.index - 1]} {self.year}"
            case PeriodKind.QUARTER:
                return f"Q{self.index} {self.year}"
            case PeriodKind.HALF_YEAR:
                return f"H{self.index} {self.year}"
            case PeriodKind.NINE_MONTHS:
                return f"First nine months of {self.year}"
            case PeriodKind.YEAR:
                return f"Year {self.year}"


def parse_slots(code: str) -> tuple[PeriodSlot, ...]:
    """A slot code (Q1, M03, H2, 9M, Y) or a cadence (monthly, quarterly, …) from the data."""
    kind = _CADENCES.get(code)
    if kind is not None:
        return tuple(PeriodSlot(kind, i) for i in range(1, _SHAPE[kind][1] + 1))
    match = _SLOT_CODE.match(code)
    if match is None:
        raise DomainError(
            f"unknown period {code!r}: use M01..M12, Q1..Q4, H1, H2, 9M, Y "
            f"or one of {', '.join(_CADENCES)}",
            field="period",
        )
    if match["m"]:
        return (PeriodSlot(PeriodKind.MONTH, int(match["m"])),)
    if match["q"]:
        return (PeriodSlot(PeriodKind.QUARTER, int(match["q"])),)
    if match["h"]:
        return (PeriodSlot(PeriodKind.HALF_YEAR, int(match["h"])),)
    if match["n"]:
        return (PeriodSlot(PeriodKind.NINE_MONTHS, 1),)
    return (PeriodSlot(PeriodKind.YEAR, 1),)


def parse_period(code: str) -> Period:
    """A period code as Period.code writes it: 2024-Q1, 2024-M03, 2024-H2, 2024-9M, 2024-Y.
    The forms the deadline rules were first written in are read too: 2024-03 for a month,
    2024 for a year."""
    year, sep, slot = code.partition("-")
    if not sep and year.isdigit() and len(year) == 4:
        sep, slot = "-", "Y"
    elif sep and len(slot) == 2 and slot.isdigit():
        slot = f"M{slot}"
    if not sep or not year.isdigit() or len(year) != 4 or slot in _CADENCES:
        raise DomainError(
            f"unknown period {code!r}: expected YYYY-M03, YYYY-Q1, YYYY-H2, YYYY-9M or YYYY-Y",
            field="period",
        )
    (only,) = parse_slots(slot)
    return only.in_year(int(year))
