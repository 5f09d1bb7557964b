"""The shipped catalog: one hand-worked example per rule, and the duties of a decision."""

from __future__ import annotations

import datetime as dt

import pytest

from app.data.rules import load_catalog
from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import (
    Catalog,
    Frequency,
    NotComputedHere,
    compute_rule,
)

D = dt.date
NA, HT, QN = "nghe-an-2023", "ha-tinh-2022", "quang-nam-2024"
TH, AG = "thanh-hoa-district-2021", "an-giang-construction-2023"

# (rule code, anchor date or None, expected due date, expected start date), worked by hand.
DATED: list[tuple[str, dt.date | None, dt.date | None, dt.date | None]] = [
    # --- national ---
    # legal document effective Mon 1/7/2024; ≥ 20 days before: 1/7 − 20 = Tue 11/6/2024
    ("national.publication-decision-ministry", D(2024, 7, 1), D(2024, 6, 11), None),
    # ≥ 5 days before Mon 1/7/2024: 1/7 − 5 = Wed 26/6/2024 (no forward roll)
    ("national.publication-decision-province", D(2024, 7, 1), D(2024, 6, 26), None),
    # shortened: signed Tue 5/3/2024 + 3 calendar days: 6, 7, 8 → Fri 8/3
    ("national.publication-decision-shortened", D(2024, 3, 5), D(2024, 3, 8), None),
    # decision signed Tue 5/3/2024 + 10 working days: 6, 7, 8, 11–15, 18, 19 → Tue 19/3
    ("national.database-entry-ministry", D(2024, 3, 5), D(2024, 3, 19), None),
    # + 5 working days: 6, 7, 8, 11, 12 → Tue 12/3
    ("national.database-entry-province", D(2024, 3, 5), D(2024, 3, 12), None),
    # + 2 working days: 6, 7 → Thu 7/3
    ("national.database-entry-shortened", D(2024, 3, 5), D(2024, 3, 7), None),
    # received Fri 26/4/2024 + 3 working days: 27–28 weekend, 29 swap off, 30/4–1/5 holidays;
    # Thu 2/5, Fri 3/5, Sat 4/5 (make-up working day) → 4/5
    ("national.dossier-supplement-request", D(2024, 4, 26), D(2024, 5, 4), None),
    # received Thu 3/7/2025 + 3 working days: Fri 4, Mon 7, Tue 8 → 8/7/2025
    ("national.dossier-supplement-request-2025", D(2025, 7, 3), D(2025, 7, 8), None),
    # dossier due Mon 6/5/2024; ≥ 1 day before: Sun 5/5, kept (backward: no forward roll)
    ("national.dossier-apology", D(2024, 5, 6), D(2024, 5, 5), None),
    # dossier due Thu 10/7/2025 − 1 day → Wed 9/7/2025
    ("national.dossier-apology-2025", D(2025, 7, 10), D(2025, 7, 9), None),
    # received Wed 7/2/2024 + 5 working days: 8–14/2 Tết; 15, 16, 19, 20, 21 → Wed 21/2
    ("national.feedback-forward", D(2024, 2, 7), D(2024, 2, 21), None),
    # --- Nghệ An 2023 ---
    ("nghe-an-2023.feb-2023", None, D(2023, 2, 28), None),  # last day of February, a Tuesday
    ("nghe-an-2023.unit-plans", None, D(2023, 2, 20), None),  # trước 21/2 → Mon 20/2
    # legal document signed Fri 10/3/2023 → the next working day, Mon 13/3
    ("nghe-an-2023.draft-decision", D(2023, 3, 10), D(2023, 3, 13), None),
    # decision signed Fri 17/3/2023 + 10 calendar days → Mon 27/3/2023
    ("nghe-an-2023.processes", D(2023, 3, 17), D(2023, 3, 27), None),
    # decision effective Sat 1/4/2023 → on that day; a day off → Mon 3/4/2023 (flagged)
    ("nghe-an-2023.publicise", D(2023, 4, 1), D(2023, 4, 3), None),
    # decision signed Fri 17/3/2023 → Mon 20/3/2023
    ("nghe-an-2023.reception-list", D(2023, 3, 17), D(2023, 3, 20), None),
    ("nghe-an-2023.year-2023", None, D(2023, 12, 29), None),  # Sun 31/12 → Fri 29/12
    ("nghe-an-2023.q1-2023", None, D(2023, 3, 31), None),  # Fri 31/3
    ("nghe-an-2023.q2-2023", None, D(2023, 6, 30), None),  # Fri 30/6
    ("nghe-an-2023.q3-2023", None, D(2023, 9, 29), None),  # Sat 30/9 → Fri 29/9
    ("nghe-an-2023.q2-q3-2023", None, D(2023, 9, 29), None),  # 30/6 and 29/9; the last
    # feedback report issued Fri 17/3/2023 → starts Sat 18/3, no due date
    ("nghe-an-2023.after-feedback-report", D(2023, 3, 17), None, D(2023, 3, 18)),
    # inspection done Wed 15/11/2023 → starts Thu 16/11
    ("nghe-an-2023.after-inspection", D(2023, 11, 15), None, D(2023, 11, 16)),
    ("nghe-an-2023.continuous", None, None, None),
    ("nghe-an-2023.per-other-plan", None, None, None),
    # --- Hà Tĩnh 2022 ---
    ("ha-tinh-2022.mar-2022", None, D(2022, 3, 31), None),  # Thu 31/3
    ("ha-tinh-2022.review-window", None, D(2022, 7, 29), D(2022, 3, 1)),  # Sun 31/7 → Fri 29/7
    ("ha-tinh-2022.aug-2022", None, D(2022, 8, 31), None),  # Wed 31/8
    ("ha-tinh-2022.q4-2022", None, D(2022, 12, 30), None),  # Sat 31/12 → Fri 30/12
    ("ha-tinh-2022.q1-q2-2022", None, D(2022, 6, 30), None),  # Thu 31/3 and Thu 30/6
    ("ha-tinh-2022.continuous-2022", None, None, D(2022, 1, 1)),
    ("ha-tinh-2022.per-other-plan", None, None, None),
    # --- Quảng Nam 2024 ---
    ("quang-nam-2024.plan-by-05-03", None, D(2024, 3, 4), None),  # trước 5/3 → Mon 4/3
    ("quang-nam-2024.by-15-03", None, D(2024, 3, 14), None),  # trước 15/3 → Thu 14/3
    ("quang-nam-2024.by-31-03", None, D(2024, 3, 29), None),  # Sat 30/3 → back to Fri 29/3
    ("quang-nam-2024.q1-2024", None, D(2024, 3, 29), None),  # Sun 31/3 → Fri 29/3
    ("quang-nam-2024.q1-2024-or-ministry", None, D(2024, 3, 29), None),
    ("quang-nam-2024.q2-2024", None, D(2024, 6, 28), None),  # Sun 30/6 → Fri 28/6
    ("quang-nam-2024.q3-2024", None, D(2024, 9, 30), None),  # Mon 30/9
    ("quang-nam-2024.q1-q2-2024", None, D(2024, 6, 28), None),  # 29/3 and 28/6
    ("quang-nam-2024.q1-q4-2024", None, D(2024, 12, 31), None),  # 29/3, 28/6, 30/9, Tue 31/12
    # minister's list signed Fri 8/3/2024 + 10 calendar days → Mon 18/3
    ("quang-nam-2024.province-decision", D(2024, 3, 8), D(2024, 3, 18), None),
    # legal document signed Tue 5/3/2024 → Wed 6/3
    ("quang-nam-2024.draft-decision", D(2024, 3, 5), D(2024, 3, 6), None),
    # decision signed Tue 5/3/2024 + 10 calendar days → Fri 15/3
    ("quang-nam-2024.processes-total", D(2024, 3, 5), D(2024, 3, 15), None),
    # + 7 calendar days ("trước 07 ngày" is a period, not strict) → Tue 12/3
    ("quang-nam-2024.internal-process", D(2024, 3, 5), D(2024, 3, 12), None),
    # internal process approved Mon 11/3/2024 + 3 calendar days → Thu 14/3
    ("quang-nam-2024.electronic-process", D(2024, 3, 11), D(2024, 3, 14), None),
    # + 3 working days: Wed 6, Thu 7, Fri 8 → 8/3
    ("quang-nam-2024.posting-counter", D(2024, 3, 5), D(2024, 3, 8), None),
    ("quang-nam-2024.posting-portals", D(2024, 3, 5), D(2024, 3, 8), None),
    # + 5 calendar days → Sun 10/3 → Mon 11/3
    ("quang-nam-2024.database-from-decision", D(2024, 3, 5), D(2024, 3, 11), None),
    # minister's list Fri 8/3/2024 + 15 → Sat 23/3 → Mon 25/3
    ("quang-nam-2024.database-from-list", D(2024, 3, 8), D(2024, 3, 25), None),
    ("quang-nam-2024.provincial-system-list", D(2024, 3, 5), D(2024, 3, 11), None),  # as above
    ("quang-nam-2024.reception-list", D(2024, 3, 5), D(2024, 3, 6), None),  # next working day
    ("quang-nam-2024.after-feedback-report", D(2024, 3, 5), None, D(2024, 3, 6)),
    ("quang-nam-2024.continuous", None, None, None),
    ("quang-nam-2024.per-other-plan", None, None, None),
    # --- a district of Thanh Hóa, 2021 ---
    ("thanh-hoa-district-2021.jan-2021", None, D(2021, 1, 29), None),  # Sun 31/1 → Fri 29/1
    # trước tháng 02/2021 → before Mon 1/2: Sun 31/1 → back to Fri 29/1
    ("thanh-hoa-district-2021.one-stop-before-feb", None, D(2021, 1, 29), None),
    # a department's decision posted Fri 12/3/2021 → Mon 15/3
    ("thanh-hoa-district-2021.district-lists", D(2021, 3, 12), D(2021, 3, 15), None),
    # decision signed Wed 10/3/2021 → Thu 11/3
    ("thanh-hoa-district-2021.database-update", D(2021, 3, 10), D(2021, 3, 11), None),
    # plan issued Fri 15/1/2021 + 20 working days: 18–22/1 (5), 25–29/1 (10), 1–5/2 (15),
    # 8, 9/2 (17), 10–16/2 Tết, 17, 18, 19/2 (20) → Fri 19/2/2021
    ("thanh-hoa-district-2021.unit-plans", D(2021, 1, 15), D(2021, 2, 19), None),
    ("thanh-hoa-district-2021.continuous", None, None, None),
    # --- An Giang Department of Construction 2023 ---
    ("an-giang-construction-2023.plan-2023", None, D(2023, 2, 15), None),  # Wed 15/2, inclusive
    # feedback received Wed 1/3/2023 + 10 → Sat 11/3 → Mon 13/3
    ("an-giang-construction-2023.feedback-reply", D(2023, 3, 1), D(2023, 3, 13), None),
    ("an-giang-construction-2023.review-report", None, D(2023, 9, 14), None),  # Thu 14/9
    # decision signed Fri 17/3/2023 + 10 → Mon 27/3
    ("an-giang-construction-2023.internal-process", D(2023, 3, 17), D(2023, 3, 27), None),
    # internal process approved Wed 22/3/2023 + 10 → Sat 1/4 → Mon 3/4
    ("an-giang-construction-2023.electronic-process", D(2023, 3, 22), D(2023, 4, 3), None),
    ("an-giang-construction-2023.year-2023", None, D(2023, 12, 29), None),  # Sun 31/12 → 29/12
    ("an-giang-construction-2023.q1-2023", None, D(2023, 3, 31), None),  # Fri 31/3
    # guidance issued Mon 15/5/2023 → starts Tue 16/5
    ("an-giang-construction-2023.after-guidance", D(2023, 5, 15), None, D(2023, 5, 16)),
    ("an-giang-construction-2023.continuous", None, None, None),
    ("an-giang-construction-2023.per-other-plan", None, None, None),
]

