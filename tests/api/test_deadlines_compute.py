"""POST /v1/deadlines/compute: one hand-worked example per catalog rule, the Civil Code corners
(docs/legal-basis.md#counting) and bad input. Every expected date is worked out by hand from the
law or the plan
and the official calendar (Tết 2021 10–16/2, Tết 2024 8–14/2; 2024 swap: Mon 29/4 off, Sat 4/5
worked; 30/4 and 1/5 holidays); each row says how."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

PROBLEM = "application/problem+json"
URL = "/v1/deadlines/compute"

# (rule, anchor or None, due date, start date, flags), by hand.
DATED: list[tuple[str, str | None, str | None, str | None, list[str]]] = [
    # --- national ---
    # legal document effective Mon 1/7/2024; ≥ 20 days before: 1/7 − 20 = Tue 11/6/2024
    ("national.publication-decision-ministry", "2024-07-01", "2024-06-11", None, []),
    # ≥ 5 days before Mon 1/7/2024: 1/7 − 5 = Wed 26/6/2024, no forward roll
    ("national.publication-decision-province", "2024-07-01", "2024-06-26", None, []),
    # shortened: signed Tue 5/3/2024 + 3 calendar days: 6, 7, 8 → Fri 8/3
    ("national.publication-decision-shortened", "2024-03-05", "2024-03-08", None, []),
    # decision signed Tue 5/3/2024 + 10 working days: 6, 7, 8 (3), 11–15 (8), 18, 19 → Tue 19/3
    ("national.database-entry-ministry", "2024-03-05", "2024-03-19", None, []),
    # + 5 working days: 6, 7, 8, 11, 12 → Tue 12/3
    ("national.database-entry-province", "2024-03-05", "2024-03-12", None, []),
    # + 2 working days: 6, 7 → Thu 7/3
    ("national.database-entry-shortened", "2024-03-05", "2024-03-07", None, []),
    # received Fri 26/4/2024 + 3 working days: 27–28 weekend, Mon 29 swapped off, 30/4 and 1/5
    # holidays; Thu 2/5 (1), Fri 3/5 (2), Sat 4/5 make-up working day (3) → 4/5
    ("national.dossier-supplement-request", "2024-04-26", "2024-05-04", None, []),
    # received Thu 3/7/2025 + 3 working days: Fri 4 (1), Mon 7 (2), Tue 8 (3) → 8/7/2025
    ("national.dossier-supplement-request-2025", "2025-07-03", "2025-07-08", None, []),
    # dossier due Mon 6/5/2024, ≥ 1 day before: Sun 5/5, kept (backward: no roll), flagged
    ("national.dossier-apology", "2024-05-06", "2024-05-05", None, ["due_on_day_off"]),
    # dossier due Thu 10/7/2025 − 1 day → Wed 9/7/2025
    ("national.dossier-apology-2025", "2025-07-10", "2025-07-09", None, []),
    # received Wed 7/2/2024 + 5 working days: 8–14/2 Tết; 15 (1), 16 (2), 19 (3), 20 (4), 21 (5)
    ("national.feedback-forward", "2024-02-07", "2024-02-21", None, []),
    # --- Nghệ An 2023 ---
    # "Tháng 02/2023": the last day of February 2023, a Tuesday
    ("nghe-an-2023.feb-2023", None, "2023-02-28", None, []),
    # "Trước ngày 21/02/2023", strictly before → Mon 20/2
    ("nghe-an-2023.unit-plans", None, "2023-02-20", None, []),
    # legal document signed Fri 10/3/2023 → "ngay sau khi": the next working day, Mon 13/3
    ("nghe-an-2023.draft-decision", "2023-03-10", "2023-03-13", None, []),
    # decision signed Fri 17/3/2023 + 10 calendar days: 17 + 10 = Mon 27/3
    ("nghe-an-2023.processes", "2023-03-17", "2023-03-27", None, []),
    # decision effective Sat 1/4/2023 → on that day, a day off → Mon 3/4
    ("nghe-an-2023.publicise", "2023-04-01", "2023-04-03", None, ["rolled"]),
    # decision signed Fri 17/3/2023 → the next working day, Mon 20/3
    ("nghe-an-2023.reception-list", "2023-03-17", "2023-03-20", None, []),
    # "Trong năm 2023": Sun 31/12 → back to the last working day, Fri 29/12
    ("nghe-an-2023.year-2023", None, "2023-12-29", None, ["rolled"]),
    # "Quý I/2023": Fri 31/3
    ("nghe-an-2023.q1-2023", None, "2023-03-31", None, []),
    # "Quý II/2023": Fri 30/6
    ("nghe-an-2023.q2-2023", None, "2023-06-30", None, []),
    # "Quý III/2023": Sat 30/9 → Fri 29/9
    ("nghe-an-2023.q3-2023", None, "2023-09-29", None, ["rolled"]),
    # "Quý II, III/2023": Fri 30/6, then Sat 30/9 → Fri 29/9; the due date is the last
    ("nghe-an-2023.q2-q3-2023", None, "2023-09-29", None, ["rolled"]),
    # feedback report issued Fri 17/3/2023 → work starts Sat 18/3; no due date
    ("nghe-an-2023.after-feedback-report", "2023-03-17", None, "2023-03-18", []),
    # inspection done Wed 15/11/2023 → starts Thu 16/11
    ("nghe-an-2023.after-inspection", "2023-11-15", None, "2023-11-16", []),
    # "Thường xuyên": no due date
    ("nghe-an-2023.continuous", None, None, None, []),
    # "Theo Kế hoạch …": set elsewhere
    ("nghe-an-2023.per-other-plan", None, None, None, []),
    # --- Hà Tĩnh 2022 ---
    # "Tháng 03 năm 2022": Thu 31/3/2022
    ("ha-tinh-2022.mar-2022", None, "2022-03-31", None, []),
    # "Tháng 3 đến tháng 7 năm 2022": from Tue 1/3; Sun 31/7 → Fri 29/7
    ("ha-tinh-2022.review-window", None, "2022-07-29", "2022-03-01", ["rolled"]),
    # "Tháng 8 năm 2022": Wed 31/8
    ("ha-tinh-2022.aug-2022", None, "2022-08-31", None, []),
    # "Quý IV năm 2022": Sat 31/12 → Fri 30/12
    ("ha-tinh-2022.q4-2022", None, "2022-12-30", None, ["rolled"]),
    # "Quý l, II năm 2022": Thu 31/3 and Thu 30/6 → the last, 30/6
    ("ha-tinh-2022.q1-q2-2022", None, "2022-06-30", None, []),
    # "Thường xuyên trong năm 2022": from 1/1/2022, no due date
    ("ha-tinh-2022.continuous-2022", None, None, "2022-01-01", []),
    ("ha-tinh-2022.per-other-plan", None, None, None, []),
    # --- Quảng Nam 2024 ---
    # "Trước ngày 05/03/2024" → Mon 4/3
    ("quang-nam-2024.plan-by-05-03", None, "2024-03-04", None, []),
    # "Trước ngày 15/3/2024" → Thu 14/3
    ("quang-nam-2024.by-15-03", None, "2024-03-14", None, []),
    # "Trước ngày 31/3/2024" → Sat 30/3 → back (moving on would reach 31/3) to Fri 29/3
    ("quang-nam-2024.by-31-03", None, "2024-03-29", None, ["rolled"]),
    # "Quý I/2024": Sun 31/3 → Fri 29/3
    ("quang-nam-2024.q1-2024", None, "2024-03-29", None, ["rolled"]),
    ("quang-nam-2024.q1-2024-or-ministry", None, "2024-03-29", None, ["rolled"]),
    # "Quý II/2024": Sun 30/6 → Fri 28/6
    ("quang-nam-2024.q2-2024", None, "2024-06-28", None, ["rolled"]),
    # "Quý III/2024": Mon 30/9
    ("quang-nam-2024.q3-2024", None, "2024-09-30", None, []),
    # "Quý I, II/2024": Fri 29/3 and Fri 28/6 → 28/6
    ("quang-nam-2024.q1-q2-2024", None, "2024-06-28", None, ["rolled"]),
    # "Quý I, II, III, IV/2024": 29/3, 28/6, Mon 30/9, Tue 31/12 → 31/12
    ("quang-nam-2024.q1-q4-2024", None, "2024-12-31", None, ["rolled"]),
    # minister's list signed Fri 8/3/2024 + 10 calendar days → Mon 18/3
    ("quang-nam-2024.province-decision", "2024-03-08", "2024-03-18", None, []),
    # legal document signed Tue 5/3/2024 → the next working day, Wed 6/3
    ("quang-nam-2024.draft-decision", "2024-03-05", "2024-03-06", None, []),
    # decision signed Tue 5/3/2024 + 10 calendar days → Fri 15/3
    ("quang-nam-2024.processes-total", "2024-03-05", "2024-03-15", None, []),
    # + 7 calendar days ("trước 07 ngày" is a period) → Tue 12/3
    ("quang-nam-2024.internal-process", "2024-03-05", "2024-03-12", None, []),
    # internal process approved Mon 11/3/2024 + 3 calendar days → Thu 14/3
    ("quang-nam-2024.electronic-process", "2024-03-11", "2024-03-14", None, []),
    # + 3 working days: Wed 6, Thu 7, Fri 8 → 8/3
    ("quang-nam-2024.posting-counter", "2024-03-05", "2024-03-08", None, []),
    ("quang-nam-2024.posting-portals", "2024-03-05", "2024-03-08", None, []),
    # + 5 calendar days → Sun 10/3 → Mon 11/3
    ("quang-nam-2024.database-from-decision", "2024-03-05", "2024-03-11", None, ["rolled"]),
    # minister's list Fri 8/3/2024 + 15 → Sat 23/3 → Mon 25/3
    ("quang-nam-2024.database-from-list", "2024-03-08", "2024-03-25", None, ["rolled"]),
    # + 5 calendar days → Sun 10/3 → Mon 11/3
    ("quang-nam-2024.provincial-system-list", "2024-03-05", "2024-03-11", None, ["rolled"]),
    # decision signed Tue 5/3/2024 → the next working day, Wed 6/3
    ("quang-nam-2024.reception-list", "2024-03-05", "2024-03-06", None, []),
    # feedback report Tue 5/3/2024 → starts Wed 6/3
    ("quang-nam-2024.after-feedback-report", "2024-03-05", None, "2024-03-06", []),
    ("quang-nam-2024.continuous", None, None, None, []),
    ("quang-nam-2024.per-other-plan", None, None, None, []),
    # --- a district of Thanh Hóa, 2021 ---
    # "Tháng 01/2021": Sun 31/1 → Fri 29/1
    ("thanh-hoa-district-2021.jan-2021", None, "2021-01-29", None, ["rolled"]),
    # "trước tháng 02/2021": before Mon 1/2 → Sun 31/1 → Fri 29/1
    ("thanh-hoa-district-2021.one-stop-before-feb", None, "2021-01-29", None, ["rolled"]),
    # a department's decision posted Fri 12/3/2021 → Mon 15/3
    ("thanh-hoa-district-2021.district-lists", "2021-03-12", "2021-03-15", None, []),
    # decision signed Wed 10/3/2021 → Thu 11/3
    ("thanh-hoa-district-2021.database-update", "2021-03-10", "2021-03-11", None, []),
    # plan issued Fri 15/1/2021 + 20 working days: 18–22/1 (5), 25–29/1 (10), 1–5/2 (15),
    # 8, 9/2 (17), 10–16/2 Tết, 17, 18, 19/2 (20) → Fri 19/2/2021
    ("thanh-hoa-district-2021.unit-plans", "2021-01-15", "2021-02-19", None, []),
    ("thanh-hoa-district-2021.continuous", None, None, None, []),
    # --- An Giang Department of Construction 2023 ---
    # "15/02/2023": Wed 15/2, inclusive
    ("an-giang-construction-2023.plan-2023", None, "2023-02-15", None, []),
    # feedback received Wed 1/3/2023 + 10 → Sat 11/3 → Mon 13/3
    ("an-giang-construction-2023.feedback-reply", "2023-03-01", "2023-03-13", None, ["rolled"]),
    # "Trước ngày 15/9/2023" → Thu 14/9
    ("an-giang-construction-2023.review-report", None, "2023-09-14", None, []),
    # decision signed Fri 17/3/2023 + 10 → Mon 27/3
    ("an-giang-construction-2023.internal-process", "2023-03-17", "2023-03-27", None, []),
    # internal process approved Wed 22/3/2023 + 10 → Sat 1/4 → Mon 3/4
    ("an-giang-construction-2023.electronic-process", "2023-03-22", "2023-04-03", None, ["rolled"]),
    # "Năm 2023": Sun 31/12 → Fri 29/12
    ("an-giang-construction-2023.year-2023", None, "2023-12-29", None, ["rolled"]),
    # "Quý I/2023": Fri 31/3
    ("an-giang-construction-2023.q1-2023", None, "2023-03-31", None, []),
    # guidance issued Mon 15/5/2023 → starts Tue 16/5
    ("an-giang-construction-2023.after-guidance", "2023-05-15", None, "2023-05-16", []),
    ("an-giang-construction-2023.continuous", None, None, None, []),
    ("an-giang-construction-2023.per-other-plan", None, None, None, []),
]

# Recurring rules are dated per period by the reporting routes: the compute route refuses them.
RECURRING = [
    "national.report-to-government",
    "nghe-an-2023.monthly-publication",
    "nghe-an-2023.quarterly-report",
    "quang-nam-2024.reception-list-quarterly",
    "quang-nam-2024.service-index-departments",
    "quang-nam-2024.service-index-communes",
    "quang-nam-2024.report-commune",
    "quang-nam-2024.report-department-district",
    "quang-nam-2024.report-province",
    "thanh-hoa-district-2021.quarterly-report",
    "an-giang-construction-2023.late-officials-list",
    "an-giang-construction-2023.digitisation-report",
    "an-giang-construction-2023.quarterly-report",
]


async def test_every_catalog_rule_has_a_worked_example(client: AsyncClient) -> None:
    listed = (await client.get("/v1/rules")).json()["items"]
    catalog = {rule["code"] for rule in listed}
    examples = [row[0] for row in DATED] + RECURRING
    assert len(examples) == len(set(examples))
    assert set(examples) == catalog


@pytest.mark.parametrize(
    ("rule", "anchor", "due", "start", "flags"), DATED, ids=[row[0] for row in DATED]
)
async def test_rule_example(
    client: AsyncClient,
    rule: str,
    anchor: str | None,
    due: str | None,
    start: str | None,
    flags: list[str],
) -> None:
    body: dict[str, Any] = {"rule": rule} | ({"anchor": anchor} if anchor else {})
    r = await client.post(URL, json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["due_date"], got["start_date"], got["flags"]) == (due, start, flags)
    assert got["rule"] == rule
    assert got["profile"] == rule.split(".", 1)[0]
    assert got["citation"]["document"]
    assert got["citation"]["confidence"] in {"V", "S", "?"}
    assert got["provisional"] is False  # 2021–2025 are decided years
    assert got["trace"], "every answer explains itself"
    assert isinstance(got["calendar_revision"], int) and isinstance(got["catalog_revision"], int)


@pytest.mark.parametrize("rule", RECURRING)
async def test_recurring_rules_point_to_the_reporting_routes(
    client: AsyncClient, rule: str
) -> None:
    r = await client.post(URL, json={"rule": rule, "anchor": "2024-03-05"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["type"].endswith("/problems/rule-not-computed-here")
    assert problem["see"].startswith("/v1/reporting/next?profile=")
    assert [e["field"] for e in problem["errors"]] == ["rule"]


async def test_a_full_answer(client: AsyncClient) -> None:
    # Quảng Nam's list on the provincial system: decision signed Tue 5/3/2024 + 5 calendar
    # days → Sun 10/3, a weekly rest day → Mon 11/3 (Civil Code 2015 Art. 148(5)).
    r = await client.post(
        URL, json={"anchor": "2024-03-05", "rule": "quang-nam-2024.provincial-system-list"}
    )
    got = r.json()
    assert r.headers["content-type"] == "application/json"
    assert {k: got[k] for k in ("due_date", "shape", "anchor", "anchor_event", "roll")} == {
        "due_date": "2024-03-11",
        "shape": "period",
        "anchor": "2024-03-05",
        "anchor_event": "decision_signed",
        "roll": "following",
    }
    assert got["profile_version"] == 1
    assert got["citation"] == {
        "document": "Quyết định 467/QĐ-UBND ngày 05/3/2024 của UBND tỉnh Quảng Nam",
        "article": "Kế hoạch kèm theo, mục II, nhiệm vụ 7",
        "confidence": "V",
    }
    assert [s["step"] for s in got["trace"]] == ["anchor", "count", "roll"]
    count, roll = got["trace"][1], got["trace"][2]
    assert count["date"] == "2024-03-10" and "Điều 147" in count["citation"]["article"]
    assert count["weekend_days"] == 2  # Sat 9 and Sun 10 inside 6..10/3
    assert roll["date"] == "2024-03-11" and roll["citation"] == {
        "document": "Bộ luật Dân sự 2015",
        "article": "Điều 148(5)",
        "confidence": "V",
    }


# -- ad-hoc periods: the Civil Code corners (docs/legal-basis.md#counting)
# ------------------------------------


@pytest.mark.parametrize(
    ("body", "due", "flags"),
    [
        # weekend: Tue 5/3/2024 + 5 calendar days: 6, 7, 8, 9, 10 → Sun 10/3 → Mon 11/3
        ({"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days"}, "2024-03-11", ["rolled"]),
        # holiday: Thu 25/4/2024 + 5: 26, 27, 28, 29, 30 → Tue 30/4 (holiday); Wed 1/5 holiday
        # → Thu 2/5
        ({"anchor": "2024-04-25", "amount": 5, "unit": "calendar_days"}, "2024-05-02", ["rolled"]),
        # inside Tết 2024 (8–14/2): Mon 5/2 + 5 → Sat 10/2; 11–14 off → Thu 15/2
        ({"anchor": "2024-02-05", "amount": 5, "unit": "calendar_days"}, "2024-02-15", ["rolled"]),
        # make-up Saturday: Mon 29/4/2024 + 5: 30, 1, 2, 3, 4 → Sat 4/5/2024, a working day
        # (Công văn 2450/VPCP-KGVX): no roll
        ({"anchor": "2024-04-29", "amount": 5, "unit": "calendar_days"}, "2024-05-04", []),
        # 31/1/2024 + 1 month: no 31/2 → the last day of February of a leap year, Thu 29/2
        ({"anchor": "2024-01-31", "amount": 1, "unit": "months"}, "2024-02-29", []),
        # 31/1/2025 + 1 month → Fri 28/2/2025
        ({"anchor": "2025-01-31", "amount": 1, "unit": "months"}, "2025-02-28", []),
        # Tue 5/3/2024 + 2 weeks → the same weekday, Tue 19/3 (Art. 148(2))
        ({"anchor": "2024-03-05", "amount": 2, "unit": "weeks"}, "2024-03-19", []),
        # Fri 26/4/2024 + 3 working days: Mon 29/4 swapped off, 30/4 and 1/5 holidays;
        # Thu 2/5 (1), Fri 3/5 (2), Sat 4/5 (3, make-up working day) → 4/5
        ({"anchor": "2024-04-26", "amount": 3, "unit": "working_days"}, "2024-05-04", []),
        # backward: legal document effective Mon 1/7/2024, provincial decision ≥ 5 days before
        # → 1/7 − 5 = Wed 26/6/2024
        (
            {"anchor": "2024-07-01", "amount": 5, "unit": "calendar_days", "direction": "backward"},
            "2024-06-26",
            [],
        ),
        # backward onto a Sunday: Fri 5/7/2024 − 5 → Sun 30/6, kept (no forward roll), flagged
        (
            {"anchor": "2024-07-05", "amount": 5, "unit": "calendar_days", "direction": "backward"},
            "2024-06-30",
            ["due_on_day_off"],
        ),
        # roll = preceding: Tue 5/3/2024 + 5 → Sun 10/3 → back to Fri 8/3
        (
            {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days", "roll": "preceding"},
            "2024-03-08",
            ["rolled"],
        ),
        # roll = none: Sun 10/3 kept, flagged
        (
            {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days", "roll": "none"},
            "2024-03-10",
            ["due_on_day_off"],
        ),
        # 0 days: the anchor day itself, Tue 5/3/2024
        ({"anchor": "2024-03-05", "amount": 0, "unit": "calendar_days"}, "2024-03-05", []),
    ],
)
async def test_ad_hoc_periods(
    client: AsyncClient, body: dict[str, Any], due: str, flags: list[str]
) -> None:
    r = await client.post(URL, json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["due_date"], got["flags"]) == (due, flags)
    assert (got["rule"], got["citation"]) == (None, None)
    assert got["anchor"] == body["anchor"]


async def test_a_roll_out_of_tet_names_the_holidays(client: AsyncClient) -> None:
    # Mon 5/2/2024 + 5 → Sat 10/2 (Tết) → Thu 15/2; the roll passes Sat 10/2 .. Wed 14/2
    got = (
        await client.post(URL, json={"anchor": "2024-02-05", "amount": 5, "unit": "calendar_days"})
    ).json()
    roll = got["trace"][-1]
    assert roll["step"] == "roll" and roll["date"] == "2024-02-15"
    named = [d["date"] for d in roll["notable_days"]]
    assert "2024-02-10" in named and "2024-02-14" in named
    assert all(not d["working"] and d["source"] for d in roll["notable_days"])


async def test_the_make_up_saturday_is_named(client: AsyncClient) -> None:
    # Mon 29/4/2024 + 5 → Sat 4/5/2024: a make-up working day; the trace says so
    got = (
        await client.post(URL, json={"anchor": "2024-04-29", "amount": 5, "unit": "calendar_days"})
    ).json()
    roll = got["trace"][-1]
    assert roll["step"] == "roll" and "make-up working day" in roll["detail"]
    assert roll["notable_days"][0]["kind"] == "swap_working"
    assert "2450" in roll["notable_days"][0]["source"]


async def test_a_fixed_date_on_a_day_off_is_flagged_and_explained(client: AsyncClient) -> None:
    # "Trước ngày 31/3/2024" → Sat 30/3, a day off → moved back to Fri 29/3, flagged, with
    # the interpretation notes (docs/legal-basis.md#counting-before, #counting-fixed-day)
    got = (await client.post(URL, json={"rule": "quang-nam-2024.by-31-03"})).json()
    assert (got["due_date"], got["flags"], got["roll"]) == ("2024-03-29", ["rolled"], "preceding")
    assert [s["step"] for s in got["trace"]] == ["named_day", "bound", "roll"]
    assert any("#counting-before" in n for n in got["notes"])
    assert any("#counting-fixed-day" in n for n in got["notes"])


async def test_an_anchor_given_to_a_rule_with_its_own_dates_is_not_used(
    client: AsyncClient,
) -> None:
    got = (
        await client.post(URL, json={"rule": "quang-nam-2024.q3-2024", "anchor": "2024-03-05"})
    ).json()
    assert got["due_date"] == "2024-09-30"  # "Quý III/2024": Mon 30/9
    assert got["anchor"] is None
    assert any("not used" in n for n in got["notes"])


async def test_instalments(client: AsyncClient) -> None:
    got = (await client.post(URL, json={"rule": "quang-nam-2024.q1-q2-2024"})).json()
    # Sun 31/3 → Fri 29/3; Sun 30/6 → Fri 28/6
    assert got["instalments"] == [
        {"label": "Quý I/2024", "due_date": "2024-03-29"},
        {"label": "Quý II/2024", "due_date": "2024-06-28"},
    ]


async def test_a_national_rule_read_in_a_province(client: AsyncClient) -> None:
    # ND 63/2010 Art. 24(2) in Quảng Nam: signed Tue 5/3/2024 + 5 working days → Tue 12/3
    got = (
        await client.post(
            URL,
            json={
                "rule": "national.database-entry-province",
                "profile": "quang-nam-2024",
                "anchor": "2024-03-05",
            },
        )
    ).json()
    assert (got["due_date"], got["profile"]) == ("2024-03-12", "quang-nam-2024")


async def test_an_undecided_year_is_provisional(client: AsyncClient) -> None:
    # 2028's Tết / 2-9 / swaps are not decided yet (docs/legal-basis.md#calendar-years): the
    # answer says so
    got = (
        await client.post(URL, json={"anchor": "2028-03-01", "amount": 5, "unit": "working_days"})
    ).json()
    assert got["provisional"] is True


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"rule": "national.no-such-rule", "anchor": "2024-03-05"}, 404, "rule"),
        (
            {"rule": "national.feedback-forward", "profile": "atlantis", "anchor": "2024-03-05"},
            404,
            "profile",
        ),
        ({"anchor": "2024-02-30", "amount": 5, "unit": "calendar_days"}, 422, "anchor"),
        ({"anchor": "05/03/2024", "amount": 5, "unit": "calendar_days"}, 422, "anchor"),
        ({"anchor": "2024-03-05", "amount": 5, "unit": "fortnights"}, 422, "unit"),
        (
            {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days", "roll": "sideways"},
            422,
            "roll",
        ),
        ({"anchor": "2024-03-05", "amount": "5", "unit": "calendar_days"}, 422, "amount"),
        ({"anchor": "2024-03-05", "amount": -5, "unit": "calendar_days"}, 422, "amount"),
        ({"anchor": "2024-03-05", "amount": 10**9, "unit": "calendar_days"}, 422, "amount"),
        ({"anchor": "2024-03-05", "unit": "calendar_days"}, 422, "amount"),
        ({"anchor": "2024-03-05", "amount": 5}, 422, "unit"),
        ({"amount": 5, "unit": "calendar_days"}, 422, "anchor"),
        ({"rule": "national.feedback-forward"}, 422, "anchor"),  # missing anchor
        ({"anchor": "2024-03-05"}, 422, "rule"),  # neither form
        ({}, 422, "rule"),
        (  # both forms
            {
                "rule": "national.feedback-forward",
                "anchor": "2024-03-05",
                "amount": 5,
                "unit": "calendar_days",
            },
            422,
            "amount",
        ),
        (
            {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days", "colour": "red"},
            422,
            "colour",
        ),
        (
            {"anchor": "2018-06-01", "amount": 5, "unit": "calendar_days"},
            422,
            "anchor",
        ),  # before 2019
        (
            {"anchor": "2030-12-20", "amount": 30, "unit": "calendar_days"},
            422,
            "amount",
        ),  # past 2030
        # the Decree 61/2018 rule ended on 30/6/2025
        ({"rule": "national.dossier-apology", "anchor": "2025-07-10"}, 422, "anchor"),
    ],
)
async def test_bad_input_is_a_problem_naming_the_field(
    client: AsyncClient, body: dict[str, Any], status: int, field: str
) -> None:
    r = await client.post(URL, json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["status"] == status and problem["detail"]
    assert field in [e["field"] for e in problem["errors"]]


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b'"2024-03-05"', b"{"])
async def test_a_body_that_is_not_an_object_is_a_problem(client: AsyncClient, raw: bytes) -> None:
    r = await client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert [e["field"] for e in r.json()["errors"]] == ["body"]


async def test_an_oversized_body_is_refused(client: AsyncClient) -> None:
    r = await client.post(URL, content=b" " * 70_000, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.headers["content-type"] == PROBLEM


async def test_a_remembered_answer_is_the_answer(client: AsyncClient) -> None:
    # the same question twice: the second answer comes from the memo and is the same
    body = {"anchor": "2024-02-05", "amount": 5, "unit": "calendar_days"}
    first = await client.post(URL, json=body)
    second = await client.post(URL, json=body)
    assert first.content == second.content
    assert second.json()["due_date"] == "2024-02-15"  # Sat 10/2 in Tết → Thu 15/2


def test_the_memo_forgets_everything_when_the_calendar_or_catalog_changes() -> None:
    from app.data.calendar import seed_adjustments, seed_years
    from app.data.rules import load_catalog
    from app.domain.calendar import build_snapshot
    from app.domain.deadlines import Catalog
    from app.runtime.memo import ReferenceMemo

    calendar = build_snapshot(seed_adjustments(), seed_years(), revision=1)
    newer = build_snapshot(seed_adjustments(), seed_years(), revision=2)
    catalog = load_catalog()
    other = Catalog(catalog.profiles.values())
    memo = ReferenceMemo(size=2)
    memo.put((calendar, catalog), b"q1", b"a1")
    assert memo.get((calendar, catalog), b"q1") == b"a1"
    assert memo.get((newer, catalog), b"q1") is None
    assert memo.get((calendar, other), b"q1") is None
    memo.put((calendar, catalog), b"q2", b"a2")
    memo.put((calendar, catalog), b"q3", b"a3")  # full: the oldest goes
    assert memo.get((calendar, catalog), b"q1") is None
    assert memo.get((calendar, catalog), b"q3") == b"a3"
    memo.put((newer, catalog), b"q4", b"a4")  # a new calendar: the memo starts afresh
    assert memo.get((newer, catalog), b"q2") is None
    assert memo.get((newer, catalog), b"q4") == b"a4"
