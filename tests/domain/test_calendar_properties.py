"""Laws of working-day arithmetic on the shipped calendar, and agreement with `holidays`."""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.data.calendar import seed_adjustments
from app.domain.calendar import AdjustmentKind, CalendarSnapshot
from app.domain.errors import OutOfRange

D = dt.date

# Dates and spans chosen so that every add stays inside 2019-2030: a year has at least 248
# working days, so 250 working days is less than 13 months.
inner_dates = st.dates(D(2020, 2, 1), D(2029, 11, 30))
steps = st.integers(-250, 250)
any_dates = st.dates(D(2019, 1, 1), D(2030, 12, 31))
# Ordinals a little beyond the range on both sides, to exercise the refusals too.
ordinals = st.integers(D(2018, 10, 1).toordinal(), D(2031, 3, 31).toordinal())

FAST = settings(max_examples=300, deadline=None)


@FAST
@given(d=inner_dates, n=steps)
def test_count_undoes_add(calendar: CalendarSnapshot, d: dt.date, n: int) -> None:
    target = calendar.add_working_days(d, n)
    if n >= 0 or calendar.is_working(d):
        assert calendar.count_working_days(d, target) == n
    else:
        # backwards from a day off, d itself is not among the working days in (target, d]
        assert calendar.count_working_days(d, target) == n + 1


@FAST
@given(d=inner_dates, n=steps.filter(lambda n: n != 0))
def test_add_lands_on_a_working_day(calendar: CalendarSnapshot, d: dt.date, n: int) -> None:
    target = calendar.add_working_days(d, n)
    assert calendar.is_working(target)
    assert (target > d) if n > 0 else (target < d)


@FAST
@given(d=inner_dates, n=steps, m=steps)
def test_add_is_strictly_monotonic_in_n(
    calendar: CalendarSnapshot, d: dt.date, n: int, m: int
) -> None:
    lo, hi = sorted((n, m))
    a, b = calendar.add_working_days(d, lo), calendar.add_working_days(d, hi)
    assert (a < b) if lo < hi else (a == b)


@FAST
@given(d=inner_dates, n=steps)
def test_add_back_returns_to_a_working_start(
    calendar: CalendarSnapshot, d: dt.date, n: int
) -> None:
    start = calendar.on_or_after(d)
    assert calendar.add_working_days(calendar.add_working_days(start, n), -n) == start


@FAST
@given(d=inner_dates, n=st.integers(1, 250))
def test_add_one_at_a_time(calendar: CalendarSnapshot, d: dt.date, n: int) -> None:
    step = calendar.add_working_days(d, n - 1)
    assert calendar.add_working_days(d, n) == calendar.next_working_day(step)


@FAST
@given(a=any_dates, b=any_dates, c=any_dates)
def test_count_is_additive(calendar: CalendarSnapshot, a: dt.date, b: dt.date, c: dt.date) -> None:
    assert calendar.count_working_days(a, b) + calendar.count_working_days(
        b, c
    ) == calendar.count_working_days(a, c)


@settings(max_examples=100, deadline=None)
@given(a=any_dates, span=st.integers(0, 60))
def test_count_matches_a_day_by_day_walk(calendar: CalendarSnapshot, a: dt.date, span: int) -> None:
    b = min(a + dt.timedelta(days=span), calendar.last)
    walked = sum(d.working for d in calendar.days(a, b)) - calendar.is_working(a)
    assert calendar.count_working_days(a, b) == walked


@settings(max_examples=100, deadline=None)
@given(d=any_dates)
def test_next_working_day_matches_a_walk(calendar: CalendarSnapshot, d: dt.date) -> None:
    probe = d + dt.timedelta(days=1)
    while probe <= calendar.last and not calendar.is_working(probe):
        probe += dt.timedelta(days=1)
    if probe > calendar.last:
        with pytest.raises(OutOfRange):
            calendar.next_working_day(d)
    else:
        assert calendar.next_working_day(d) == probe


def _scalar_add(calendar: CalendarSnapshot, ordinal: int, n: int) -> int:
    try:
        return calendar.add_working_days(D.fromordinal(ordinal), n).toordinal()
    except OutOfRange:
        return -1


def _scalar_count(calendar: CalendarSnapshot, a: int, b: int) -> int | None:
    try:
        return calendar.count_working_days(D.fromordinal(a), D.fromordinal(b))
    except OutOfRange:
        return None


