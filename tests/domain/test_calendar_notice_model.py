"""The calendar notice model (app/data/notices.py): what a notice must say to be accepted."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.data.notices import CalendarNotice, with_placements
from app.domain.calendar import PlacedHoliday, YearStatus


def notice_2026(**changes: Any) -> dict[str, Any]:
    # Thông báo 9441/TB-BNV: Fri 2/1/2026 off, worked Sat 10/1; Mon 31/8 off, worked Sat 22/8
    # (docs/legal-basis.md#calendar-swaps). Its signing date is not in the sources: the one
    # below only has to be a date.
    return {
        "number": "9441/TB-BNV",
        "issuer": "Bộ Nội vụ",
        "signed_on": "2025-12-01",
        "title": "Thông báo nghỉ Tết Âm lịch, Quốc khánh năm 2026",
        "status": "decided",
        "decides_years": [2026],
        "swaps": [
            {
                "day_off": "2026-01-02",
                "working_day": "2026-01-10",
                "name_vi": "Nghỉ hoán đổi Tết Dương lịch",
                "name_en": "New Year swap day off",
            },
            {
                "day_off": "2026-08-31",
                "working_day": "2026-08-22",
                "name_vi": "Nghỉ hoán đổi Quốc khánh",
                "name_en": "National Day swap day off",
            },
        ],
    } | changes


def test_a_notice_with_its_swaps() -> None:
    notice = CalendarNotice.model_validate(notice_2026())
    assert [(s.day_off.weekday(), s.working_day.weekday()) for s in notice.swaps] == [
        (4, 5),  # Friday off, Saturday worked
        (0, 5),  # Monday off, Saturday worked
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "maybe"},
        {"number": " 9441/TB-BNV"},
        {"extra": 1},
        # Sun 11/1/2026 is not a Saturday: not a make-up day of a swap
        {
            "swaps": [
                {
                    "day_off": "2026-01-02",
                    "working_day": "2026-01-11",
                    "name_vi": "x",
                    "name_en": "x",
                }
            ]
        },
    ],
)
def test_bad_notices_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CalendarNotice.model_validate(notice_2026(**changes))


@pytest.mark.parametrize(
    ("changes", "entry"),
    [
        ({"decides_years": [2027]}, "swaps[0].day_off"),  # its dates are in 2026
        # a date twice: Fri 2/1/2026 is the day off of the first swap
        (
            {"days_off": [{"date": "2026-01-02", "name_vi": "x", "name_en": "x"}]},
            "swaps[0].day_off",
        ),
        # Sat 10/1/2026 alone: half of a swap, unless marked lone
        (
            {"swaps": [], "working_days": [{"date": "2026-01-10", "name_vi": "x", "name_en": "x"}]},
            "working_days[0].date",
        ),
    ],
)
def test_inconsistent_entries_are_named(changes: dict[str, Any], entry: str) -> None:
    notice = CalendarNotice.model_validate(notice_2026(**changes))
    assert entry in [field for field, _ in notice.problems()]


def test_a_lone_make_up_day_is_accepted_when_marked() -> None:
    notice = CalendarNotice.model_validate(
        notice_2026(
            swaps=[],
            working_days=[{"date": "2026-01-10", "name_vi": "x", "name_en": "x", "lone": True}],
        )
    )
    assert notice.problems() == []


def _placing(number: str, signed_on: str | None, **changes: Any) -> CalendarNotice:
    # Hypothetical notices (not real documents), each deciding 2028 with no entries.
    return CalendarNotice.model_validate(
        {
            "number": number,
            "issuer": "Cơ quan thử nghiệm",
            "signed_on": signed_on,
            "title": "Thông báo thử nghiệm lịch nghỉ Tết",
            "status": "decided",
            "decides_years": [2028],
            "confidence": "S",
        }
        | changes
    )


def test_the_notices_placing_a_years_holidays_are_carried_on_its_status() -> None:
    years = [YearStatus(2027, provisional=False, note=""), YearStatus(2028, False, "")]
    placed = with_placements(
        years,
        [
            _placing("1/TB-A", "2027-09-01", places=["tet", "national_day"]),
            # signed later: it stands for Tết; it does not place 2/9
            _placing("2/TB-A", "2027-10-01", places=["tet"]),
            # a proposed one places nothing yet
            _placing("3/TB-A", "2027-11-01", places=["national_day"], status="proposed"),
            # a swap-only notice places nothing
            _placing("4/TB-A", "2027-12-01"),
        ],
    )
    assert placed[0].placed_by == ()
    assert placed[1].placed(PlacedHoliday.TET) == "2/TB-A [S]"
    assert placed[1].placed(PlacedHoliday.NATIONAL_DAY) == "1/TB-A [S]"


def test_a_holiday_placed_twice_by_one_notice_is_named() -> None:
    notice = _placing("1/TB-A", None, places=["tet", "tet"])
    assert notice.problems() == [("places", "a holiday is listed twice")]
    with pytest.raises(ValidationError):
        _placing("1/TB-A", None, places=["giỗ tổ"])
