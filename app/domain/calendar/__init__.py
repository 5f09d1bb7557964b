"""The Vietnamese public-sector working-day calendar."""

from app.domain.calendar.build import SUPPORTED_FIRST, SUPPORTED_LAST, build_snapshot
from app.domain.calendar.model import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    DayInfo,
    DayKind,
    PlacedHoliday,
    YearStatus,
)
from app.domain.calendar.snapshot import CalendarSnapshot

__all__ = [
    "SUPPORTED_FIRST",
    "SUPPORTED_LAST",
    "Adjustment",
    "AdjustmentKind",
    "AdjustmentStatus",
    "CalendarSnapshot",
    "DayInfo",
    "DayKind",
    "PlacedHoliday",
    "YearStatus",
    "build_snapshot",
]
