"""Value types of the working-day calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.citations import Confidence


class DayKind(StrEnum):
    WORKING = "working"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # statutory public holiday, Labor Code 2019 Art. 112(1)
    # nghỉ bù, Labor Code 2019 Art. 111(3); of Tết and Quốc khánh, placed by the year's notice
    COMPENSATORY = "compensatory"
    SWAP_OFF = "swap_off"  # weekday off under a yearly day-swap notice
    SWAP_WORKING = "swap_working"  # Saturday worked under a yearly day-swap notice (làm bù)


class AdjustmentKind(StrEnum):
    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


class AdjustmentStatus(StrEnum):
    PROPOSED = "proposed"
    DECIDED = "decided"


@dataclass(frozen=True, slots=True)
class Adjustment:
    """An official change to the statutory calendar, e.g. one half of a day swap."""

    date: dt.date
    kind: AdjustmentKind
    name_vi: str
    name_en: str
    source: str
    status: AdjustmentStatus = AdjustmentStatus.DECIDED


class PlacedHoliday(StrEnum):
    """A holiday whose days off the Prime Minister fixes each year (Labor Code 2019 Art.
    112(3)), announced by a notice that then places its compensatory days too."""

    TET = "tet"  # Tết Nguyên đán, Art. 112(1)(b)
    NATIONAL_DAY = "national_day"  # Quốc khánh 2/9 and its adjacent day, Art. 112(1)(đ)


@dataclass(frozen=True, slots=True)
class YearStatus:
    """Whether a year's Tết / 2-9 / swap schedule has been decided
    (docs/legal-basis.md#calendar), and the decided notice in force that places each of the
    year's Tết and Quốc khánh days: its source with its confidence mark (e.g. "Công văn
    10065/VPCP-KGVX (2026) [S]"), which those holidays' compensatory days cite
    (docs/legal-basis.md#calendar-compensatory)."""

    year: int
    provisional: bool
    note: str
    placed_by: tuple[tuple[PlacedHoliday, str], ...] = ()

    def placed(self, holiday: PlacedHoliday) -> str | None:
        """The source of the notice placing `holiday`'s days this year, if one is recorded."""
        return next((source for h, source in self.placed_by if h is holiday), None)


@dataclass(frozen=True, slots=True)
class DayInfo:
    date: dt.date
    working: bool
    kind: DayKind
    name_vi: str | None
    name_en: str | None
    source: str | None
    provisional: bool
    confidence: Confidence | None = None  # of `source` (docs/legal-basis.md#confidence)