# Recurring rules, dated per period by the reporting module: (frequency, day, last month).
RECURRING = {
    "national.report-to-government": (Frequency.QUARTERLY, 25, True),
    "nghe-an-2023.monthly-publication": (Frequency.MONTHLY, None, False),
    "nghe-an-2023.quarterly-report": (Frequency.QUARTERLY, None, False),
    "quang-nam-2024.reception-list-quarterly": (Frequency.QUARTERLY, None, False),
    "quang-nam-2024.service-index-departments": (Frequency.MONTHLY, 10, False),
    "quang-nam-2024.service-index-communes": (Frequency.MONTHLY, 15, False),
    "quang-nam-2024.report-commune": (Frequency.QUARTERLY, 17, True),
    "quang-nam-2024.report-department-district": (Frequency.QUARTERLY, 19, True),
    "quang-nam-2024.report-province": (Frequency.QUARTERLY, 22, True),
    "thanh-hoa-district-2021.quarterly-report": (Frequency.QUARTERLY, 17, True),
    "an-giang-construction-2023.late-officials-list": (Frequency.MONTHLY, 5, False),
    "an-giang-construction-2023.digitisation-report": (Frequency.MONTHLY, None, False),
    "an-giang-construction-2023.quarterly-report": (Frequency.QUARTERLY, 19, True),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_rule_has_a_worked_example(catalog: Catalog) -> None:
    defined = {rule.code for profile in catalog.profiles.values() for rule in profile.rules}
    listed = [code for code, *_ in DATED] + list(RECURRING)
    assert len(listed) == len(set(listed))
    assert set(listed) == defined


@pytest.mark.parametrize(("code", "anchor", "due", "start"), DATED, ids=[c[0] for c in DATED])
def test_rule_example(
    catalog: Catalog,
    calendar: CalendarSnapshot,
    code: str,
    anchor: dt.date | None,
    due: dt.date | None,
    start: dt.date | None,
) -> None:
    rule = catalog.rule(code)
    result = compute_rule(rule, calendar, anchor)
    assert (result.due_date, result.start_date) == (due, start)
    assert (result.rule, result.citation, result.confidence) == (
        code,
        rule.citation,
        rule.confidence,
    )


@pytest.mark.parametrize("code", sorted(RECURRING))
def test_recurring_rule(catalog: Catalog, calendar: CalendarSnapshot, code: str) -> None:
    rule = catalog.rule(code)
    assert rule.recurrence is not None
    frequency, day, last_month = RECURRING[code]
    assert (rule.recurrence.frequency, rule.recurrence.day, rule.recurrence.last_month) == (
        frequency,
        day,
        last_month,
    )
    with pytest.raises(NotComputedHere):
        compute_rule(rule, calendar, D(2024, 3, 5))
