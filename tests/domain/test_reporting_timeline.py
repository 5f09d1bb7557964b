"""What is due next, every due date in a range (the iCalendar feed), and the other profiles."""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.reporting import load_reporting_catalog
from app.domain.calendar import CalendarSnapshot
from app.domain.errors import DomainError, OutOfRange
from app.domain.reporting import (
    Confidence,
    Schedule,
    occurrences_between,
    period_schedule,
    upcoming,
    year_schedule,
)

D = dt.date
CATALOG = load_reporting_catalog()


def _by_level(schedule: Schedule, duty: str = "kstthc-report") -> dict[str, dt.date]:
    (entry,) = (e for e in schedule.entries if e.duty.code == duty)
    return {o.level.value: o.due_date for o in entry.occurrences}


# -- upcoming ---------------------------------------------------------------------------------


def test_upcoming_commune_from_a_saturday(calendar: CalendarSnapshot) -> None:
    result = upcoming(calendar, CATALOG, "quang-nam-2024", D(2024, 3, 16), "commune")
    due = {i.occurrence.duty.code: i for i in result.items}
    report = due["kstthc-report"]
    # Q1 2024: 17/3 is a Sunday → Monday 18/3, one working day after Saturday 16/3.
    assert report.occurrence.due_date == D(2024, 3, 18)
    assert report.working_days_left == 1
    assert report.calendar_days_left == 2
    assert report.due_soon
    publication = due["service-index-publication"]
    # March's publication (Thursday 14/3) is past; April: "trước ngày 15" → 14/4, a Sunday →
    # Friday 12/4. Working days in (16/3, 12/4]: four full weeks, no holiday = 20.
    assert publication.occurrence.due_date == D(2024, 4, 12)
    assert publication.working_days_left == 20
    assert not publication.due_soon
    assert [i.occurrence.due_date for i in result.items] == [D(2024, 3, 18), D(2024, 4, 12)]


def test_upcoming_includes_the_as_of_day_itself(calendar: CalendarSnapshot) -> None:
    result = upcoming(calendar, CATALOG, "quang-nam-2024", D(2024, 3, 18), "commune")
    first = result.items[0]
    assert first.occurrence.period.code == "2024-Q1"
    assert first.working_days_left == 0
    assert first.due_soon


def test_upcoming_count(calendar: CalendarSnapshot) -> None:
    result = upcoming(calendar, CATALOG, "quang-nam-2024", D(2024, 3, 19), "province", count=2)
    # Q1 (Friday 22/3) and Q2 (22/6 Saturday → Monday 24/6).
    assert [i.occurrence.due_date for i in result.items] == [D(2024, 3, 22), D(2024, 6, 24)]


def test_upcoming_across_the_year_end(calendar: CalendarSnapshot) -> None:
    # After the 2024 year report the next province report is Q1 2025: 22/3/2025 is a Saturday →
    # Monday 24/3/2025.
    result = upcoming(calendar, CATALOG, "quang-nam-2024", D(2024, 12, 24), "province")
    (item,) = result.items
    assert item.occurrence.period.code == "2025-Q1"
    assert item.occurrence.due_date == D(2025, 3, 24)


def test_upcoming_at_the_end_of_the_calendar(calendar: CalendarSnapshot) -> None:
    # 22/12/2030 is a Sunday → Monday 23/12/2030, in a year whose holidays are not decided yet.
    last = upcoming(calendar, CATALOG, "quang-nam-2024", D(2030, 12, 20), "province")
    (item,) = last.items
    assert item.occurrence.due_date == D(2030, 12, 23)
    assert "provisional" in item.occurrence.flags
    # After it, the next would be in 2031: outside the supported calendar, said so, not guessed.
    after = upcoming(calendar, CATALOG, "quang-nam-2024", D(2030, 12, 24), "province")
    assert after.items == ()
    assert after.beyond_calendar == ("kstthc-report/province",)


def test_upcoming_bad_input(calendar: CalendarSnapshot) -> None:
    with pytest.raises(OutOfRange):
        upcoming(calendar, CATALOG, "quang-nam-2024", D(2031, 1, 1))
    with pytest.raises(DomainError) as err:
        upcoming(calendar, CATALOG, "quang-nam-2024", D(2024, 1, 1), count=0)
    assert err.value.field == "count"


# -- feed ---------------------------------------------------------------------------------------


