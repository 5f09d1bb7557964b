"""Rule shapes other than a plain period, on rules built here (catalog rules elsewhere)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import (
    AnchorEvent,
    AnchorRequired,
    Bound,
    Citation,
    Confidence,
    Direction,
    Flag,
    Frequency,
    NotComputedHere,
    Period,
    Recurrence,
    Roll,
    Rule,
    RuleNotInForce,
    Shape,
    StepKind,
    Unit,
    compute_rule,
)

D = dt.date


def make(**fields: Any) -> Rule:
    base: dict[str, Any] = {
        "code": "test.rule",
        "title_vi": "Quy tắc thử",
        "title_en": "Test rule",
        "citation": Citation("Văn bản thử", "Điều 1", Confidence.VERIFIED),
    }
    return Rule(**(base | fields))


def fixed(day: dt.date, **fields: Any) -> Rule:
    return make(shape=Shape.FIXED_DATE, fixed_date=day, **fields)


def test_strict_before_a_named_day_is_the_day_before(calendar: CalendarSnapshot) -> None:
    # "Trước ngày 21/02/2023": 21/2 excluded → Mon 20/2/2023, a working day
    result = compute_rule(fixed(D(2023, 2, 21), bound=Bound.STRICT), calendar)
    assert result.due_date == D(2023, 2, 20)
    assert [s.kind for s in result.trace] == [StepKind.NAMED_DAY, StepKind.BOUND]
    assert any("#counting-before" in note for note in result.notes)
    assert result.flags == frozenset()


def test_inclusive_named_day_is_the_day_itself(calendar: CalendarSnapshot) -> None:
    # "15/02/2023" (a Wednesday) → 15/2/2023
    result = compute_rule(fixed(D(2023, 2, 15)), calendar)
    assert (result.due_date, result.notes) == (D(2023, 2, 15), ())


@pytest.mark.parametrize(
    ("bound", "roll", "expected", "flag"),
    [
        # "trước ngày 31/3/2024" → Sat 30/3; default for strict: back to Fri 29/3
        (Bound.STRICT, None, D(2024, 3, 29), Flag.ROLLED),
        (Bound.STRICT, Roll.NONE, D(2024, 3, 30), Flag.DUE_ON_DAY_OFF),
        # Sat 30/3 → next working day Mon 1/4/2024
        (Bound.STRICT, Roll.FOLLOWING, D(2024, 4, 1), Flag.ROLLED),
        # "ngày 30/3/2024" inclusive on a Saturday: default moves on to Mon 1/4
        (Bound.INCLUSIVE, None, D(2024, 4, 1), Flag.ROLLED),
        (Bound.INCLUSIVE, Roll.PRECEDING, D(2024, 3, 29), Flag.ROLLED),
    ],
)
def test_a_named_day_off_moves_as_the_rule_says_and_is_flagged(
    calendar: CalendarSnapshot, bound: Bound, roll: Roll | None, expected: dt.date, flag: Flag
) -> None:
    named = D(2024, 3, 31) if bound is Bound.STRICT else D(2024, 3, 30)
    result = compute_rule(fixed(named, bound=bound, roll=roll), calendar)
    assert result.due_date == expected
    assert result.flags == {flag}
    assert any("#counting-fixed-day" in note for note in result.notes)


def test_a_named_day_in_tet_is_flagged_with_the_holiday(calendar: CalendarSnapshot) -> None:
    # "ngày 12/02/2024" (Tết, Mon) inclusive → next working day Thu 15/2/2024
    result = compute_rule(fixed(D(2024, 2, 12)), calendar)
    assert result.due_date == D(2024, 2, 15)
    roll = result.trace[-1]
    assert [d.date for d in roll.notable_days] == [D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14)]


@pytest.mark.parametrize(
    ("periods", "bound", "expected", "instalments"),
    [
        # "Tháng 02/2023" → Tue 28/2/2023
        (("2023-02",), Bound.INCLUSIVE, D(2023, 2, 28), ()),
        # "Quý I/2024" → Sun 31/3/2024 → back to the last working day of the quarter, Fri 29/3
        (("2024-Q1",), Bound.INCLUSIVE, D(2024, 3, 29), ()),
        # "Trong năm 2023" → Sun 31/12/2023 → Fri 29/12/2023
        (("2023",), Bound.INCLUSIVE, D(2023, 12, 29), ()),
        # "trước tháng 02/2021" → before 1/2/2021: Sun 31/1 → Fri 29/1/2021
        (("2021-02",), Bound.STRICT, D(2021, 1, 29), ()),
        # "Quý II, III/2023" → Fri 30/6/2023 and Sat 30/9/2023 → Fri 29/9/2023
        (
            ("2023-Q2", "2023-Q3"),
            Bound.INCLUSIVE,
            D(2023, 9, 29),
            ((("Quý II/2023"), D(2023, 6, 30)), ("Quý III/2023", D(2023, 9, 29))),
        ),
    ],
)
def test_period_ends(
    calendar: CalendarSnapshot,
    periods: tuple[str, ...],
    bound: Bound,
    expected: dt.date,
    instalments: tuple[tuple[str, dt.date], ...],
) -> None:
    rule = make(
        shape=Shape.PERIOD_END, periods=tuple(Period.parse(p) for p in periods), bound=bound
    )
    result = compute_rule(rule, calendar)
    assert result.due_date == expected
    assert tuple((i.label, i.due_date) for i in result.instalments) == instalments


def test_a_window_has_a_start_and_a_due_date(calendar: CalendarSnapshot) -> None:
    # "Tháng 3 đến tháng 7 năm 2022": from Tue 1/3/2022; Sun 31/7/2022 → Fri 29/7/2022
    rule = make(shape=Shape.WINDOW, periods=(Period.parse("2022-03"), Period.parse("2022-07")))
    result = compute_rule(rule, calendar)
    assert (result.start_date, result.due_date) == (D(2022, 3, 1), D(2022, 7, 29))
    assert result.flags == {Flag.ROLLED}


def test_on_the_anchor_day(calendar: CalendarSnapshot) -> None:
    rule = make(shape=Shape.ON_ANCHOR, anchor=AnchorEvent.DECISION_EFFECTIVE)
    # effective Mon 1/4/2024 → publicise that day
    assert compute_rule(rule, calendar, D(2024, 4, 1)).due_date == D(2024, 4, 1)
    # effective Sun 30/6/2024 → by default the next working day, Mon 1/7, flagged
    on_sunday = compute_rule(rule, calendar, D(2024, 6, 30))
    assert (on_sunday.due_date, on_sunday.flags) == (D(2024, 7, 1), frozenset({Flag.ROLLED}))


def test_immediately_after_is_the_next_working_day(calendar: CalendarSnapshot) -> None:
    rule = make(shape=Shape.IMMEDIATE, anchor=AnchorEvent.DECISION_SIGNED)
    # signed Tue 5/3/2024 → Wed 6/3; signed Fri 8/3/2024 → Mon 11/3
    assert compute_rule(rule, calendar, D(2024, 3, 5)).due_date == D(2024, 3, 6)
    result = compute_rule(rule, calendar, D(2024, 3, 8))
    assert result.due_date == D(2024, 3, 11)
    assert any("Ngay sau khi" in note for note in result.notes)


def test_after_an_event_starts_but_has_no_due_date(calendar: CalendarSnapshot) -> None:
    rule = make(shape=Shape.AFTER_EVENT, anchor=AnchorEvent.INSPECTION_DONE)
    result = compute_rule(rule, calendar, D(2024, 3, 5))
    assert (result.due_date, result.start_date) == (None, D(2024, 3, 6))


@pytest.mark.parametrize("shape", [Shape.CONTINUOUS, Shape.EXTERNAL])
def test_no_due_date(calendar: CalendarSnapshot, shape: Shape) -> None:
    result = compute_rule(make(shape=shape), calendar)
    assert result.due_date is None
    assert [s.kind for s in result.trace] == [StepKind.NOT_DATED]


def test_a_continuous_duty_over_a_year_starts_with_it(calendar: CalendarSnapshot) -> None:
    # "Thường xuyên trong năm 2022"
    rule = make(shape=Shape.CONTINUOUS, periods=(Period.parse("2022"),))
    result = compute_rule(rule, calendar)
    assert (result.due_date, result.start_date) == (None, D(2022, 1, 1))


def test_recurring_rules_belong_to_reporting(calendar: CalendarSnapshot) -> None:
    rule = make(shape=Shape.RECURRING, recurrence=Recurrence(Frequency.QUARTERLY, 17, True))
    with pytest.raises(NotComputedHere):
        compute_rule(rule, calendar)


def test_an_anchored_rule_needs_its_anchor(calendar: CalendarSnapshot) -> None:
    rule = make(
        shape=Shape.PERIOD, anchor=AnchorEvent.DECISION_SIGNED, amount=3, unit=Unit.WORKING_DAYS
    )
    with pytest.raises(AnchorRequired):
        compute_rule(rule, calendar)


def test_a_rule_out_of_force_is_refused(calendar: CalendarSnapshot) -> None:
    rule = make(
        shape=Shape.PERIOD,
        anchor=AnchorEvent.DOSSIER_RECEIVED,
        amount=3,
        unit=Unit.WORKING_DAYS,
        effective_to=D(2025, 6, 30),
    )
    # received Mon 30/6/2025 (in force) + 3 working days → Tue 1, Wed 2, Thu 3/7 → 3/7/2025
    assert compute_rule(rule, calendar, D(2025, 6, 30)).due_date == D(2025, 7, 3)
    with pytest.raises(RuleNotInForce):
        compute_rule(rule, calendar, D(2025, 7, 1))


@pytest.mark.parametrize(
    "fields",
    [
        {"shape": Shape.PERIOD, "anchor": AnchorEvent.DECISION_SIGNED, "amount": 3},  # no unit
        {"shape": Shape.PERIOD, "amount": 3, "unit": Unit.WORKING_DAYS},  # no anchor
        {
            "shape": Shape.PERIOD,
            "anchor": AnchorEvent.DECISION_SIGNED,
            "amount": -3,
            "unit": Unit.WORKING_DAYS,
        },
        {
            "shape": Shape.PERIOD,
            "anchor": AnchorEvent.DECISION_SIGNED,
            "amount": 3,
            "unit": Unit.CALENDAR_DAYS,
            "bound": Bound.STRICT,
        },
        {"shape": Shape.FIXED_DATE},  # no date
        {"shape": Shape.FIXED_DATE, "fixed_date": D(2024, 1, 1), "direction": Direction.BACKWARD},
        {"shape": Shape.WINDOW, "periods": (Period.parse("2022-07"), Period.parse("2022-03"))},
        {"shape": Shape.RECURRING},  # no recurrence
        {"shape": Shape.CONTINUOUS, "roll": Roll.FOLLOWING},
        {
            "shape": Shape.PERIOD,
            "anchor": AnchorEvent.DUTY_COMPLETED,
            "amount": 3,
            "unit": Unit.CALENDAR_DAYS,
        },  # chained without saying on what
        {
            "shape": Shape.EXTERNAL,
            "effective_from": D(2024, 2, 1),
            "effective_to": D(2024, 1, 1),
        },
    ],
)
def test_an_inconsistent_rule_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"rule test\.rule"):
        make(**fields)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("2022-03", "2022-M03"),
        ("2022-M03", "2022-M03"),
        ("2024-Q1", "2024-Q1"),
        ("2022-H2", "2022-H2"),
        ("2022", "2022-Y"),
        ("2022-Y", "2022-Y"),
    ],
)
def test_one_period_code_syntax(written: str, code: str) -> None:
    # the rule data's ISO-like forms are read; the code written is the reporting calendar's
    assert str(Period.parse(written)) == code
    assert Period.parse(code) == Period.parse(written)


@pytest.mark.parametrize("bad", ["2022-13", "2022-M13", "2022-Q5", "2022-M3", "22-03", "2022-9M"])
def test_bad_period_codes(bad: str) -> None:
    with pytest.raises(ValueError, match=r"is not a period|does not exist"):
        Period.parse(bad)
