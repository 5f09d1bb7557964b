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
    COMPENSATORY = "compensatory"  # nghỉ bù, Labor Code 2019 Art. 111(3)
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


@dataclass(frozen=True, slots=True)
class YearStatus:
    """Whether a year's Tết / 2-9 / swap schedule has been decided
    (docs/legal-basis.md#calendar)."""

    year: int
    provisional: bool
    note: str


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