def test_feed_an_giang_second_quarter_2024(calendar: CalendarSnapshot) -> None:
    feed = list(
        occurrences_between(
            calendar, CATALOG, "an-giang-construction-2023", D(2024, 4, 1), D(2024, 6, 30)
        )
    )
    assert [(o.uid, o.due_date) for o in feed] == [
        # "Ngày 05 hàng tháng": Friday 5/4; 5/5 is a Sunday → Monday 6/5; Wednesday 5/6.
        ("an-giang-construction-2023/late-officials-list/department/2024-M04", D(2024, 4, 5)),
        ("an-giang-construction-2023/late-officials-list/department/2024-M05", D(2024, 5, 6)),
        ("an-giang-construction-2023/late-officials-list/department/2024-M06", D(2024, 6, 5)),
        # "chậm nhất là ngày 19 của tháng cuối quý": Wednesday 19/6.
        ("an-giang-construction-2023/kstthc-report/department/2024-Q2", D(2024, 6, 19)),
        # The national 25th for the province (ND 09/2019 Art. 13(1)): Tuesday 25/6.
        ("an-giang-construction-2023/kstthc-report/province/2024-Q2", D(2024, 6, 25)),
    ]


def test_feed_range_is_inclusive_and_checked(calendar: CalendarSnapshot) -> None:
    one_day = list(
        occurrences_between(calendar, CATALOG, "national", D(2024, 3, 25), D(2024, 3, 25))
    )
    assert [o.period.code for o in one_day] == ["2024-Q1"]  # Monday 25/3/2024
    with pytest.raises(DomainError):
        occurrences_between(calendar, CATALOG, "national", D(2024, 3, 26), D(2024, 3, 25))
    with pytest.raises(OutOfRange):
        occurrences_between(calendar, CATALOG, "national", D(2018, 12, 1), D(2019, 3, 31))


def test_feed_district_across_the_reform(calendar: CalendarSnapshot) -> None:
    feed = occurrences_between(
        calendar, CATALOG, "quang-nam-2024", D(2025, 6, 1), D(2025, 9, 30), "district"
    )
    # June's publication ("trước ngày 10" → Monday 9/6) and Q2 (Thursday 19/6); nothing after.
    assert [o.due_date for o in feed] == [D(2025, 6, 9), D(2025, 6, 19)]


# -- the other profiles ------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["national", "nghe-an-2023", "ha-tinh-2022"])
def test_national_day_for_profiles_without_their_own(
    calendar: CalendarSnapshot, profile: str
) -> None:
    # 25/3/2023 is a Saturday → Monday 27/3/2023; 25/6/2023 a Sunday → Monday 26/6/2023.
    assert _by_level(period_schedule(calendar, CATALOG, profile, "2023-Q1")) == {
        "province": D(2023, 3, 27)
    }
    assert _by_level(period_schedule(calendar, CATALOG, profile, "2023-Q2")) == {
        "province": D(2023, 6, 26)
    }


def test_thanh_hoa_2021_its_own_year(calendar: CalendarSnapshot) -> None:
    schedule = year_schedule(calendar, CATALOG, "thanh-hoa-district-2021", 2021)
    due = {
        e.period.code: {o.level.value: o.due_date for o in e.occurrences} for e in schedule.entries
    }
    # "trước ngày 17 của tháng cuối kỳ báo cáo" → the 16th: Tue 16/3, Wed 16/6, Thu 16/9,
    # Thu 16/12/2021, all working days. The province keeps the national 25th: Thu 25/3,
    # Fri 25/6, 25/9 Saturday → Mon 27/9, 25/12 Saturday → Mon 27/12/2021.
    # "hàng quý, năm": the fourth quarter and the year are two reports, both due in December.
    assert due == {
        "2021-Q1": {
            "commune": D(2021, 3, 16),
            "district": D(2021, 3, 16),
            "province": D(2021, 3, 25),
        },
        "2021-Q2": {
            "commune": D(2021, 6, 16),
            "district": D(2021, 6, 16),
            "province": D(2021, 6, 25),
        },
        "2021-Q3": {
            "commune": D(2021, 9, 16),
            "district": D(2021, 9, 16),
            "province": D(2021, 9, 27),
        },
        "2021-Q4": {
            "commune": D(2021, 12, 16),
            "district": D(2021, 12, 16),
            "province": D(2021, 12, 27),
        },
        "2021-Y": {
            "commune": D(2021, 12, 16),
            "district": D(2021, 12, 16),
            "province": D(2021, 12, 27),
        },
    }