@settings(max_examples=60, deadline=None)
@given(items=st.lists(st.tuples(ordinals, st.integers(-400, 400)), min_size=1, max_size=50))
def test_batch_add_equals_scalar(calendar: CalendarSnapshot, items: list[tuple[int, int]]) -> None:
    starts = np.array([o for o, _ in items], dtype=np.int64)
    ns = np.array([n for _, n in items], dtype=np.int64)
    result, ok = calendar.add_working_days_many(starts, ns)
    expected = [_scalar_add(calendar, o, n) for o, n in items]
    assert result.tolist() == expected
    assert ok.tolist() == [e != -1 for e in expected]


@settings(max_examples=60, deadline=None)
@given(items=st.lists(st.tuples(ordinals, ordinals), min_size=1, max_size=50))
def test_batch_count_equals_scalar(
    calendar: CalendarSnapshot, items: list[tuple[int, int]]
) -> None:
    a = np.array([x for x, _ in items], dtype=np.int64)
    b = np.array([y for _, y in items], dtype=np.int64)
    counts, ok = calendar.count_working_days_many(a, b)
    expected = [_scalar_count(calendar, x, y) for x, y in items]
    assert ok.tolist() == [e is not None for e in expected]
    assert counts.tolist() == [0 if e is None else e for e in expected]


def test_large_batches_equal_scalar_across_chunks(calendar: CalendarSnapshot) -> None:
    # 40 000 items: the batch methods work in chunks, so this crosses several chunk boundaries.
    rng = np.random.default_rng(7)
    size = 40_000
    lo, hi = D(2018, 10, 1).toordinal(), D(2031, 3, 31).toordinal()
    starts = rng.integers(lo, hi, size, dtype=np.int64)
    ends = rng.integers(lo, hi, size, dtype=np.int64)
    steps = rng.integers(-300, 301, size, dtype=np.int64)
    steps[::7] = 0
    result, ok = calendar.add_working_days_many(starts, steps)
    expected = [_scalar_add(calendar, int(o), int(n)) for o, n in zip(starts, steps, strict=True)]
    assert result.tolist() == expected
    assert ok.tolist() == [e != -1 for e in expected]
    counts, ok = calendar.count_working_days_many(starts, ends)
    want = [_scalar_count(calendar, int(a), int(b)) for a, b in zip(starts, ends, strict=True)]
    assert ok.tolist() == [w is not None for w in want]
    assert counts.tolist() == [0 if w is None else w for w in want]


def test_batches_keep_the_input_shape(calendar: CalendarSnapshot) -> None:
    tet = D(2024, 2, 7).toordinal()  # Tết 2024: off Thu 8/2-Wed 14/2
    result, ok = calendar.add_working_days_many(np.array([[tet], [tet]]), np.array([[1, 0]]))
    assert result.tolist() == [[D(2024, 2, 15).toordinal(), tet]] * 2
    assert ok.shape == (2, 2)
    counts, _ = calendar.count_working_days_many(np.int64(tet), np.int64(tet + 8))
    assert counts.shape == ()
    assert int(counts) == 1  # (7/2, 15/2]: only Thu 15/2


def test_batches_accept_int32(calendar: CalendarSnapshot) -> None:
    starts = np.array([D(2024, 2, 7).toordinal(), D(2018, 1, 1).toordinal()], dtype=np.int32)
    result, ok = calendar.add_working_days_many(starts, np.array([1, 1], dtype=np.int32))
    assert result.tolist() == [D(2024, 2, 15).toordinal(), -1]  # Tết 2024: off 8-14/2
    assert ok.tolist() == [True, False]


# -- the `holidays` package as an independent statutory base -------------------------------


def test_agrees_with_the_holidays_package_except_documented_adjustments(
    calendar: CalendarSnapshot,
) -> None:
    """Every day of 2019-2026 against `holidays.country_holidays("VN").is_working_day`.

    The only allowed differences are our own official swaps (calendar.toml). Known today: the
    package lacks the 2026 New Year swap (Fri 2/1 off, Sat 10/1 worked; Công văn
    12729/VPCP-KGVX, Thông báo 9441/TB-BNV); it has the 2019, 2024, 2025 and August 2026 ones.
    """
    package = holidays.country_holidays("VN", years=range(2018, 2027))
    adjustments = {a.date: a for a in seed_adjustments()}
    disagreements = {}
    d = D(2019, 1, 1)
    while d <= D(2026, 12, 31):
        ours = calendar.is_working(d)
        if ours != package.is_working_day(d):
            disagreements[d] = ours
        d += dt.timedelta(days=1)
    unexplained = sorted(set(disagreements) - set(adjustments))
    assert unexplained == []
    for date, working in disagreements.items():
        assert working == (adjustments[date].kind is AdjustmentKind.WORKING_DAY)
