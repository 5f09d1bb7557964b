"""Quảng Nam 2024 (QĐ 467/QĐ-UBND): the quarterly chain 17 / 19 / 22 and the monthly publications.

Every expected date is worked out by hand from the plan and the official calendar; weekdays were
checked against a printed 2024 calendar. Defaults in the national profile's reporting section:
"chậm nhất là ngày N" on a day off rolls to the next working day, "trước ngày N" means N − 1 and
rolls back.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.reporting import load_reporting_catalog
from app.domain.calendar import CalendarSnapshot, DayKind
from app.domain.reporting import Occurrence, Roll, Schedule, year_schedule

D = dt.date
CATALOG = load_reporting_catalog()


def _due(schedule: Schedule, duty: str, period: str) -> dict[str, Occurrence]:
    (entry,) = (e for e in schedule.entries if e.duty.code == duty and e.period.code == period)
    return {o.level.value: o for o in entry.occurrences}


@pytest.fixture(scope="module")
def qn2024(calendar: CalendarSnapshot) -> Schedule:
    return year_schedule(calendar, CATALOG, "quang-nam-2024", 2024)


# (period, commune, district, department, province)
QUARTERLY_2024 = [
    # March: 17 is a Sunday → Monday 18; 19 Tuesday; 22 Friday.
    ("2024-Q1", D(2024, 3, 18), D(2024, 3, 19), D(2024, 3, 19), D(2024, 3, 22)),
    # June: 17 Monday; 19 Wednesday; 22 is a Saturday → Monday 24.
    ("2024-Q2", D(2024, 6, 17), D(2024, 6, 19), D(2024, 6, 19), D(2024, 6, 24)),
    # September: 17 Tuesday; 19 Thursday; 22 is a Sunday → Monday 23.
    ("2024-Q3", D(2024, 9, 17), D(2024, 9, 19), D(2024, 9, 19), D(2024, 9, 23)),
    # December (1/12 is a Sunday): 17 Tuesday; 19 Thursday; 22 is a Sunday → Monday 23.
    ("2024-Q4", D(2024, 12, 17), D(2024, 12, 19), D(2024, 12, 19), D(2024, 12, 23)),
    # The year report: the same December days as the fourth quarter.
    ("2024-Y", D(2024, 12, 17), D(2024, 12, 19), D(2024, 12, 19), D(2024, 12, 23)),
]


@pytest.mark.parametrize(
    ("period", "commune", "district", "department", "province"), QUARTERLY_2024
)
def test_quarterly_chain_2024_every_level(
    qn2024: Schedule,
    period: str,
    commune: dt.date,
    district: dt.date,
    department: dt.date,
    province: dt.date,
) -> None:
    due = _due(qn2024, "kstthc-report", period)
    assert {level: o.due_date for level, o in due.items()} == {
        "commune": commune,
        "district": district,
        "department": department,
        # Quảng Nam's 22nd replaces the national 25th (ND 09/2019 Art. 13(1)) for the province.
        "province": province,
    }


def test_q1_2024_commune_day_off_is_flagged_with_the_original_day(qn2024: Schedule) -> None:
    commune = _due(qn2024, "kstthc-report", "2024-Q1")["commune"]
    assert commune.nominal_date == D(2024, 3, 17)
    assert commune.day_off is not None
    assert commune.day_off.original == D(2024, 3, 17)  # Sunday
    assert commune.day_off.kind is DayKind.WEEKEND
    assert commune.day_off.name_vi == "Nghỉ hằng tuần"
    assert commune.day_off.roll is Roll.FOLLOWING
    assert commune.day_off.rolled_to == D(2024, 3, 18)
    assert "day_off" in commune.flags
    assert any("Điều 148" in note for note in commune.interpretation)
    assert [step.step for step in commune.trace] == ["period", "fixed_day", "roll", "cutoff"]


def test_working_fixed_days_are_not_flagged(qn2024: Schedule) -> None:
    due = _due(qn2024, "kstthc-report", "2024-Q1")
    # 19/3/2024 is a Tuesday and 22/3/2024 a Friday: nothing to roll.
    assert due["department"].day_off is None
    assert due["province"].day_off is None
    assert due["province"].nominal_date == due["province"].due_date == D(2024, 3, 22)


def test_cutoff_window_and_time_left_2024(qn2024: Schedule) -> None:
    q1 = _due(qn2024, "kstthc-report", "2024-Q1")
    # Q1 window 15/12/2023 → 14/3/2024 (Thursday); commune due Monday 18/3: Friday 15 is the
    # one working day strictly between.
    assert q1["commune"].cutoff is not None
    assert q1["commune"].cutoff.window.start == D(2023, 12, 15)
    assert q1["commune"].cutoff.window.end == D(2024, 3, 14)
    assert q1["commune"].cutoff.working_days_between == 1
    assert q1["commune"].cutoff.ok
    q2 = _due(qn2024, "kstthc-report", "2024-Q2")
    # Q2 window closes Friday 14/6/2024; the commune is due Monday 17/6: only Saturday 15 and
    # Sunday 16 lie between, so there is no working day to compile the report: flagged.
    assert q2["commune"].cutoff is not None
    assert q2["commune"].cutoff.working_days_between == 0
    assert "cutoff_too_close" in q2["commune"].flags
    # The province, due Monday 24/6, has Mon 17 – Fri 21 between: 5 working days.
    assert q2["province"].cutoff is not None
    assert q2["province"].cutoff.working_days_between == 5
    assert "cutoff_too_close" not in q2["province"].flags


def test_fourth_quarter_and_year_report_use_their_own_windows(qn2024: Schedule) -> None:
    q4 = _due(qn2024, "kstthc-report", "2024-Q4")["department"]
    year = _due(qn2024, "kstthc-report", "2024-Y")["department"]
    # ND 09/2019 Art. 12: Q4 from 15/9 to 14/12/2024; the year from 15/12/2023 to 14/12/2024.
    assert q4.cutoff is not None and year.cutoff is not None
    assert (q4.cutoff.window.start, q4.cutoff.window.end) == (D(2024, 9, 15), D(2024, 12, 14))
    assert (year.cutoff.window.start, year.cutoff.window.end) == (D(2023, 12, 15), D(2024, 12, 14))
    # Both due Thursday 19/12; 14/12 is a Saturday, so Mon 16 – Wed 18 lie between: 3 days.
    assert q4.due_date == year.due_date == D(2024, 12, 19)
    assert q4.cutoff.working_days_between == year.cutoff.working_days_between == 3
    assert q4.uid != year.uid  # two reports, not one


def test_q4_2024_province_sunday_is_rolled_and_flagged(qn2024: Schedule) -> None:
    province = _due(qn2024, "kstthc-report", "2024-Q4")["province"]
    # "chậm nhất là ngày 22": Sunday 22/12/2024 → Monday 23/12.
    assert province.nominal_date == D(2024, 12, 22)
    assert province.day_off is not None
    assert province.day_off.original == D(2024, 12, 22)
    assert province.day_off.kind is DayKind.WEEKEND
    assert province.day_off.roll is Roll.FOLLOWING
    assert province.day_off.rolled_to == D(2024, 12, 23)
    assert province.flags == ("day_off",)


# Service-index results, "Định kỳ trước ngày 10 hằng tháng" (departments and districts) and
# "trước ngày 15 hằng tháng" (communes): strictly before → the 9th and the 14th, rolled back.
MONTHLY_2024 = [
    ("2024-M01", "department", D(2024, 1, 9)),  # Tuesday 9/1
    # 9/2/2024 is a Tết holiday and 8/2 a day off too (Tết 8–14/2/2024): back to Wednesday 7/2.
    ("2024-M02", "department", D(2024, 2, 7)),
    ("2024-M03", "department", D(2024, 3, 8)),  # 9/3 Saturday → Friday 8/3
    ("2024-M06", "district", D(2024, 6, 7)),  # 9/6 Sunday → Friday 7/6
    ("2024-M08", "department", D(2024, 8, 9)),  # Friday 9/8
    ("2024-M01", "commune", D(2024, 1, 12)),  # 14/1 Sunday → Friday 12/1
    # 14/2 back to 8/2 are all Tết days off: Wednesday 7/2.
    ("2024-M02", "commune", D(2024, 2, 7)),
    ("2024-M05", "commune", D(2024, 5, 14)),  # Tuesday 14/5
    ("2024-M12", "commune", D(2024, 12, 13)),  # 14/12 Saturday → Friday 13/12
]


@pytest.mark.parametrize(("period", "level", "expected"), MONTHLY_2024)
def test_monthly_service_index_before_day(
    qn2024: Schedule, period: str, level: str, expected: dt.date
) -> None:
    assert _due(qn2024, "service-index-publication", period)[level].due_date == expected


def test_monthly_strict_before_is_shown_as_an_interpretation(qn2024: Schedule) -> None:
    january = _due(qn2024, "service-index-publication", "2024-M01")["department"]
    # "trước ngày 10" → the 9th, a Tuesday: no roll, but the reading of "trước" is stated.
    assert january.nominal_date == D(2024, 1, 9)
    assert january.day_off is None
    assert [step.step for step in january.trace] == ["period", "fixed_day", "before"]
    assert any("strictly before" in note for note in january.interpretation)
    # A publication, not an ND 09/2019 periodic report: no cut-off window.
    assert january.cutoff is None


def test_tet_holiday_is_named_in_the_flag(qn2024: Schedule) -> None:
    february = _due(qn2024, "service-index-publication", "2024-M02")["department"]
    assert february.day_off is not None
    assert february.day_off.original == D(2024, 2, 9)
    assert february.day_off.kind is DayKind.HOLIDAY
    assert february.day_off.roll is Roll.PRECEDING


def test_schedule_is_in_period_order_and_carries_the_revision(
    qn2024: Schedule, calendar: CalendarSnapshot
) -> None:
    ends = [e.period.end for e in qn2024.entries]
    assert ends == sorted(ends)
    # 12 monthly publications + Q1, Q2, Q3, Q4 and the year report.
    assert len(qn2024.entries) == 17
    assert qn2024.calendar_revision == calendar.revision
    assert not qn2024.provisional  # 2024 is a decided year


def test_every_occurrence_cites_the_plan(qn2024: Schedule) -> None:
    for entry in qn2024.entries:
        for o in entry.occurrences:
            assert o.citations[0].document.startswith("Quyết định 467/QĐ-UBND")
            assert o.calendar_revision == qn2024.calendar_revision
