"""The district level across the two-tier reform of 1/7/2025, and bad profile / level requests.

Decision under test: a level reports for a period only if it exists on the due date. Every rule
in the data falls in the period's last month, so Q2 2025 (due in June) still has a district
report and Q3 2025 (due in September) does not.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.reporting import load_reporting_catalog
from app.domain.calendar import CalendarSnapshot
from app.domain.errors import DomainError, NotFound, OutOfRange
from app.domain.reporting import (
    Level,
    LevelAbolished,
    occurrences_between,
    parse_period,
    period_schedule,
    upcoming,
    year_schedule,
)

D = dt.date
CATALOG = load_reporting_catalog()


def test_district_exists_for_q2_2025(calendar: CalendarSnapshot) -> None:
    schedule = period_schedule(calendar, CATALOG, "quang-nam-2024", "2025-Q2", "district")
    (entry,) = schedule.entries
    (district,) = entry.occurrences
    # 19/6/2025 is a Thursday, before 1/7/2025.
    assert district.due_date == D(2025, 6, 19)
    assert [s.step for s in district.trace] == ["period", "fixed_day", "level", "cutoff"]
    assert any("exists on the due date" in note for note in district.interpretation)
    assert any("72/2025/QH15" in c.document for c in district.citations)


def test_district_refused_for_q3_2025_with_the_reform_explained(calendar: CalendarSnapshot) -> None:
    with pytest.raises(LevelAbolished) as err:
        period_schedule(calendar, CATALOG, "quang-nam-2024", "2025-Q3", "district")
    assert err.value.field == "level"
    assert "2025-07-01" in err.value.detail
    assert "two tiers" in err.value.detail
    assert isinstance(err.value, DomainError)  # the API's 422


def test_q3_2025_all_levels_lists_district_as_absent(calendar: CalendarSnapshot) -> None:
    schedule = period_schedule(calendar, CATALOG, "quang-nam-2024", "2025-Q3")
    (entry,) = schedule.entries
    assert {o.level.value: o.due_date for o in entry.occurrences} == {
        "commune": D(2025, 9, 17),  # Wednesday
        "department": D(2025, 9, 19),  # Friday
        "province": D(2025, 9, 22),  # Monday
    }
    (absent,) = entry.absent
    assert absent.level is Level.DISTRICT
    assert absent.due_date == D(2025, 9, 19)  # the day it would have been due
    assert "2025-07-01" in absent.reason


def test_q2_2025_every_level(calendar: CalendarSnapshot) -> None:
    schedule = period_schedule(calendar, CATALOG, "quang-nam-2024", "2025-Q2")
    (entry,) = schedule.entries
    assert {o.level.value: o.due_date for o in entry.occurrences} == {
        "commune": D(2025, 6, 17),  # Tuesday
        "district": D(2025, 6, 19),  # Thursday
        "department": D(2025, 6, 19),
        "province": D(2025, 6, 23),  # 22/6/2025 is a Sunday → Monday 23
    }
    assert entry.absent == ()


def test_district_year_2025_keeps_the_first_half_only(calendar: CalendarSnapshot) -> None:
    schedule = year_schedule(calendar, CATALOG, "quang-nam-2024", 2025, "district")
    due = {e.period.code: [o.due_date for o in e.occurrences] for e in schedule.entries}
    assert due["2025-Q1"] == [D(2025, 3, 19)]  # Wednesday
    assert due["2025-Q2"] == [D(2025, 6, 19)]
    assert due["2025-M06"] == [D(2025, 6, 9)]  # "trước ngày 10" → Monday 9/6
    assert due["2025-Q3"] == []
    assert due["2025-M07"] == []
    assert due["2025-Y"] == []  # the year report is due in December: no district


def test_district_year_2026_is_refused(calendar: CalendarSnapshot) -> None:
    with pytest.raises(LevelAbolished):
        year_schedule(calendar, CATALOG, "quang-nam-2024", 2026, "district")


def test_commune_duty_that_needs_the_district_ends_with_it(calendar: CalendarSnapshot) -> None:
    # Thanh Hóa's communes report to the district office ("gửi về Văn phòng HĐND-UBND huyện"):
    # once that office is gone nothing is due, and the answer says why.
    with pytest.raises(LevelAbolished) as err:
        period_schedule(calendar, CATALOG, "thanh-hoa-district-2021", "2025-Q3", "commune")
    assert "district office" in err.value.detail
    # Before the reform it is due: "trước ngày 17" → Monday 16/6/2025.
    schedule = period_schedule(calendar, CATALOG, "thanh-hoa-district-2021", "2025-Q2", "commune")
    assert [o.due_date for o in schedule.entries[0].occurrences] == [D(2025, 6, 16)]


def test_upcoming_district_after_the_reform_is_refused(calendar: CalendarSnapshot) -> None:
    with pytest.raises(LevelAbolished):
        upcoming(calendar, CATALOG, "quang-nam-2024", D(2025, 6, 20), "district")


def test_upcoming_all_levels_after_the_reform_reports_the_absent_district(
    calendar: CalendarSnapshot,
) -> None:
    result = upcoming(calendar, CATALOG, "quang-nam-2024", D(2025, 8, 1))
    assert Level.DISTRICT not in {i.occurrence.level for i in result.items}
    assert {(a.duty, a.level) for a in result.absent} == {
        ("kstthc-report", Level.DISTRICT),
        ("service-index-publication", Level.DISTRICT),
        # the communes' results were published by the district People's Committee
        ("service-index-publication", Level.COMMUNE),
    }
    assert result.beyond_calendar == ()


def test_feed_for_district_after_the_reform_is_refused(calendar: CalendarSnapshot) -> None:
    with pytest.raises(LevelAbolished):
        occurrences_between(
            calendar, CATALOG, "quang-nam-2024", D(2025, 7, 1), D(2025, 12, 31), "district"
        )


def test_unknown_profile(calendar: CalendarSnapshot) -> None:
    with pytest.raises(NotFound) as err:
        year_schedule(calendar, CATALOG, "quang-nam-2025", 2024)
    assert err.value.field == "profile"
    assert "quang-nam-2024" in err.value.detail  # lists the known ones


def test_unknown_level(calendar: CalendarSnapshot) -> None:
    with pytest.raises(NotFound) as err:
        year_schedule(calendar, CATALOG, "quang-nam-2024", 2024, "ward")
    assert err.value.field == "level"


def test_level_the_profile_does_not_use(calendar: CalendarSnapshot) -> None:
    # A department's plan has no commune duties.
    with pytest.raises(DomainError) as err:
        year_schedule(calendar, CATALOG, "an-giang-construction-2023", 2024, "commune")
    assert err.value.field == "level"
    assert "department" in err.value.detail


def test_year_outside_the_calendar(calendar: CalendarSnapshot) -> None:
    with pytest.raises(OutOfRange) as err:
        year_schedule(calendar, CATALOG, "national", 2031)
    assert err.value.field == "year"
    with pytest.raises(OutOfRange) as err:
        period_schedule(calendar, CATALOG, "national", "2018-Q4")
    assert err.value.field == "period"


@pytest.mark.parametrize(
    "bad", ["2024-Q5", "2024-13", "2024-M3", "Q1-2024", "2024-quarterly", "24-Q1", "2024-"]
)
def test_bad_period_code(calendar: CalendarSnapshot, bad: str) -> None:
    with pytest.raises(DomainError) as err:
        period_schedule(calendar, CATALOG, "quang-nam-2024", bad)
    assert err.value.field == "period"


@pytest.mark.parametrize(("other", "canonical"), [("2024-03", "2024-M03"), ("2024", "2024-Y")])
def test_the_deadline_rules_period_codes_are_read_too(
    calendar: CalendarSnapshot, other: str, canonical: str
) -> None:
    # one period-code syntax: the month and year forms of the rule data name the same period
    assert parse_period(other) == parse_period(canonical)
    assert parse_period(other).code == canonical


def test_period_no_duty_reports_on(calendar: CalendarSnapshot) -> None:
    with pytest.raises(DomainError) as err:
        period_schedule(calendar, CATALOG, "quang-nam-2024", "2024-H1")
    assert err.value.field == "period"


def test_commune_publication_by_the_district_committee(calendar: CalendarSnapshot) -> None:
    # June 2025: "trước ngày 15" → 14/6/2025, a Saturday → Friday 13/6; the district People's
    # Committee that publishes the communes' results still exists that day.
    june = period_schedule(calendar, CATALOG, "quang-nam-2024", "2025-M06", "commune")
    (o,) = june.entries[0].occurrences
    assert o.due_date == D(2025, 6, 13)
    assert [s.step for s in o.trace] == ["period", "fixed_day", "before", "roll", "level"]
    assert "depends on it" in o.trace[-1].detail
    # July 2025: the publisher is gone, so nothing is due.
    with pytest.raises(LevelAbolished):
        period_schedule(calendar, CATALOG, "quang-nam-2024", "2025-M07", "commune")
