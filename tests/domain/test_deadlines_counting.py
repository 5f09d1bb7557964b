"""Ad-hoc periods: the Civil Code 2015 Arts. 147–148 corners (docs/legal-basis.md#counting), worked
by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.calendar import CalendarSnapshot, DayKind
from app.domain.deadlines import (
    Direction,
    Flag,
    InvalidPeriod,
    Roll,
    StepKind,
    Unit,
    compute_ad_hoc,
)
from app.domain.errors import OutOfRange

D = dt.date


@pytest.mark.parametrize(
    ("anchor", "amount", "unit", "expected"),
    [
        # Tue 5/3/2024 + 5 calendar days: 6, 7, 8, 9, 10 → Sun 10/3, a rest day → Mon 11/3
        (D(2024, 3, 5), 5, Unit.CALENDAR_DAYS, D(2024, 3, 11)),
        # Thu 25/4/2024 + 5: 26, 27, 28, 29, 30 → Tue 30/4 (holiday); 1/5 holiday → Thu 2/5
        (D(2024, 4, 25), 5, Unit.CALENDAR_DAYS, D(2024, 5, 2)),
        # inside Tết 2024 (8–14/2): Mon 5/2 + 5 → Sat 10/2 (Tết); 11–14 off → Thu 15/2
        (D(2024, 2, 5), 5, Unit.CALENDAR_DAYS, D(2024, 2, 15)),
        # inside Tết 2025 (27/1–1/2): Mon 20/1 + 10 → Thu 30/1 (Tết); 31/1, 1/2, Sun 2/2 → Mon 3/2
        (D(2025, 1, 20), 10, Unit.CALENDAR_DAYS, D(2025, 2, 3)),
        # make-up Saturday: Mon 29/4/2024 + 5 → Sat 4/5/2024, a working day (Công văn 2450): no roll
        (D(2024, 4, 29), 5, Unit.CALENDAR_DAYS, D(2024, 5, 4)),
        # a plain weekday: Tue 5/3/2024 + 7 → Tue 12/3
        (D(2024, 3, 5), 7, Unit.CALENDAR_DAYS, D(2024, 3, 12)),
        # Tue 5/3/2024 + 5 working days: Wed 6, Thu 7, Fri 8, Mon 11, Tue 12 → 12/3
        (D(2024, 3, 5), 5, Unit.WORKING_DAYS, D(2024, 3, 12)),
        # Fri 26/4/2024 + 3 working days: 27–28 weekend, 29 swap off, 30/4 + 1/5 holidays;
        # Thu 2/5 (1), Fri 3/5 (2), Sat 4/5 make-up working day (3) → 4/5
        (D(2024, 4, 26), 3, Unit.WORKING_DAYS, D(2024, 5, 4)),
        # Wed 7/2/2024 + 1 working day: 8–14/2 Tết → Thu 15/2
        (D(2024, 2, 7), 1, Unit.WORKING_DAYS, D(2024, 2, 15)),
        # Tue 5/3/2024 + 2 weeks → the corresponding day, Tue 19/3 (Art. 148(2))
        (D(2024, 3, 5), 2, Unit.WEEKS, D(2024, 3, 19)),
        # 31/1/2024 + 1 month: no 31/2 → last day of February in a leap year, Thu 29/2
        (D(2024, 1, 31), 1, Unit.MONTHS, D(2024, 2, 29)),
        # 31/1/2025 + 1 month → Fri 28/2/2025 (common year), a working day
        (D(2025, 1, 31), 1, Unit.MONTHS, D(2025, 2, 28)),
        # 31/1/2026 + 1 month → Sat 28/2/2026 → rolls to Mon 2/3/2026 (Art. 148(5))
        (D(2026, 1, 31), 1, Unit.MONTHS, D(2026, 3, 2)),
        # 31/1/2020 + 1 month → Sat 29/2/2020 (leap) → Mon 2/3/2020
        (D(2020, 1, 31), 1, Unit.MONTHS, D(2020, 3, 2)),
        # 15/3/2024 + 2 months → Wed 15/5/2024
        (D(2024, 3, 15), 2, Unit.MONTHS, D(2024, 5, 15)),
    ],
)
def test_forward_periods(
    calendar: CalendarSnapshot, anchor: dt.date, amount: int, unit: Unit, expected: dt.date
) -> None:
    assert compute_ad_hoc(calendar, anchor, amount, unit).due_date == expected


def test_a_period_ending_on_a_weekend_rolls_and_says_why(calendar: CalendarSnapshot) -> None:
    # Tue 5/3/2024 + 5 calendar days → Sun 10/3 → Mon 11/3
    result = compute_ad_hoc(calendar, D(2024, 3, 5), 5, Unit.CALENDAR_DAYS)
    assert [s.kind for s in result.trace] == [StepKind.ANCHOR, StepKind.COUNT, StepKind.ROLL]
    count, roll = result.trace[1], result.trace[2]
    assert count.date == D(2024, 3, 10)
    assert count.citation is not None and "Điều 147" in (count.citation.article or "")
    assert count.weekend_days == 2  # Sat 9, Sun 10 inside 6..10/3
    assert roll.date == D(2024, 3, 11)
    assert roll.citation is not None and roll.citation.article == "Điều 148(5)"
    assert roll.weekend_days == 1  # only Sun 10/3 passed over by the roll
    assert result.roll is Roll.FOLLOWING
    assert result.flags == {Flag.ROLLED}
    assert result.calendar_revision == calendar.revision
    assert result.provisional is False


def test_a_period_ending_on_a_holiday_names_the_holidays(calendar: CalendarSnapshot) -> None:
    # Thu 25/4/2024 + 5 → Tue 30/4; roll passes 30/4 and 1/5 (both holidays) → Thu 2/5
    roll = compute_ad_hoc(calendar, D(2024, 4, 25), 5, Unit.CALENDAR_DAYS).trace[-1]
    assert [d.date for d in roll.notable_days] == [D(2024, 4, 30), D(2024, 5, 1)]
    assert {d.kind for d in roll.notable_days} == {DayKind.HOLIDAY}


def test_a_make_up_saturday_is_not_rolled_and_is_shown(calendar: CalendarSnapshot) -> None:
    # Mon 29/4/2024 + 5 → Sat 4/5/2024, a make-up working day
    result = compute_ad_hoc(calendar, D(2024, 4, 29), 5, Unit.CALENDAR_DAYS)
    assert result.flags == frozenset()
    last = result.trace[-1]
    assert last.kind is StepKind.ROLL and "no roll" in last.detail
    assert [d.kind for d in last.notable_days] == [DayKind.SWAP_WORKING]


def test_working_days_name_the_days_skipped(calendar: CalendarSnapshot) -> None:
    # Fri 26/4/2024 + 3 working days → Sat 4/5: skipped Sat 27, Sun 28 (weekend), Mon 29 (swap),
    # Tue 30/4 and Wed 1/5 (holidays); counted Thu 2, Fri 3, Sat 4 (make-up)
    count = compute_ad_hoc(calendar, D(2024, 4, 26), 3, Unit.WORKING_DAYS).trace[1]
    assert count.weekend_days == 2
    assert [(d.date, d.kind) for d in count.notable_days] == [
        (D(2024, 4, 29), DayKind.SWAP_OFF),
        (D(2024, 4, 30), DayKind.HOLIDAY),
        (D(2024, 5, 1), DayKind.HOLIDAY),
        (D(2024, 5, 4), DayKind.SWAP_WORKING),
    ]
    assert "5 day(s) off skipped" in count.detail


@pytest.mark.parametrize(
    ("roll", "expected", "flags"),
    [
        # Tue 5/3/2024 + 5 → Sun 10/3: none keeps it (flagged), preceding → Fri 8/3
        (Roll.NONE, D(2024, 3, 10), frozenset({Flag.DUE_ON_DAY_OFF})),
        (Roll.PRECEDING, D(2024, 3, 8), frozenset({Flag.ROLLED})),
        (Roll.FOLLOWING, D(2024, 3, 11), frozenset({Flag.ROLLED})),
    ],
)
def test_an_explicit_roll(
    calendar: CalendarSnapshot, roll: Roll, expected: dt.date, flags: frozenset[Flag]
) -> None:
    result = compute_ad_hoc(calendar, D(2024, 3, 5), 5, Unit.CALENDAR_DAYS, roll=roll)
    assert (result.due_date, result.flags, result.roll) == (expected, flags, roll)


def test_backward_counts_back_without_a_forward_roll(calendar: CalendarSnapshot) -> None:
    # legal document effective Mon 1/7/2024; ≥ 5 days before: 1/7 − 5 = Wed 26/6/2024
    result = compute_ad_hoc(
        calendar, D(2024, 7, 1), 5, Unit.CALENDAR_DAYS, direction=Direction.BACKWARD
    )
    assert result.due_date == D(2024, 6, 26)
    assert result.roll is Roll.NONE
    assert any("#counting-backward" in note for note in result.notes)


def test_backward_onto_a_sunday_stays_or_rolls_back(calendar: CalendarSnapshot) -> None:
    # effective Fri 5/7/2024 − 5 days = Sun 30/6/2024: no forward roll (that would pass the limit)
    kept = compute_ad_hoc(
        calendar, D(2024, 7, 5), 5, Unit.CALENDAR_DAYS, direction=Direction.BACKWARD
    )
    assert (kept.due_date, kept.flags) == (D(2024, 6, 30), frozenset({Flag.DUE_ON_DAY_OFF}))
    # the option of docs/legal-basis.md#counting-backward: back to the previous working day, Fri
    # 28/6/2024
    back = compute_ad_hoc(
        calendar,
        D(2024, 7, 5),
        5,
        Unit.CALENDAR_DAYS,
        direction=Direction.BACKWARD,
        roll=Roll.PRECEDING,
    )
    assert (back.due_date, back.flags) == (D(2024, 6, 28), frozenset({Flag.ROLLED}))


def test_backward_working_days(calendar: CalendarSnapshot) -> None:
    # 3 working days before Thu 2/5/2024: Tue 30/4, Wed 1/5 holidays, Mon 29/4 swap off;
    # Fri 26/4 (1), Thu 25/4 (2), Wed 24/4 (3) → 24/4
    result = compute_ad_hoc(
        calendar, D(2024, 5, 2), 3, Unit.WORKING_DAYS, direction=Direction.BACKWARD
    )
    assert result.due_date == D(2024, 4, 24)


def test_zero_days_is_the_anchor_rolled_like_any_last_day(calendar: CalendarSnapshot) -> None:
    # 0 days from Sun 10/3/2024: the anchor itself, a rest day → Mon 11/3
    assert compute_ad_hoc(calendar, D(2024, 3, 10), 0, Unit.CALENDAR_DAYS).due_date == D(
        2024, 3, 11
    )
    # 0 days from a working day is that day: Tue 5/3/2024
    assert compute_ad_hoc(calendar, D(2024, 3, 5), 0, Unit.WORKING_DAYS).due_date == D(2024, 3, 5)


def test_a_negative_amount_is_refused(calendar: CalendarSnapshot) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        compute_ad_hoc(calendar, D(2024, 3, 5), -1, Unit.CALENDAR_DAYS)
    assert caught.value.field == "amount"


@pytest.mark.parametrize(
    ("anchor", "amount", "unit"),
    [
        (D(2030, 12, 20), 30, Unit.CALENDAR_DAYS),  # ends 19/1/2031, past the calendar
        (D(2030, 12, 20), 20, Unit.WORKING_DAYS),
        (D(2030, 12, 20), 1, Unit.MONTHS),
        (D(2018, 12, 31), 1, Unit.CALENDAR_DAYS),  # anchor before 2019-01-01
        (D(2024, 3, 5), 10**9, Unit.MONTHS),  # beyond any date
    ],
)
def test_out_of_range_is_refused(
    calendar: CalendarSnapshot, anchor: dt.date, amount: int, unit: Unit
) -> None:
    with pytest.raises(OutOfRange):
        compute_ad_hoc(calendar, anchor, amount, unit)


def test_answers_in_undecided_years_are_provisional(calendar: CalendarSnapshot) -> None:
    # 2028 is not yet decided in the shipped calendar (Tết / 2-9 / swaps)
    assert compute_ad_hoc(calendar, D(2028, 3, 1), 5, Unit.WORKING_DAYS).provisional is True
    assert compute_ad_hoc(calendar, D(2027, 12, 20), 20, Unit.CALENDAR_DAYS).provisional is True
    assert compute_ad_hoc(calendar, D(2026, 3, 2), 5, Unit.WORKING_DAYS).provisional is False