def test_an_giang_quarterly_2024(calendar: CalendarSnapshot) -> None:
    schedule = year_schedule(calendar, CATALOG, "an-giang-construction-2023", 2024, "department")
    quarterly = [
        (e.period.code, o.due_date)
        for e in schedule.entries
        if e.duty.code == "kstthc-report"
        for o in e.occurrences
    ]
    # The 19th: Tue 19/3, Wed 19/6, Thu 19/9, Thu 19/12/2024; "Báo cáo định kỳ hàng quý, năm":
    # the fourth quarter and the year report are both due on Thursday 19/12.
    assert quarterly == [
        ("2024-Q1", D(2024, 3, 19)),
        ("2024-Q2", D(2024, 6, 19)),
        ("2024-Q3", D(2024, 9, 19)),
        ("2024-Q4", D(2024, 12, 19)),
        ("2024-Y", D(2024, 12, 19)),
    ]


def test_fourth_quarter_has_its_own_window(calendar: CalendarSnapshot) -> None:
    profile = "an-giang-construction-2023"
    (q4,) = period_schedule(calendar, CATALOG, profile, "2024-Q4", "department").entries
    (year,) = period_schedule(calendar, CATALOG, profile, "2024-Y", "department").entries
    # Q4: data from 15/9 to 14/12/2024 (ND 09/2019 Art. 12); the year: 15/12/2023 to 14/12/2024.
    assert q4.cutoff is not None and year.cutoff is not None
    assert (q4.cutoff.start, q4.cutoff.end) == (D(2024, 9, 15), D(2024, 12, 14))
    assert (year.cutoff.start, year.cutoff.end) == (D(2023, 12, 15), D(2024, 12, 14))
    (o,) = q4.occurrences
    # 14/12/2024 is a Saturday; Mon 16, Tue 17, Wed 18 lie strictly before Thursday 19/12.
    assert o.due_date == D(2024, 12, 19)
    assert o.cutoff is not None and o.cutoff.working_days_between == 3
    assert o.uid == "an-giang-construction-2023/kstthc-report/department/2024-Q4"
    assert o.uid != year.occurrences[0].uid  # two events in a feed, not one


@pytest.mark.parametrize("profile", ["national", "nghe-an-2023", "ha-tinh-2022"])
def test_fourth_quarter_national_day(calendar: CalendarSnapshot, profile: str) -> None:
    # 25/12/2023 is a Monday (not a holiday in Việt Nam): Q4 and the year both due that day.
    for period in ("2023-Q4", "2023-Y"):
        assert _by_level(period_schedule(calendar, CATALOG, profile, period)) == {
            "province": D(2023, 12, 25)
        }


def test_quang_nam_has_q4_and_the_year_both_due_in_december(calendar: CalendarSnapshot) -> None:
    # QĐ 467/QĐ-UBND, mục XI names "Quý I, Quý II, Quý III và năm" and sets its chain per quarter;
    # the fourth quarter is kept as its own report besides the year report (a choice, "?").
    # December 2024 (1/12 a Sunday): commune 17 Tuesday; department and district 19 Thursday;
    # province 22 a Sunday → Monday 23.
    december = {
        "commune": D(2024, 12, 17),
        "district": D(2024, 12, 19),
        "department": D(2024, 12, 19),
        "province": D(2024, 12, 23),
    }
    q4 = period_schedule(calendar, CATALOG, "quang-nam-2024", "2024-Q4")
    year = period_schedule(calendar, CATALOG, "quang-nam-2024", "2024-Y")
    assert _by_level(q4) == _by_level(year) == december
    (q4_entry,), (year_entry,) = q4.entries, year.entries
    # Two windows (ND 09/2019 Art. 12): Q4 15/9 → 14/12/2024; the year 15/12/2023 → 14/12/2024.
    assert q4_entry.cutoff is not None and year_entry.cutoff is not None
    assert (q4_entry.cutoff.start, q4_entry.cutoff.end) == (D(2024, 9, 15), D(2024, 12, 14))
    assert (year_entry.cutoff.start, year_entry.cutoff.end) == (D(2023, 12, 15), D(2024, 12, 14))
    (report,) = (d for d in CATALOG.profile("quang-nam-2024").duties if d.code == "kstthc-report")
    assert [s.code for s in report.periods] == ["Q1", "Q2", "Q3", "Q4", "Y"]
    assert "Quý I, Quý II, Quý III và năm" in (report.citation.article or "")
    assert report.citation.confidence is Confidence.UNCERTAIN


def test_a_period_no_duty_reports_on_is_refused(calendar: CalendarSnapshot) -> None:
    # Quảng Nam's reports are quarterly and yearly, its publications monthly: no half year.
    with pytest.raises(DomainError) as err:
        period_schedule(calendar, CATALOG, "quang-nam-2024", "2024-H1")
    assert err.value.field == "period"
