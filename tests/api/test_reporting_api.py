"""The reporting calendar over HTTP.

Every expected date is worked out by hand from the plan (Quyết định 467/QĐ-UBND of Quảng Nam,
mục XI: the commune by the 17th, departments and districts by the 19th, the province by the
22nd of the quarter's last month, "chậm nhất là ngày N": N itself, moved to the next working
day when it is a day off) and the official calendar (1/1/2024 is a Monday;
docs/legal-basis.md#calendar). Each
case says why. Quảng Nam's plan lists "Quý I, Quý II, Quý III và năm" with its chain of days set
per quarter; the service keeps a fourth-quarter report (data 15/9 → 14/12) besides the year
report (15/12 of the previous year → 14/12), both due on the quarter's day in December.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient
from icalendar import Calendar

PROBLEM = "application/problem+json"
QN = "quang-nam-2024"


async def _schedule(client: AsyncClient, **params: Any) -> dict[str, Any]:
    r = await client.get("/v1/reporting/schedule", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _entry(body: dict[str, Any], period: str, duty: str = "kstthc-report") -> dict[str, Any]:
    entry: dict[str, Any]
    (entry,) = (
        e for e in body["items"] if e["period"]["code"] == period and e["duty"]["code"] == duty
    )
    return entry


def _due(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["level"]: d for d in entry["due"]}


# -- Q1–Q4 2024, Quảng Nam --------------------------------------------------------------------

# (period, commune 17, district 19, department 19, province 22)
QUANG_NAM_2024 = [
    # March 2024: 17 is a Sunday → Monday 18; 19 Tuesday; 22 Friday.
    ("2024-Q1", "2024-03-18", "2024-03-19", "2024-03-19", "2024-03-22"),
    # June 2024: 17 Monday; 19 Wednesday; 22 is a Saturday → Monday 24.
    ("2024-Q2", "2024-06-17", "2024-06-19", "2024-06-19", "2024-06-24"),
    # September 2024 (2/9 and 3/9 are the National Day holidays, well before): 17 Tuesday;
    # 19 Thursday; 22 is a Sunday → Monday 23.
    ("2024-Q3", "2024-09-17", "2024-09-19", "2024-09-19", "2024-09-23"),
    # December 2024 (1/12 is a Sunday): 17 Tuesday; 19 Thursday; 22 is a Sunday → Monday 23.
    ("2024-Q4", "2024-12-17", "2024-12-19", "2024-12-19", "2024-12-23"),
    # The year report falls due on the same December days as the fourth quarter.
    ("2024-Y", "2024-12-17", "2024-12-19", "2024-12-19", "2024-12-23"),
]


@pytest.mark.parametrize(
    ("period", "commune", "district", "department", "province"), QUANG_NAM_2024
)
async def test_quang_nam_2024_every_level(
    client: AsyncClient,
    period: str,
    commune: str,
    district: str,
    department: str,
    province: str,
) -> None:
    body = await _schedule(client, profile=QN, year=2024)
    due = _due(_entry(body, period))
    assert {level: d["due_date"] for level, d in due.items()} == {
        "commune": commune,
        "district": district,
        "department": department,
        "province": province,
    }


async def test_quang_nam_2024_has_four_quarters_and_the_year(client: AsyncClient) -> None:
    body = await _schedule(client, profile=QN, year=2024, level="province")
    reports = [e["period"]["code"] for e in body["items"] if e["duty"]["code"] == "kstthc-report"]
    assert reports == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-Y"]
    # QĐ 467/QĐ-UBND, mục XI names "Quý I, Quý II, Quý III và năm"; the separate fourth quarter
    # is this service's choice where the plan is silent, so the period list is marked "?".
    for period in ("2024-Q4", "2024-Y"):
        citation = _entry(body, period)["duty"]["citation"]
        assert "Quý I, Quý II, Quý III và năm" in citation["article"]
        assert citation["confidence"] == "?"
    # The profile, the level and the revision come with the answer.
    assert body["profile"]["code"] == QN
    assert body["profile"]["source"].startswith("Quyết định 467/QĐ-UBND")
    assert (body["scope"], body["level"], body["provisional"]) == ("2024", "province", False)
    assert isinstance(body["calendar_revision"], int)


async def test_q1_2024_commune_sunday_rolled_and_flagged(client: AsyncClient) -> None:
    body = await _schedule(client, profile=QN, year=2024, level="commune")
    commune = _due(_entry(body, "2024-Q1"))["commune"]
    # "chậm nhất là ngày 17": Sunday 17/3/2024 → Monday 18/3.
    assert (commune["nominal_date"], commune["due_date"]) == ("2024-03-17", "2024-03-18")
    assert commune["flags"] == ["day_off"]
    assert commune["day_off"] == {
        "original": "2024-03-17",
        "kind": "weekend",
        "name_vi": "Nghỉ hằng tuần",
        "name_en": "Weekly rest day",
        "source": "Quyết định 188/1999/QĐ-TTg",  # Monday–Friday working week
        "roll": "following",
        "rolled_to": "2024-03-18",
    }
    assert commune["phrase"] == "Thời gian chậm nhất là ngày 17 của tháng cuối quý."
    assert commune["bound"] == "at_latest"
    assert [t["step"] for t in commune["trace"]] == ["period", "fixed_day", "roll", "cutoff"]
    assert commune["citations"][0]["document"].startswith("Quyết định 467/QĐ-UBND")
    # Each step cites what it applies: the period the duty's list of periods, the named day the
    # plan's row, the data cut-off ND 09/2019 Art. 12; the roll is a reading (interpretation).
    period, fixed_day, roll, cutoff = commune["trace"]
    entry = _entry(body, "2024-Q1")
    assert period["citation"] == entry["duty"]["citation"]
    assert fixed_day["citation"] == commune["citations"][0]
    assert roll["citation"] is None
    assert roll["date"] == "2024-03-18"
    assert cutoff["citation"]["document"].startswith("Nghị định 09/2019/NĐ-CP")
    assert cutoff["citation"]["article"] == "Điều 12"
    assert all(t["notable_days"] == [] and t["weekend_days"] == 0 for t in commune["trace"])
    assert commune["citations"][0]["confidence"] == "V"
    # The roll on a day off is this service's reading (Civil Code Art. 148(5) by analogy).
    assert any("Điều 148" in note for note in commune["interpretation"])
    assert commune["uid"] == "quang-nam-2024/kstthc-report/commune/2024-Q1"


async def test_q4_2024_province_sunday_rolled_and_flagged(client: AsyncClient) -> None:
    body = await _schedule(client, profile=QN, period="2024-Q4")
    (entry,) = body["items"]
    assert (entry["cutoff"]["start"], entry["cutoff"]["end"]) == ("2024-09-15", "2024-12-14")
    due = _due(entry)
    # Province: "chậm nhất là ngày 22", Sunday 22/12/2024 → Monday 23/12, flagged. The window
    # closed Saturday 14/12; Mon 16 – Fri 20 lie between: 5 working days.
    province = due["province"]
    assert (province["nominal_date"], province["due_date"]) == ("2024-12-22", "2024-12-23")
    assert province["flags"] == ["day_off"]
    assert province["day_off"]["original"] == "2024-12-22"
    assert province["day_off"]["kind"] == "weekend"
    assert province["day_off"]["rolled_to"] == "2024-12-23"
    assert province["cutoff_check"]["working_days_between"] == 5
    assert province["uid"] == "quang-nam-2024/kstthc-report/province/2024-Q4"
    # Commune: Tuesday 17/12, a working day; Monday 16 is the one working day after the window's
    # close (Saturday 14/12): enough, no flag.
    commune = due["commune"]
    assert (commune["due_date"], commune["flags"], commune["day_off"]) == ("2024-12-17", [], None)
    assert commune["cutoff_check"]["working_days_between"] == 1
    # Department and district: Thursday 19/12, Mon 16 – Wed 18 between: 3 working days.
    for level in ("department", "district"):
        assert (due[level]["due_date"], due[level]["flags"]) == ("2024-12-19", [])
        assert due[level]["cutoff_check"]["working_days_between"] == 3


async def test_q2_2024_saturday_and_a_cutoff_too_close(client: AsyncClient) -> None:
    body = await _schedule(client, profile=QN, year=2024)
    due = _due(_entry(body, "2024-Q2"))
    # Province: Saturday 22/6/2024 → Monday 24/6; the window closed Friday 14/6 and
    # Mon 17 – Fri 21 lie between: 5 working days.
    province = due["province"]
    assert province["flags"] == ["day_off"]
    assert province["day_off"]["original"] == "2024-06-22"
    assert province["cutoff_check"]["working_days_between"] == 5
    # Commune: Monday 17/6, a working day, but only Saturday 15 and Sunday 16 lie after the
    # window's close (Friday 14/6): no day to compile the figures, flagged.
    commune = due["commune"]
    assert commune["day_off"] is None
    assert commune["flags"] == ["cutoff_too_close"]
    assert commune["cutoff_check"] == {
        "window_end": "2024-06-14",
        "working_days_between": 0,
        "minimum": 1,
        "ok": False,
    }
    # Department: Wednesday 19/6, Mon 17 and Tue 18 between: fine, no flag.
    assert due["department"]["flags"] == []
    assert due["department"]["cutoff_check"]["working_days_between"] == 2


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        # ND 09/2019 Art. 12: the 15th of the month before the period → the 14th of its last
        # month; Q1 and the year open in December of the previous year.
        ("2024-Q1", "2023-12-15", "2024-03-14"),
        ("2024-Q2", "2024-03-15", "2024-06-14"),
        ("2024-Q3", "2024-06-15", "2024-09-14"),
        ("2024-Q4", "2024-09-15", "2024-12-14"),
        ("2024-Y", "2023-12-15", "2024-12-14"),
    ],
)
async def test_cutoff_windows_across_the_year_boundary(
    client: AsyncClient, period: str, start: str, end: str
) -> None:
    body = await _schedule(client, profile=QN, year=2024, level="department")
    window = _entry(body, period)["cutoff"]
    assert (window["start"], window["end"]) == (start, end)
    assert window["citation"]["document"].startswith("Nghị định 09/2019/NĐ-CP")


async def test_monthly_publication_has_no_window(client: AsyncClient) -> None:
    body = await _schedule(client, profile=QN, year=2024, level="department")
    march = _entry(body, "2024-M03", "service-index-publication")
    # "Định kỳ trước ngày 10 hằng tháng" read strictly → the 9th; Saturday 9/3/2024 → back to
    # Friday 8/3. A publication: no data window.
    assert march["cutoff"] is None
    (department,) = march["due"]
    assert (department["nominal_date"], department["due_date"]) == ("2024-03-09", "2024-03-08")
    assert department["day_off"]["roll"] == "preceding"
    assert any("strictly before" in n for n in department["interpretation"])


@pytest.mark.parametrize(("given", "code"), [("2024-03", "2024-M03"), ("2024", "2024-Y")])
async def test_a_period_in_the_deadline_rules_form_is_read(
    client: AsyncClient, given: str, code: str
) -> None:
    # one period-code syntax on the wire (docs/wire.md#period-codes); the other still read
    asked = await _schedule(client, profile=QN, period=given, level="department")
    canonical = await _schedule(client, profile=QN, period=code, level="department")
    assert asked["items"] == canonical["items"] and asked["items"]
    assert {e["period"]["code"] for e in asked["items"]} == {code} and asked["scope"] == code


async def test_a_separate_fourth_quarter_where_the_plan_says_every_quarter(
    client: AsyncClient,
) -> None:
    # An Giang's department plan: "Báo cáo định kỳ hàng quý, năm … chậm nhất là ngày 19 của
    # tháng cuối quý": Q4 (data 15/9 → 14/12) and the year (15/12/2023 → 14/12) both fall due on
    # Thursday 19/12/2024.
    body = await _schedule(
        client, profile="an-giang-construction-2023", year=2024, level="department"
    )
    q4, year = _entry(body, "2024-Q4"), _entry(body, "2024-Y")
    assert (q4["cutoff"]["start"], q4["cutoff"]["end"]) == ("2024-09-15", "2024-12-14")
    assert (year["cutoff"]["start"], year["cutoff"]["end"]) == ("2023-12-15", "2024-12-14")
    assert q4["due"][0]["due_date"] == year["due"][0]["due_date"] == "2024-12-19"


# -- 2025 across the two-tier reform of 1/7/2025 ------------------------------------------------


async def test_district_present_for_q2_2025(client: AsyncClient) -> None:
    body = await _schedule(client, profile=QN, period="2025-Q2", level="district")
    (entry,) = body["items"]
    (district,) = entry["due"]
    # Thursday 19/6/2025, before the district level ends on 1/7/2025.
    assert district["due_date"] == "2025-06-19"
    (level,) = [t for t in district["trace"] if t["step"] == "level"]
    # the step cites the law that ends the district level (Luật Tổ chức chính quyền địa phương
    # 2025, two-tier local government from 1/7/2025)
    assert level["citation"]["document"].startswith("Luật Tổ chức chính quyền địa phương 2025")


async def test_district_refused_for_q3_2025(client: AsyncClient) -> None:
    r = await client.get(
        "/v1/reporting/schedule", params={"profile": QN, "period": "2025-Q3", "level": "district"}
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["type"].endswith("/problems/level-abolished")
    assert "2025-07-01" in body["detail"]
    assert "two tiers" in body["detail"]
    assert body["errors"][0]["field"] == "level"


async def test_q3_2025_every_level_lists_the_district_as_absent(client: AsyncClient) -> None:
    body = await _schedule(client, profile=QN, period="2025-Q3")
    (entry,) = body["items"]
    # September 2025: 17 Wednesday; 19 Friday; 22 Monday. No district report any more.
    assert {d["level"]: d["due_date"] for d in entry["due"]} == {
        "commune": "2025-09-17",
        "department": "2025-09-19",
        "province": "2025-09-22",
    }
    (absent,) = entry["absent"]
    assert (absent["level"], absent["would_be_due"]) == ("district", "2025-09-19")


async def test_district_year_2025_keeps_the_first_half(client: AsyncClient) -> None:
    body = await _schedule(client, profile=QN, year=2025, level="district")
    reports = {
        e["period"]["code"]: [d["due_date"] for d in e["due"]]
        for e in body["items"]
        if e["duty"]["code"] == "kstthc-report"
    }
    # Wednesday 19/3/2025 and Thursday 19/6/2025; nothing for Q3 (19/9), Q4 and the year
    # (both 19/12): due after the district level ends on 1/7/2025.
    assert reports == {
        "2025-Q1": ["2025-03-19"],
        "2025-Q2": ["2025-06-19"],
        "2025-Q3": [],
        "2025-Q4": [],
        "2025-Y": [],
    }


# -- next ---------------------------------------------------------------------------------------


async def test_next_for_an_as_of_date(client: AsyncClient) -> None:
    r = await client.get(
        "/v1/reporting/next",
        params={"profile": QN, "level": "province", "as_of": "2024-09-20", "count": 3},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["as_of"], body["level"], body["count"]) == ("2024-09-20", "province", 3)
    q3, q4, year = body["items"]
    # From Friday 20/9/2024: Q3 due Monday 23/9 (22/9 a Sunday): 1 working day, 3 days.
    assert (q3["period"]["code"], q3["due_date"]) == ("2024-Q3", "2024-09-23")
    assert (q3["working_days_left"], q3["calendar_days_left"], q3["due_soon"]) == (1, 3, True)
    # Then the fourth quarter and the year report, both Monday 23/12 (22/12 a Sunday). Working
    # days in (20/9, 23/12], no holiday in between: September 23–30 = 6, October 23,
    # November 21, December 2–23 = 16: 66. Calendar days: 10 + 31 + 30 + 23 = 94.
    assert (q4["period"]["code"], q4["due_date"]) == ("2024-Q4", "2024-12-23")
    assert (year["period"]["code"], year["due_date"]) == ("2024-Y", "2024-12-23")
    for item in (q4, year):
        assert (item["working_days_left"], item["calendar_days_left"]) == (66, 94)
        assert item["due_soon"] is False
        assert item["duty"]["code"] == "kstthc-report"
    assert (body["absent"], body["beyond_calendar"]) == ([], [])


async def test_next_every_level_from_a_saturday(client: AsyncClient) -> None:
    body = (
        await client.get("/v1/reporting/next", params={"profile": QN, "as_of": "2024-03-16"})
    ).json()
    first = {(i["duty"]["code"], i["level"]): i["due_date"] for i in body["items"]}
    # From Saturday 16/3/2024: the Q1 reports (Mon 18, Tue 19, Tue 19, Fri 22/3), then April's
    # publications: "trước ngày 10" → Tuesday 9/4; "trước ngày 15" → 14/4 a Sunday → Friday 12/4.
    assert first == {
        ("kstthc-report", "commune"): "2024-03-18",
        ("kstthc-report", "district"): "2024-03-19",
        ("kstthc-report", "department"): "2024-03-19",
        ("kstthc-report", "province"): "2024-03-22",
        ("service-index-publication", "commune"): "2024-04-12",
        ("service-index-publication", "district"): "2024-04-09",
        ("service-index-publication", "department"): "2024-04-09",
    }
    dates = [i["due_date"] for i in body["items"]]
    assert dates == sorted(dates)


async def test_next_defaults_to_today_in_vietnam(client: AsyncClient) -> None:
    before = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    body = (await client.get("/v1/reporting/next", params={"profile": "national"})).json()
    after = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert body["as_of"] in {before.isoformat(), after.isoformat()}


async def test_next_district_after_the_reform_is_refused(client: AsyncClient) -> None:
    r = await client.get(
        "/v1/reporting/next", params={"profile": QN, "level": "district", "as_of": "2025-06-20"}
    )
    assert r.status_code == 422
    assert r.json()["type"].endswith("/problems/level-abolished")
    assert r.json()["errors"][0]["field"] == "level"


# -- iCalendar ---------------------------------------------------------------------------------


async def _feed(client: AsyncClient, **params: Any) -> Calendar:
    r = await client.get("/v1/reporting.ics", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(r.content)


def _events(cal: Calendar) -> dict[str, dt.date]:
    return {str(e["uid"]): e.decoded("dtstart") for e in cal.walk("VEVENT")}


async def test_ics_province_2024(client: AsyncClient) -> None:
    cal = await _feed(client, profile=QN, year=2024, level="province")
    # Same days as the schedule: Fri 22/3, Mon 24/6, Mon 23/9; Q4 and the year both on
    # Mon 23/12/2024 (22/12 a Sunday): two events, not one.
    assert _events(cal) == {
        "quang-nam-2024/kstthc-report/province/2024-Q1@vn-deadlines": dt.date(2024, 3, 22),
        "quang-nam-2024/kstthc-report/province/2024-Q2@vn-deadlines": dt.date(2024, 6, 24),
        "quang-nam-2024/kstthc-report/province/2024-Q3@vn-deadlines": dt.date(2024, 9, 23),
        "quang-nam-2024/kstthc-report/province/2024-Q4@vn-deadlines": dt.date(2024, 12, 23),
        "quang-nam-2024/kstthc-report/province/2024-Y@vn-deadlines": dt.date(2024, 12, 23),
    }
    (june,) = (e for e in cal.walk("VEVENT") if e.decoded("dtstart") == dt.date(2024, 6, 24))
    assert "Quý II/2024" in str(june["summary"])
    description = str(june["description"])
    assert "2024-06-22" in description  # the Saturday it was rolled from
    assert "2024-03-15 → 2024-06-14" in description  # the data window
    assert "467/QĐ-UBND" in description


async def test_ics_every_level_has_the_monthly_duties(client: AsyncClient) -> None:
    events = _events(await _feed(client, profile=QN, year=2024))
    # Reports: Q1–Q4 and the year × 4 levels = 20; service-index publications:
    # 12 months × (commune, district, department) = 36.
    assert len(events) == 56
    # January: "trước ngày 10" → Tuesday 9/1; "trước ngày 15" → 14/1 a Sunday → Friday 12/1.
    assert events[
        "quang-nam-2024/service-index-publication/department/2024-M01@vn-deadlines"
    ] == dt.date(2024, 1, 9)
    assert events[
        "quang-nam-2024/service-index-publication/commune/2024-M01@vn-deadlines"
    ] == dt.date(2024, 1, 12)


async def test_ics_fourth_quarter_and_year_are_two_events(client: AsyncClient) -> None:
    events = _events(
        await _feed(client, profile="an-giang-construction-2023", year=2024, level="department")
    )
    # 5 reports (Q1–Q4 and the year) + 12 monthly lists ("Ngày 05 hàng tháng").
    assert len(events) == 17
    prefix = "an-giang-construction-2023/kstthc-report/department"
    assert events[f"{prefix}/2024-Q4@vn-deadlines"] == dt.date(2024, 12, 19)
    assert events[f"{prefix}/2024-Y@vn-deadlines"] == dt.date(2024, 12, 19)


async def test_ics_district_2025_stops_at_the_reform(client: AsyncClient) -> None:
    events = _events(await _feed(client, profile=QN, year=2025, level="district"))
    # Q1 (19/3) and Q2 (19/6) reports and the January–June publications; nothing after June.
    assert max(events.values()) == dt.date(2025, 6, 19)
    assert len(events) == 2 + 6


# -- bad input --------------------------------------------------------------------------------


async def _problem(client: AsyncClient, path: str, status: int, **params: Any) -> dict[str, Any]:
    r = await client.get(path, params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/v1/reporting/schedule", {"year": 2024}),
        ("/v1/reporting/next", {"as_of": "2024-03-01"}),
        ("/v1/reporting.ics", {"year": 2024}),
    ],
)
async def test_unknown_profile_is_404(
    client: AsyncClient, path: str, extra: dict[str, Any]
) -> None:
    body = await _problem(client, path, 404, profile="quang-nam-2025", **extra)
    assert body["type"].endswith("/problems/not-found")
    assert body["errors"][0]["field"] == "profile"
    assert QN in body["detail"]  # the known profiles are listed


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/v1/reporting/schedule", {"year": 2024}),
        ("/v1/reporting/next", {"as_of": "2024-03-01"}),
        ("/v1/reporting.ics", {"year": 2024}),
    ],
)
async def test_unknown_level_is_422(client: AsyncClient, path: str, extra: dict[str, Any]) -> None:
    body = await _problem(client, path, 422, profile=QN, level="ward", **extra)
    assert body["errors"][0]["field"] == "level"


@pytest.mark.parametrize("year", [2040, 2018])
@pytest.mark.parametrize("path", ["/v1/reporting/schedule", "/v1/reporting.ics"])
async def test_year_outside_the_calendar_is_422(client: AsyncClient, path: str, year: int) -> None:
    body = await _problem(client, path, 422, profile=QN, year=year)
    assert body["type"].endswith("/problems/date-out-of-range")
    assert body["errors"][0]["field"] == "year"
    assert str(year) in body["detail"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        # A department's plan has no commune duty.
        ({"profile": "an-giang-construction-2023", "year": 2024, "level": "commune"}, "level"),
        # A well-formed period no duty of Quảng Nam reports on: no half-year report.
        ({"profile": QN, "period": "2024-H1"}, "period"),
        ({"profile": QN, "period": "2024-Q5"}, "period"),
        ({"profile": QN, "period": "2024-M13"}, "period"),
        ({"profile": QN, "period": "2040-Q1"}, "period"),
        ({"profile": QN}, "year"),
        ({"profile": QN, "year": 2024, "period": "2024-Q1"}, "period"),
        ({"profile": QN, "year": "twenty"}, "year"),
        # The district's publications and reports are gone in 2026.
        ({"profile": QN, "year": 2026, "level": "district"}, "level"),
    ],
)
async def test_schedule_bad_input(client: AsyncClient, params: dict[str, Any], field: str) -> None:
    body = await _problem(client, "/v1/reporting/schedule", 422, **params)
    assert body["errors"][0]["field"] == field


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"as_of": "2031-01-01"}, "as_of"),
        ({"as_of": "2024-02-30"}, "as_of"),
        ({"as_of": "2024-03-01", "count": 0}, "count"),
        ({"as_of": "2024-03-01", "count": 25}, "count"),
    ],
)
async def test_next_bad_input(client: AsyncClient, params: dict[str, Any], field: str) -> None:
    body = await _problem(client, "/v1/reporting/next", 422, profile=QN, **params)
    assert body["errors"][0]["field"] == field


async def test_ics_district_after_the_reform_is_422(client: AsyncClient) -> None:
    body = await _problem(client, "/v1/reporting.ics", 422, profile=QN, year=2026, level="district")
    assert body["type"].endswith("/problems/level-abolished")
    assert body["errors"][0]["field"] == "level"
