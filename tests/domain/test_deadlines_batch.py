"""The vectorised path: hand-worked items, per-item errors, and agreement with the engine."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import (
    BatchError,
    Direction,
    Roll,
    Unit,
    compute_ad_hoc,
    due_dates_many,
    rule_due_dates_many,
)
from app.domain.errors import OutOfRange

D = dt.date


def ordinals(*days: dt.date) -> np.ndarray:
    return np.array([d.toordinal() for d in days], dtype=np.int64)


def dates(values: np.ndarray) -> list[dt.date | None]:
    return [dt.date.fromordinal(int(v)) if v > 0 else None for v in values]


def test_calendar_days_roll_forward(calendar: CalendarSnapshot) -> None:
    result = due_dates_many(
        ordinals(D(2024, 3, 5), D(2024, 2, 5), D(2024, 4, 29), D(2024, 3, 5)),
        np.array([5, 5, 5, 7]),
        Unit.CALENDAR_DAYS,
        calendar,
    )
    assert dates(result.due) == [
        D(2024, 3, 11),  # Sun 10/3 → Mon 11/3
        D(2024, 2, 15),  # Sat 10/2 in Tết → Thu 15/2
        D(2024, 5, 4),  # make-up Saturday: no roll
        D(2024, 3, 12),  # Tue 12/3, a working day
    ]
    assert result.rolled.tolist() == [True, True, False, False]
    assert result.error.tolist() == [0, 0, 0, 0]


def test_working_days(calendar: CalendarSnapshot) -> None:
    # Tue 5/3/2024 + 5 → 6, 7, 8, 11, 12 → 12/3; Fri 26/4/2024 + 3 → Thu 2, Fri 3, Sat 4/5 → 4/5
    result = due_dates_many(
        ordinals(D(2024, 3, 5), D(2024, 4, 26)), np.array([5, 3]), Unit.WORKING_DAYS, calendar
    )
    assert dates(result.due) == [D(2024, 3, 12), D(2024, 5, 4)]


def test_weeks_and_months(calendar: CalendarSnapshot) -> None:
    # Tue 5/3/2024 + 2 weeks → Tue 19/3
    weeks = due_dates_many(ordinals(D(2024, 3, 5)), np.array([2]), Unit.WEEKS, calendar)
    assert dates(weeks.due) == [D(2024, 3, 19)]
    # 31/1/2024 + 1 → 29/2/2024; 31/1/2025 + 1 → 28/2/2025; 31/1/2026 + 1 → Sat 28/2 → Mon 2/3
    months = due_dates_many(
        ordinals(D(2024, 1, 31), D(2025, 1, 31), D(2026, 1, 31)),
        np.array([1, 1, 1]),
        Unit.MONTHS,
        calendar,
    )
    assert dates(months.due) == [D(2024, 2, 29), D(2025, 2, 28), D(2026, 3, 2)]


def test_backward_does_not_roll(calendar: CalendarSnapshot) -> None:
    # 1/7/2024 − 5 → Wed 26/6; 5/7/2024 − 5 → Sun 30/6 kept
    result = due_dates_many(
        ordinals(D(2024, 7, 1), D(2024, 7, 5)),
        np.array([5, 5]),
        Unit.CALENDAR_DAYS,
        calendar,
        direction=Direction.BACKWARD,
    )
    assert dates(result.due) == [D(2024, 6, 26), D(2024, 6, 30)]
    assert result.rolled.tolist() == [False, False]


def test_bad_items_get_their_own_error(calendar: CalendarSnapshot) -> None:
    result = due_dates_many(
        ordinals(D(2024, 3, 5), D(2018, 12, 31), D(2030, 12, 20), D(2024, 3, 5), D(2024, 3, 5)),
        np.array([5, 5, 30, -1, 10**12]),
        Unit.CALENDAR_DAYS,
        calendar,
    )
    assert result.error.tolist() == [
        BatchError.NONE,
        BatchError.OUT_OF_RANGE,  # anchor before the calendar
        BatchError.OUT_OF_RANGE,  # 20/12/2030 + 30 → 2031
        BatchError.NEGATIVE_AMOUNT,
        BatchError.OUT_OF_RANGE,  # absurdly long
    ]
    assert dates(result.due) == [D(2024, 3, 11), None, None, None, None]


def test_absurd_anchors_are_refused_for_every_unit(calendar: CalendarSnapshot) -> None:
    anchors = np.array([0, -5, 10**15], dtype=np.int64)
    for unit in Unit:
        result = due_dates_many(anchors, np.array([1, 1, 1]), unit, calendar)
        assert result.error.tolist() == [BatchError.OUT_OF_RANGE] * 3
        assert result.due.tolist() == [-1, -1, -1]


def test_provisional_years_are_marked(calendar: CalendarSnapshot) -> None:
    # 2028 is provisional in the shipped calendar; 2024 is decided
    result = due_dates_many(
        ordinals(D(2028, 3, 1), D(2024, 3, 1)), np.array([5, 5]), Unit.WORKING_DAYS, calendar
    )
    assert result.provisional.tolist() == [True, False]


def test_a_rule_in_force_only_for_some_anchors(calendar: CalendarSnapshot) -> None:
    from app.data.rules import load_catalog

    rule = load_catalog().rule("national.dossier-supplement-request")  # in force to 30/6/2025
    result = rule_due_dates_many(rule, ordinals(D(2025, 6, 30), D(2025, 7, 1)), calendar)
    # Mon 30/6/2025 + 3 working days → Tue 1, Wed 2, Thu 3/7
    assert dates(result.due) == [D(2025, 7, 3), None]
    assert result.error.tolist() == [BatchError.NONE, BatchError.NOT_IN_FORCE]


_UNITS = st.sampled_from(list(Unit))
_ROLLS = st.sampled_from([None, *Roll])
_DIRECTIONS = st.sampled_from(list(Direction))
_DAYS = st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    anchor=_DAYS,
    amount=st.integers(min_value=0, max_value=400),
    unit=_UNITS,
    direction=_DIRECTIONS,
    roll=_ROLLS,
)
def test_the_batch_agrees_with_the_engine(
    calendar: CalendarSnapshot,
    anchor: dt.date,
    amount: int,
    unit: Unit,
    direction: Direction,
    roll: Roll | None,
) -> None:
    batch = due_dates_many(
        ordinals(anchor), np.array([amount]), unit, calendar, direction=direction, roll=roll
    )
    try:
        one = compute_ad_hoc(calendar, anchor, amount, unit, direction=direction, roll=roll)
    except OutOfRange:
        assert batch.error.tolist() == [BatchError.OUT_OF_RANGE]
        return
    assert dates(batch.due) == [one.due_date]
    assert batch.provisional.tolist() == [one.provisional]
