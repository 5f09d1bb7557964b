"""Chained duties: counted from the completion of the duty they follow, projected until then."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import (
    AnchorEvent,
    Citation,
    Confidence,
    Flag,
    Rule,
    Shape,
    StepKind,
    Unit,
    schedule,
)

D = dt.date


def make(**fields: Any) -> Rule:
    base: dict[str, Any] = {
        "title_vi": "Quy tắc thử",
        "title_en": "Test rule",
        "citation": Citation("Văn bản thử", "Điều 1", Confidence.VERIFIED),
        "shape": Shape.PERIOD,
        "amount": 10,
        "unit": Unit.CALENDAR_DAYS,
    }
    return Rule(**(base | fields))


def test_a_chain_is_projected_until_its_predecessor_is_completed(
    calendar: CalendarSnapshot,
) -> None:
    first = make(code="t.internal", anchor=AnchorEvent.DECISION_SIGNED)
    second = make(code="t.electronic", anchor=AnchorEvent.DUTY_COMPLETED, chain_from="t.internal")
    events = {AnchorEvent.DECISION_SIGNED: D(2023, 3, 1)}
    # signed Wed 1/3/2023 + 10 → Sat 11/3 → Mon 13/3; then 13/3 + 10 → Thu 23/3/2023
    projected = schedule([second, first], calendar, events)
    assert projected.deadlines["t.internal"].due_date == D(2023, 3, 13)
    assert projected.deadlines["t.electronic"].due_date == D(2023, 3, 23)
    assert Flag.ANCHOR_PROJECTED in projected.deadlines["t.electronic"].flags
    assert list(projected.deadlines) == ["t.electronic", "t.internal"]  # the order given
    # internal process approved early, Mon 6/3/2023 → 6/3 + 10 → Thu 16/3/2023, not projected
    done = schedule([first, second], calendar, events, completed={"t.internal": D(2023, 3, 6)})
    assert done.deadlines["t.electronic"].due_date == D(2023, 3, 16)
    assert done.deadlines["t.electronic"].flags == frozenset()
    assert done.deadlines["t.electronic"].trace[0].kind is StepKind.CHAIN
    # without the decision's date nothing can be dated
    waiting = schedule([first, second], calendar, {})
    assert waiting.deadlines == {}
    assert set(waiting.waiting) == {"t.internal", "t.electronic"}
