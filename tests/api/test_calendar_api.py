"""The calendar over HTTP. Expected dates are worked out by hand from the official schedules
(docs/legal-basis.md#calendar); each case says why."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from icalendar import Calendar

PROBLEM = "application/problem+json"


async def test_a_swapped_day_off_and_its_make_up_saturday(client: AsyncClient) -> None:
    # Thông báo 9441/TB-BNV: Friday 2/1/2026 off, Saturday 10/1/2026 worked.
    off = (await client.get("/v1/calendar/days/2026-01-02")).json()
    assert off["working"] is False
    assert off["kind"] == "swap_off"
    assert "9441/TB-BNV" in off["source"]
    worked = (await client.get("/v1/calendar/days/2026-01-10")).json()
    assert (worked["working"], worked["kind"]) == (True, "swap_working")
    assert worked["provisional"] is False


async def test_a_plain_day_and_a_weekend(client: AsyncClient) -> None:
    # Tuesday 5/3/2024: an ordinary working day; Sunday 10/3/2024: weekly rest day.
    tue = (await client.get("/v1/calendar/days/2024-03-05")).json()
    assert tue == {
        "date": "2024-03-05",
        "working": True,
        "kind": "working",
        "name_vi": None,
        "name_en": None,
        "source": None,
        "provisional": False,
        "confidence": None,
    }
    sun = (await client.get("/v1/calendar/days/2024-03-10")).json()
    assert (sun["working"], sun["kind"]) == (False, "weekend")


async def test_an_undecided_year_is_provisional(client: AsyncClient) -> None:
    # 2028's Tết / 2-9 / swap schedule is not decided yet (docs/legal-basis.md#calendar-years).
    day = (await client.get("/v1/calendar/days/2028-03-02")).json()
    assert day["provisional"] is True


@pytest.mark.parametrize(
    ("day", "working", "kind"),
    [
        # Công văn 10065/VPCP-KGVX (02/10/2026): Tết Thu 4/2 - Wed 10/2/2027. Tết (mùng 1) is
        # Sat 6/2; the five statutory days are the eve Fri 5/2 to mùng 4 Tue 9/2; Sat 6/2 and
        # Sun 7/2 are made up on Thu 4/2 (before) and Wed 10/2 (after).
        ("2027-02-03", True, "working"),
        ("2027-02-04", False, "compensatory"),
        ("2027-02-05", False, "holiday"),
        ("2027-02-08", False, "holiday"),
        ("2027-02-10", False, "compensatory"),
        ("2027-02-11", True, "working"),
        # Quốc khánh Thu 2/9 and the adjacent day Fri 3/9/2027 (same notice); Sat 4, Sun 5 rest.
        ("2027-09-02", False, "holiday"),
        ("2027-09-03", False, "holiday"),
        ("2027-09-06", True, "working"),
        # 30/4 Fri, 1/5 Sat: Mon 3/5/2027 compensatory by Labor Code 2019 Art. 111(3)
        # (derived: the notice does not name it).
        ("2027-04-30", False, "holiday"),
        ("2027-05-01", False, "holiday"),
        ("2027-05-03", False, "compensatory"),
        # No make-up Saturday in 2027: Sat 9/1/2027 is an ordinary rest day.
        ("2027-01-09", False, "weekend"),
        # 24/11/2027 is a Wednesday: Ngày Văn hóa Việt Nam (Nghị quyết 28/2026/QH16).
        ("2027-11-24", False, "holiday"),
    ],
)
async def test_2027_is_decided(client: AsyncClient, day: str, working: bool, kind: str) -> None:
    got = (await client.get(f"/v1/calendar/days/{day}")).json()
    assert (got["working"], got["kind"], got["provisional"]) == (working, kind, False)


@pytest.mark.parametrize(
    ("day", "source", "confidence"),
    [
        # Công văn 2450/VPCP-KGVX was read (V); Thông báo 9441/TB-BNV only in secondary sources.
        ("2024-05-04", "Công văn 2450/VPCP-KGVX (2024)", "V"),
        ("2026-08-22", "Thông báo 9441/TB-BNV (2025)", "S"),
        # 24/11 rests on Nghị quyết 28/2026/QH16, seen in secondary sources only.
        ("2026-11-24", "Nghị quyết 28/2026/QH16, Điều 2 (Ngày Văn hóa Việt Nam 24/11)", "S"),
        ("2027-04-30", "Bộ luật Lao động 2019, Điều 112(1)", "V"),
        ("2024-03-10", "Quyết định 188/1999/QĐ-TTg", "V"),  # a Sunday
        # Thu 4/2/2027, made up before Tết for Sat 6/2: Công văn 10065/VPCP-KGVX places it (Art.
        # 111(3) would give a day after); Mon 3/5/2027 for Sat 1/5 is not in it: Art. 111(3).
        ("2027-02-04", "Công văn 10065/VPCP-KGVX (2026)", "S"),
        ("2027-05-03", "Bộ luật Lao động 2019, Điều 111(3)", "V"),
    ],
)
async def test_confidence_is_a_field_not_a_code_in_the_text(
    client: AsyncClient, day: str, source: str, confidence: str
) -> None:
    got = (await client.get(f"/v1/calendar/days/{day}")).json()
    assert (got["source"], got["confidence"]) == (source, confidence)


async def test_every_2027_day_is_decided_and_2028_is_not(client: AsyncClient) -> None:
    got = (
        await client.get("/v1/calendar/days", params={"from": "2027-01-01", "to": "2028-01-31"})
    ).json()["items"]
    by_year = {
        y: {d["provisional"] for d in got if d["date"].startswith(y)} for y in ("2027", "2028")
    }
    assert by_year == {"2027": {False}, "2028": {True}}


async def test_holidays_2026(client: AsyncClient) -> None:
    body = (await client.get("/v1/calendar/holidays", params={"year": 2026})).json()
    got = {d["date"]: d["kind"] for d in body["items"]}
    # 1/1 Thu; swap 2/1 ↔ Sat 10/1; Tết Bính Ngọ Mon 16/2 – Fri 20/2 (mùng 1 = Tue 17/2);
    # Giỗ Tổ 10/3 lunar = Sun 26/4 → compensatory Mon 27/4 (Art. 111(3)); 30/4 Thu; 1/5 Fri;
    # Sat 22/8 worked for Mon 31/8 off; 2/9 Wed with Tue 1/9; 24/11 Tue (Ngày Văn hóa).
    expected_off = {
        "2026-01-01": "holiday",
        "2026-01-02": "swap_off",
        "2026-04-26": "holiday",
        "2026-04-27": "compensatory",
        "2026-04-30": "holiday",
        "2026-05-01": "holiday",
        "2026-08-31": "swap_off",
        "2026-09-01": "holiday",
        "2026-09-02": "holiday",
        "2026-11-24": "holiday",
    }
    for day, kind in expected_off.items():
        assert got[day] == kind, day
    for day in ("2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"):
        assert got[day] in {"holiday", "compensatory"}, day
    assert got["2026-01-10"] == got["2026-08-22"] == "swap_working"
    assert body["provisional"] is False


@pytest.mark.parametrize(
    ("start", "days", "result"),
    [
        # Tue 5/3/2024 + 3: Wed 6, Thu 7, Fri 8.
        ("2024-03-05", 3, "2024-03-08"),
        # Fri 26/4/2024 + 3: Mon 29/4 swapped off, 30/4 and 1/5 holidays, Thu 2/5 (1),
        # Fri 3/5 (2), Sat 4/5 make-up working day (3) — Công văn 2450/VPCP-KGVX.
        ("2024-04-26", 3, "2024-05-04"),
        # Fri 24/1/2025 + 3: Tết 27/1–31/1 (+ Sat 1/2), so Mon 3/2 (1), Tue 4/2 (2), Wed 5/2 (3).
        ("2025-01-24", 3, "2025-02-05"),
        # Mon 6/5/2024 − 1: the previous working day is the make-up Saturday 4/5.
        ("2024-05-06", -1, "2024-05-04"),
        # Tue 30/4/2024 (a holiday) − 1: Mon 29/4 is swapped off, so Fri 26/4.
        ("2024-04-30", -1, "2024-04-26"),
        # zero days: the start itself, even on a day off.
        ("2024-03-10", 0, "2024-03-10"),
    ],
)
async def test_add_working_days(client: AsyncClient, start: str, days: int, result: str) -> None:
    r = await client.get("/v1/calendar/working-days/add", params={"start": start, "days": days})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["start"], body["days"], body["result"]) == (start, days, result)
    assert body["trace"][0]["step"] == "start"
    assert body["trace"][-1]["date"] == result


async def test_add_trace_names_the_days_skipped(client: AsyncClient) -> None:
    # Fri 26/4/2024 + 3 → Sat 4/5 (see test_add_working_days). Passed over: Sat 27 and Sun 28
    # (weekly rest, QĐ 188/1999/QĐ-TTg), Mon 29/4 off under Công văn 2450/VPCP-KGVX, 30/4 and
    # 1/5 (Labor Code 2019 Art. 112(1)); Sat 4/5 is the make-up working day, counted.
    body = (
        await client.get("/v1/calendar/working-days/add", params={"start": "2024-04-26", "days": 3})
    ).json()
    steps = body["trace"]
    assert [t["step"] for t in steps] == [
        "start",
        "skipped",
        "skipped",
        "skipped",
        "counted",
        "weekends",
        "result",
    ]
    start = steps[0]
    assert (start["date"], start["citation"]) == (
        "2024-04-26",
        {"document": "Bộ luật Dân sự 2015", "article": "Điều 147", "confidence": "V"},
    )
    skipped = {t["date"]: t for t in steps if t["step"] == "skipped"}
    assert set(skipped) == {"2024-04-29", "2024-04-30", "2024-05-01"}
    swap = skipped["2024-04-29"]
    assert [(d["date"], d["kind"], d["working"]) for d in swap["notable_days"]] == [
        ("2024-04-29", "swap_off", False)
    ]
    assert "2450/VPCP-KGVX" in swap["notable_days"][0]["source"]
    # the notice's document, as the calendar data gives it, read in the primary text (V)
    assert "2450/VPCP-KGVX" in swap["citation"]["document"]
    assert (swap["citation"]["article"], swap["citation"]["confidence"]) == (None, "V")
    assert swap["weekend_days"] == 0
    holiday = skipped["2024-04-30"]
    assert holiday["notable_days"][0]["kind"] == "holiday"
    # Labor Code 2019 Art. 112(1) lists 30/4: the document and the article apart
    assert holiday["citation"] == {
        "document": "Bộ luật Lao động 2019",
        "article": "Điều 112(1)",
        "confidence": "V",
    }
    counted = [t for t in steps if t["step"] == "counted"]
    assert [t["date"] for t in counted] == ["2024-05-04"]
    assert [(d["kind"], d["working"]) for d in counted[0]["notable_days"]] == [
        ("swap_working", True)
    ]
    (weekends,) = [t for t in steps if t["step"] == "weekends"]
    # Sat 27/4 and Sun 28/4; Sun 5/5 is past the result
    assert (weekends["weekend_days"], weekends["notable_days"], weekends["date"]) == (2, [], None)
    assert weekends["citation"]["document"] == "Quyết định 188/1999/QĐ-TTg"
    assert "2 weekend" in weekends["detail"]
    result = steps[-1]
    assert (result["date"], result["citation"], result["notable_days"]) == ("2024-05-04", None, [])


async def test_count_trace_names_the_days_in_the_span(client: AsyncClient) -> None:
    # (Fri 26/4, Mon 6/5] 2024: 10 days; working Thu 2, Fri 3, Sat 4 (make-up), Mon 6 → 4;
    # off Mon 29/4 (swap), 30/4, 1/5; weekends Sat 27, Sun 28 and Sun 5/5 → 10 − 4 − 3 = 3.
    body = (
        await client.get(
            "/v1/calendar/working-days/count", params={"start": "2024-04-26", "end": "2024-05-06"}
        )
    ).json()
    steps = body["trace"]
    assert [(t["step"], t["date"]) for t in steps] == [
        ("span", None),
        ("skipped", "2024-04-29"),
        ("skipped", "2024-04-30"),
        ("skipped", "2024-05-01"),
        ("counted", "2024-05-04"),
        ("weekends", None),
        ("result", None),
    ]
    assert [t["weekend_days"] for t in steps] == [0, 0, 0, 0, 0, 3, 0]
    assert [len(t["notable_days"]) for t in steps] == [0, 1, 1, 1, 1, 0, 0]
    assert steps[-1]["detail"] == "4 working day(s)"


async def test_add_into_an_undecided_year_is_provisional(client: AsyncClient) -> None:
    # Thu 30/12/2027 + 5: Fri 31/12 (1); Sat 1/1/2028 is New Year's Day on the weekly rest day,
    # so Mon 3/1 is its compensatory day (Labor Code 2019 Art. 111(3)); Tue 4/1 (2) … Fri 7/1 (5).
    body = (
        await client.get("/v1/calendar/working-days/add", params={"start": "2027-12-30", "days": 5})
    ).json()
    assert body["result"] == "2028-01-07"
    assert body["provisional"] is True


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        # February 2024 after the 1st: Fri 2 (1); 5–7 (3, Tết from Thu 8); 15–16 (2);
        # 19–23 (5); 26–29 (4) → 15.
        ("2024-02-01", "2024-02-29", 15),
        # (Fri 26/4, Mon 6/5] 2024: Thu 2, Fri 3, Sat 4 (make-up), Mon 6 → 4.
        ("2024-04-26", "2024-05-06", 4),
        # reversed: negative.
        ("2024-05-06", "2024-04-26", -4),
        # same day: nothing in (d, d].
        ("2024-05-06", "2024-05-06", 0),
    ],
)
async def test_count_working_days(client: AsyncClient, start: str, end: str, count: int) -> None:
    r = await client.get("/v1/calendar/working-days/count", params={"start": start, "end": end})
    assert r.status_code == 200, r.text
    assert r.json()["count"] == count


async def test_days_range(client: AsyncClient) -> None:
    body = (
        await client.get("/v1/calendar/days", params={"from": "2024-04-27", "to": "2024-05-05"})
    ).json()
    assert [d["working"] for d in body["items"]] == [
        False,
        False,
        False,
        False,
        False,
        True,
        True,
        True,
        False,
    ]  # Sat 27, Sun 28, Mon 29 (swap), 30/4, 1/5, Thu 2, Fri 3, Sat 4 (make-up), Sun 5


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/v1/calendar/days/2024-02-30", "date"),
        ("/v1/calendar/days/not-a-date", "date"),
        ("/v1/calendar/days/2031-01-01", "date"),
        ("/v1/calendar/days/2018-12-31", "date"),
        ("/v1/calendar/working-days/add?start=2024-02-30&days=1", "start"),
        ("/v1/calendar/working-days/add?start=2024-03-01", "days"),
        ("/v1/calendar/working-days/add?days=1", "start"),
        ("/v1/calendar/working-days/add?start=2024-03-01&days=x", "days"),
        ("/v1/calendar/working-days/add?start=2030-12-20&days=30", "days"),
        ("/v1/calendar/working-days/add?start=2024-03-01&days=999999", "days"),
        ("/v1/calendar/working-days/count?start=2024-03-01&end=2035-01-01", "end"),
        ("/v1/calendar/days?from=2024-03-01&to=2024-02-01", "to"),
        ("/v1/calendar/days?from=2020-01-01&to=2024-02-01", "to"),
        ("/v1/calendar/days?to=2024-02-01", "from"),
        ("/v1/calendar/holidays?year=2040", "year"),
        ("/v1/calendar.ics?year=2018", "year"),
    ],
)
async def test_bad_input_is_a_422_problem_naming_the_field(
    client: AsyncClient, url: str, field: str
) -> None:
    r = await client.get(url)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert field in [e["field"] for e in body["errors"]], body


async def test_ics_feed(client: AsyncClient) -> None:
    r = await client.get("/v1/calendar.ics", params={"year": 2024})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    events = {str(e["DTSTART"].dt): e for e in Calendar.from_ical(r.content).walk("VEVENT")}  # type: ignore[union-attr]
    assert "2450/VPCP-KGVX" in str(events["2024-04-29"]["DESCRIPTION"])
    assert "Làm bù" in str(events["2024-05-04"]["SUMMARY"])  # make-up working day is listed
    assert "2024-03-05" not in events  # ordinary days are not


async def test_revision(client: AsyncClient) -> None:
    body = (await client.get("/v1/calendar/revision")).json()
    assert body["supported_from"] == "2019-01-01"
    assert body["supported_to"] == "2030-12-31"
    assert 2028 in body["provisional_years"]
    assert {2026, 2027}.isdisjoint(body["provisional_years"])


async def test_hand_built_answers_match_their_documented_models(client: AsyncClient) -> None:
    # add/count answer through the fast endpoint helper: still the documented shape.
    from pydantic import TypeAdapter

    from app.api.calendar.schemas import AddResult, CountResult

    add = await client.get(
        "/v1/calendar/working-days/add", params={"start": "2027-12-30", "days": 5}
    )
    # reaches January 2028, not decided yet
    assert TypeAdapter(AddResult).validate_python(add.json())["provisional"] is True
    count = await client.get(
        "/v1/calendar/working-days/count", params={"start": "2024-02-01", "end": "2024-02-29"}
    )
    assert TypeAdapter(CountResult).validate_python(count.json())["count"] == 15


@pytest.mark.parametrize(
    ("day", "source", "confidence"),
    [
        # The shipped adjustments are stored with their notice's code ("… [V]"); the answer
        # names the document and gives the confidence apart.
        ("2024-04-29", "Công văn 2450/VPCP-KGVX (2024)", "V"),
        ("2026-08-31", "Thông báo 9441/TB-BNV (2025)", "S"),
    ],
)
async def test_adjustments_give_the_confidence_as_a_field(
    client: AsyncClient, day: str, source: str, confidence: str
) -> None:
    one = (await client.get(f"/v1/calendar/adjustments/{day}")).json()
    assert (one["source"], one["confidence"]) == (source, confidence)
    listed = (await client.get("/v1/calendar/adjustments")).json()["items"]
    assert [(a["source"], a["confidence"]) for a in listed if a["date"] == day] == [
        (source, confidence)
    ]
    assert not any(a["source"].endswith(("[V]", "[S]", "[?]")) for a in listed)
