"""Compile a CalendarSnapshot from the statutory holidays and the official adjustments.

The statutory base (fixed and lunar holidays, compensatory days) comes from the `holidays`
package, whose Vietnamese lunar table is computed at UTC+7 (docs/legal-basis.md#calendar). Day
swaps do not:
every swap is our own data with its source document, so that an operator can enter, correct or
withdraw one, and the package's partial swap list never silently disagrees with ours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache

import holidays

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
from app.domain.citations import Confidence, split_confidence

# The supported range. 2019 is the first year whose whole schedule (Tết, 2-9, swaps) this
# project checked against the Government's notices (docs/legal-basis.md#calendar); the oldest
# source plan is
# from 2021. 2030 leaves a few years of provisional planning horizon: the lunar dates are
# known, the yearly Tết / 2-9 / swap decisions are not (those years are flagged provisional).
SUPPORTED_FIRST = dt.date(2019, 1, 1)
SUPPORTED_LAST = dt.date(2030, 12, 31)

# Labor Code 2019 took effect 1/1/2021 (Art. 220); before that the Labor Code 2012 applied.
_LABOR_CODE_2019_FROM = 2021
_SUBSTITUTED = "Day off (substituted"
# Read in secondary sources only (docs/legal-basis.md#culture-day); the Labor Code is read.
_CULTURE_DAY_SOURCE = "Nghị quyết 28/2026/QH16, Điều 2 (Ngày Văn hóa Việt Nam 24/11)"
_CULTURE_DAY_OBSERVED = "Vietnam Cultural Day (observed)"
# The package names the Tết day moved to two days before Tết "29 Tết", which is wrong whenever
# the twelfth lunar month has 29 days (no "30 Tết"): 27/1/2025 was 28 tháng Chạp (Thông báo
# 6150/TB-BLĐTBXH). Name it without claiming a lunar date.
_TET_MOVED_NAMES = {
    "29 Tết": "Nghỉ Tết Nguyên Đán",
    "29 of Lunar New Year": "Lunar New Year holiday",
}


def _tet_moved_name(name: str | None) -> str | None:
    if name is None:
        return None
    return "; ".join(_TET_MOVED_NAMES.get(part, part) for part in name.split("; "))


def _holiday_source(year: int, name_en: str) -> str:
    if name_en.startswith("Vietnam Cultural Day"):
        return _CULTURE_DAY_SOURCE
    if year >= _LABOR_CODE_2019_FROM:
        return "Bộ luật Lao động 2019, Điều 112(1)"
    return "Bộ luật Lao động 2012, Điều 115(1)"


# The package's English names of the compensatory days of Tết ("29 of Lunar New Year", "Fifth
# Day of Lunar New Year", ...) and of Quốc khánh ("National Day (observed)"): the holidays whose
# days the year's notice places (Art. 112(3)).
_PLACED_NAMES = {
    PlacedHoliday.TET: "Lunar New Year",
    PlacedHoliday.NATIONAL_DAY: "National Day",
}


def _placed_holiday(name_en: str) -> PlacedHoliday | None:
    for part in name_en.split("; "):
        for holiday, name in _PLACED_NAMES.items():
            if name in part:
                return holiday
    return None


def _compensatory_source(year: int) -> str:
    if year >= _LABOR_CODE_2019_FROM:
        return "Bộ luật Lao động 2019, Điều 111(3)"
    # Labor Code 2012: the compensatory day is Art. 115(3); its Art. 110 (weekly rest) has no (3).
    return "Bộ luật Lao động 2012, Điều 115(3)"


def _compensatory(
    year: int, name_en: str, status: YearStatus | None
) -> tuple[str, Confidence | None]:
    """A compensatory day's source. Art. 111(3) only moves a holiday on the weekly rest day to
    the next working day; where the year's notice places Tết or Quốc khánh (Art. 112(3)), it
    decides their compensatory days too (the day before Tết among them), so they cite it
    (docs/legal-basis.md#calendar-compensatory)."""
    holiday = _placed_holiday(name_en)
    notice = status.placed(holiday) if status is not None and holiday is not None else None
    if notice is not None:
        return split_confidence(notice)
    confidence = (
        Confidence.SECONDARY if name_en.startswith("Vietnam Cultural Day") else Confidence.VERIFIED
    )
    return _compensatory_source(year), confidence


@cache
def _statutory(
    first_year: int, last_year: int
) -> tuple[Mapping[dt.date, str], Mapping[dt.date, str], Mapping[dt.date, str]]:
    """The package's tables (names in Vietnamese, in English, and without observed days).

    Cached: they depend only on the years, and each rebuild after a calendar change reuses them.
    """
    span = range(first_year, last_year + 1)
    return (
        dict(holidays.country_holidays("VN", years=span, language="vi")),
        dict(holidays.country_holidays("VN", years=span, language="en_US")),
        dict(holidays.country_holidays("VN", years=span, observed=False)),
    )


def build_snapshot(
    adjustments: Iterable[Adjustment],
    years: Iterable[YearStatus],
    *,
    revision: int,
    first: dt.date = SUPPORTED_FIRST,
    last: dt.date = SUPPORTED_LAST,
    culture_day_compensatory: bool = True,
) -> CalendarSnapshot:
    """Compile the calendar for [first, last].

    `culture_day_compensatory`: whether 24/11 (from 2026) falling on a weekend gets a
    compensatory day. The law is silent (docs/legal-basis.md#calendar), so it is a setting.
    Proposed adjustments apply but mark their day provisional; so does every day of a year
    whose schedule is not decided, including a year `years` says nothing about.
    """
    observed_vi, observed_en, statutory = _statutory(first.year, last.year)
    # Decided only when a status says so and none says otherwise: a year without a status is
    # not known to be decided (docs/legal-basis.md#calendar), so it is provisional.
    statuses = list(years)
    by_year = {y.year: y for y in statuses}
    decided_years = {y.year for y in statuses if not y.provisional} - {
        y.year for y in statuses if y.provisional
    }
    by_date = {a.date: a for a in adjustments}

    days: list[DayInfo] = []
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        d = dt.date.fromordinal(ordinal)
        provisional = d.year not in decided_years
        adjustment = by_date.get(d)
        if adjustment is not None:
            working = adjustment.kind is AdjustmentKind.WORKING_DAY
            source, confidence = split_confidence(adjustment.source)
            days.append(
                DayInfo(
                    date=d,
                    working=working,
                    kind=DayKind.SWAP_WORKING if working else DayKind.SWAP_OFF,
                    name_vi=adjustment.name_vi,
                    name_en=adjustment.name_en,
                    source=source,
                    provisional=provisional or adjustment.status is AdjustmentStatus.PROPOSED,
                    confidence=confidence,
                )
            )
            continue
        name_en = observed_en.get(d)
        if name_en is not None and _SUBSTITUTED not in name_en:
            if name_en == _CULTURE_DAY_OBSERVED and not culture_day_compensatory:
                name_en = None
        else:
            name_en = None  # swaps are ours alone (see the module docstring)
        weekend = d.weekday() >= 5
        if name_en is None:
            days.append(
                DayInfo(
                    date=d,
                    working=not weekend,
                    kind=DayKind.WEEKEND if weekend else DayKind.WORKING,
                    name_vi="Nghỉ hằng tuần" if weekend else None,
                    name_en="Weekly rest day" if weekend else None,
                    source="Quyết định 188/1999/QĐ-TTg" if weekend else None,
                    provisional=provisional,
                    confidence=Confidence.VERIFIED if weekend else None,
                )
            )
            continue
        is_statutory = d in statutory
        if is_statutory:
            source, confidence = (
                _holiday_source(d.year, name_en),
                Confidence.SECONDARY
                if name_en.startswith("Vietnam Cultural Day")
                else Confidence.VERIFIED,
            )
        else:
            source, confidence = _compensatory(d.year, name_en, by_year.get(d.year))
        days.append(
            DayInfo(
                date=d,
                working=False,
                kind=DayKind.HOLIDAY if is_statutory else DayKind.COMPENSATORY,
                name_vi=_tet_moved_name(observed_vi.get(d)),
                name_en=_tet_moved_name(name_en),
                source=source,
                provisional=provisional,
                confidence=confidence,
            )
        )
    span = range(first.year, last.year + 1)
    return CalendarSnapshot(
        days,
        revision=revision,
        provisional_years=frozenset(y for y in span if y not in decided_years),
    )
