"""Properties that hold for every profile and every supported year."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app.data.reporting import load_reporting_catalog
from app.domain.calendar import CalendarSnapshot
from app.domain.reporting import Level, Roll, occurrences_between, year_schedule

CATALOG = load_reporting_catalog()
PROFILES = st.sampled_from(sorted(CATALOG.profiles))
YEARS = st.integers(min_value=2019, max_value=2030)
REFORM = dt.date(2025, 7, 1)


@settings(max_examples=40, deadline=None)
@given(profile=PROFILES, year=YEARS)
def test_rolls_land_where_they_say(calendar: CalendarSnapshot, profile: str, year: int) -> None:
    for entry in year_schedule(calendar, CATALOG, profile, year).entries:
        for o in entry.occurrences:
            # the fixed day is flagged exactly when it is a day off
            assert (o.day_off is None) == calendar.is_working(o.nominal_date)
            if o.day_off is not None and o.day_off.roll is not Roll.NONE:
                assert calendar.is_working(o.due_date)
            if o.deadline.roll is Roll.FOLLOWING:
                assert o.due_date >= o.nominal_date
            if o.deadline.roll is Roll.PRECEDING:
                assert o.due_date <= o.nominal_date
            # no roll crosses out of the period's last month by more than Tết's length
            assert abs((o.due_date - o.nominal_date).days) <= 10
            if o.level is Level.DISTRICT or o.deadline.requires is Level.DISTRICT:
                assert o.due_date < REFORM


@settings(max_examples=20, deadline=None)
@given(profile=PROFILES, year=YEARS)
def test_feed_and_schedule_agree(calendar: CalendarSnapshot, profile: str, year: int) -> None:
    schedule = year_schedule(calendar, CATALOG, profile, year)
    from_schedule = {o.uid for e in schedule.entries for o in e.occurrences}
    feed = occurrences_between(
        calendar, CATALOG, profile, dt.date(year, 1, 1), dt.date(year, 12, 31)
    )
    # every due day lies in its period's last month, and none rolls across a year end
    assert {o.uid for o in feed} == from_schedule
