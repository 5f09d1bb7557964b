"""Data cut-off windows (ND 09/2019 Art. 12) and the time left between a window and its due day.

Constructed duties (half-year, nine months) exercise what the shipped plans do not use: the roll
choices, an inclusive reading of "trước", and a check that fails.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.reporting import load_reporting_catalog
from app.domain.calendar import CalendarSnapshot
from app.domain.reporting import (
    Bound,
    Citation,
    Confidence,
    CutoffCheck,
    DayOffFlag,
    DeadlineRow,
    Level,
    LevelDeadline,
    Occurrence,
    PeriodKind,
    ProfileDefinition,
    RecurringDuty,
    ReportingCatalog,
    ReportingPolicy,
    ReportingProfile,
    Roll,
    build_catalog,
    parse_period,
    parse_slots,
    period_schedule,
)

D = dt.date
SHIPPED = load_reporting_catalog()
TEST_CITATION = Citation("Constructed test rule", "—", Confidence.UNCERTAIN)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        # A month: 15th of the previous month → 14th of the month, across the year boundary.
        ("2024-M01", D(2023, 12, 15), D(2024, 1, 14)),
        ("2024-M03", D(2024, 2, 15), D(2024, 3, 14)),
        # Q1 runs from 15/12 of the previous year to 14/3.
        ("2024-Q1", D(2023, 12, 15), D(2024, 3, 14)),
        ("2024-Q4", D(2024, 9, 15), D(2024, 12, 14)),
        ("2024-H1", D(2023, 12, 15), D(2024, 6, 14)),
        ("2024-H2", D(2024, 6, 15), D(2024, 12, 14)),
        ("2024-9M", D(2023, 12, 15), D(2024, 9, 14)),
        ("2024-Y", D(2023, 12, 15), D(2024, 12, 14)),
    ],
)
def test_window(period: str, start: dt.date, end: dt.date) -> None:
    p = parse_period(period)
    window = SHIPPED.cutoff(p.kind).window(p)
    assert (window.start, window.end) == (start, end)
    assert window.citation.document.startswith("Nghị định 09/2019/NĐ-CP")


def test_nine_month_window_is_marked_uncertain() -> None:
    assert SHIPPED.cutoff(PeriodKind.NINE_MONTHS).citation.confidence is Confidence.UNCERTAIN


def _catalog(
    *deadlines: LevelDeadline,
    periods: tuple[str, ...] = ("H1", "H2", "9M"),
    before_inclusive: bool = False,
    min_days: int = 1,
) -> ReportingCatalog:
    profile = ReportingProfile(
        code="test",
        name_vi="Thử",
        name_en="Test",
        source="constructed",
        plan_year=None,
        before_inclusive=before_inclusive,
        before_reason="constructed reading of 'trước'",
        duties=(),
    )
    duty = RecurringDuty(
        code="test-report",
        title_vi="Báo cáo thử",
        title_en="Test report",
        periods=tuple(s for code in periods for s in parse_slots(code)),
        periodic_report=True,
        deadlines=(),
        citation=TEST_CITATION,
    )
    return build_catalog(
        levels=SHIPPED.levels.values(),
        cutoffs=SHIPPED.cutoffs.values(),
        policy=ReportingPolicy(min_working_days_after_cutoff=min_days, due_soon_working_days=5),
        duties=[duty],
        profiles=[ProfileDefinition(profile, None)],
        deadlines=[DeadlineRow("test", "test-report", d) for d in deadlines],
    )


def _deadline(day: int, bound: Bound = Bound.AT_LATEST, roll: Roll = Roll.NONE) -> LevelDeadline:
    return LevelDeadline(
        level=Level.DEPARTMENT,
        day=day,
        bound=bound,
        roll=roll,
        phrase=f"constructed: day {day}",
        citation=TEST_CITATION,
        roll_reason="constructed roll",
    )


def _one(calendar: CalendarSnapshot, catalog: ReportingCatalog, period: str) -> Occurrence:
    (entry,) = period_schedule(calendar, catalog, "test", period).entries
    (occurrence,) = entry.occurrences
    return occurrence


def _check(o: Occurrence) -> CutoffCheck:
    assert o.cutoff is not None
    return o.cutoff


def _flag(o: Occurrence) -> DayOffFlag:
    assert o.day_off is not None
    return o.day_off


def test_check_passes_with_one_working_day_between(calendar: CalendarSnapshot) -> None:
    # H1 2021: window closes Monday 14/6/2021; due Wednesday 16/6; Tuesday 15 lies between.
    o = _one(calendar, _catalog(_deadline(16)), "2021-H1")
    assert o.due_date == D(2021, 6, 16)
    assert _check(o).working_days_between == 1
    assert _check(o).ok
    assert o.flags == ()


def test_check_fails_when_only_a_weekend_lies_between(calendar: CalendarSnapshot) -> None:
    # H1 2024: window closes Friday 14/6/2024; day 16 is a Sunday kept as is (roll none); only
    # Saturday 15 lies between: no working day to compile the figures.
    o = _one(calendar, _catalog(_deadline(16)), "2024-H1")
    assert o.due_date == D(2024, 6, 16)
    assert _check(o).working_days_between == 0
    assert not _check(o).ok
    assert o.flags == ("day_off", "cutoff_too_close")
    # roll none still flags the day off, with the "rolled" day equal to the original
    assert _flag(o).rolled_to == _flag(o).original == D(2024, 6, 16)


def test_the_minimum_is_data(calendar: CalendarSnapshot) -> None:
    # The H1 2021 case above has one working day between: enough for 1, too few for 2.
    o = _one(calendar, _catalog(_deadline(16), min_days=2), "2021-H1")
    assert _check(o).working_days_between == 1
    assert "cutoff_too_close" in o.flags


def test_due_before_the_window_closes(calendar: CalendarSnapshot) -> None:
    # Nine months 2024: window closes Saturday 14/9/2024; a day-10 rule is due Tuesday 10/9.
    o = _one(calendar, _catalog(_deadline(10)), "2024-9M")
    assert o.due_date == D(2024, 9, 10)
    assert _check(o).working_days_between == 0
    assert "cutoff_too_close" in o.flags
    assert "before the data window closes" in o.trace[-1].detail


def test_real_case_thanh_hoa_q2_2024(calendar: CalendarSnapshot) -> None:
    # "trước ngày 17" → 16/6/2024, a Sunday; rolled back past Saturday 15 to Friday 14/6, the
    # very day the Q2 window closes: flagged.
    (entry,) = period_schedule(
        calendar, SHIPPED, "thanh-hoa-district-2021", "2024-Q2", "commune"
    ).entries
    (o,) = entry.occurrences
    assert o.nominal_date == D(2024, 6, 16)
    assert o.due_date == D(2024, 6, 14)
    assert _check(o).window.end == D(2024, 6, 14)
    assert o.flags == ("day_off", "cutoff_too_close")


@pytest.mark.parametrize(
    ("roll", "expected"),
    [
        (Roll.NONE, D(2024, 6, 16)),  # Sunday kept
        (Roll.FOLLOWING, D(2024, 6, 17)),  # Monday
        (Roll.PRECEDING, D(2024, 6, 14)),  # Friday, past Saturday 15
    ],
)
def test_roll_choices(calendar: CalendarSnapshot, roll: Roll, expected: dt.date) -> None:
    o = _one(calendar, _catalog(_deadline(16, roll=roll)), "2024-H1")
    assert o.due_date == expected
    assert _flag(o).roll is roll
    assert _flag(o).rolled_to == expected


def test_before_read_inclusively_when_the_profile_says_so(calendar: CalendarSnapshot) -> None:
    # "trước ngày 17", H2 2024: strictly → 16/12/2024 (Monday); inclusively → 17/12 (Tuesday).
    strict = _one(calendar, _catalog(_deadline(17, Bound.BEFORE)), "2024-H2")
    inclusive = _one(
        calendar, _catalog(_deadline(17, Bound.BEFORE), before_inclusive=True), "2024-H2"
    )
    assert strict.due_date == D(2024, 12, 16)
    assert inclusive.due_date == D(2024, 12, 17)
    assert "constructed reading of 'trước'" in inclusive.interpretation
