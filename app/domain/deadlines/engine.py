"""Compute a due date, with its trace, from a rule or from an ad-hoc period.

Counting follows the Civil Code 2015 Arts. 147–148 (docs/legal-basis.md#counting); every reading of
an unsettled
point is stated in the result's notes.
"""

from __future__ import annotations

import datetime as dt

from app.domain.calendar.snapshot import CalendarSnapshot
from app.domain.deadlines import notes
from app.domain.deadlines.draft import Draft
from app.domain.deadlines.errors import AnchorRequired, InvalidPeriod, RuleNotInForce
from app.domain.deadlines.model import ANCHORED_SHAPES, Direction, Roll, Shape, Unit
from app.domain.deadlines.named import dated_by_name
from app.domain.deadlines.result import Deadline, Flag, Instalment, StepKind
from app.domain.deadlines.rule import Rule, default_roll

_DAY = dt.timedelta(days=1)


def compute_ad_hoc(
    calendar: CalendarSnapshot,
    anchor: dt.date,
    amount: int,
    unit: Unit,
    *,
    direction: Direction = Direction.FORWARD,
    roll: Roll | None = None,
) -> Deadline:
    """A period without a rule: `amount` units after (or before) `anchor`.

    Default roll: following for forward periods (Civil Code 2015 Art. 148(5)); none backward
    (docs/legal-basis.md#counting-backward). A working-day period always ends on a working day.
    """
    if amount < 0:
        raise InvalidPeriod(
            "amount must be 0 or more; count back with direction = backward", field="amount"
        )
    used = roll or default_roll(Shape.PERIOD, direction)
    draft = Draft(calendar)
    draft.step(StepKind.ANCHOR, f"counted from {notes.fmt(anchor)}", anchor)
    due = draft.period(anchor, amount, unit, direction, used)
    return Deadline(
        due_date=due,
        shape=Shape.PERIOD,
        calendar_revision=calendar.revision,
        provisional=calendar.provisional_between(anchor, due),
        trace=tuple(draft.steps),
        anchor=anchor,
        roll=used,
        notes=tuple(draft.notes),
        flags=frozenset(draft.flags),
    )


def compute_rule(
    rule: Rule,
    calendar: CalendarSnapshot,
    anchor: dt.date | None = None,
    *,
    projected: bool = False,
) -> Deadline:
    """The due date a rule gives.

    `anchor`: the date of the rule's anchor event; for a chained rule, the completion date of
    the duty it follows or, with `projected=True`, that duty's due date while it is open.
    Rules that name their own dates ignore it. Recurring rules raise NotComputedHere.
    """
    draft = Draft(calendar)
    if rule.interpretation:
        draft.notes.append(rule.interpretation)
    if rule.shape not in ANCHORED_SHAPES:
        named_due, named_start, instalments = dated_by_name(rule, draft)
        return _result(rule, draft, named_due, start=named_start, instalments=instalments)
    if anchor is None:
        raise AnchorRequired(
            f"rule {rule.code} counts from {rule.anchor}: give its date", field="anchor"
        )
    if not rule.in_force(anchor):
        raise RuleNotInForce(
            f"rule {rule.code} is in force {_span(rule)}, not on {anchor.isoformat()}",
            field="anchor",
        )
    calendar.index(anchor, "anchor")
    if rule.chain_from is not None:
        if projected:
            draft.flags.add(Flag.ANCHOR_PROJECTED)
            draft.notes.append(notes.projected(rule.chain_from, anchor))
            what = f"due date of {rule.chain_from} (not completed yet)"
        else:
            what = f"completion of {rule.chain_from}"
        draft.step(StepKind.CHAIN, f"counted from the {what}: {notes.fmt(anchor)}", anchor)
    else:
        draft.step(StepKind.ANCHOR, f"{rule.anchor} on {notes.fmt(anchor)}", anchor)
    due: dt.date | None = None
    start: dt.date | None = None
    if rule.shape is Shape.PERIOD:
        assert rule.amount is not None and rule.unit is not None  # checked by Rule
        due = draft.period(anchor, rule.amount, rule.unit, rule.direction, rule.effective_roll)
    elif rule.shape is Shape.ON_ANCHOR:
        draft.step(StepKind.NAMED_DAY, f"due on the anchor day itself, {notes.fmt(anchor)}", anchor)
        due = draft.named_day(anchor, rule.effective_roll)
    elif rule.shape is Shape.IMMEDIATE:
        due = calendar.add_working_days(anchor, 1, field="anchor")
        draft.step(StepKind.COUNT, f"the first working day after the event: {notes.fmt(due)}", due)
        draft.notes.append(notes.IMMEDIATE)
    else:  # Shape.AFTER_EVENT
        start = anchor + _DAY
        calendar.index(start, "anchor")
        draft.step(StepKind.NOT_DATED, f"starts {notes.fmt(start)}; no due date")
        draft.notes.append(notes.AFTER_EVENT)
    return _result(rule, draft, due, anchor=anchor, start=start)


def _result(
    rule: Rule,
    draft: Draft,
    due: dt.date | None,
    *,
    anchor: dt.date | None = None,
    start: dt.date | None = None,
    instalments: tuple[Instalment, ...] = (),
) -> Deadline:
    calendar = draft.calendar
    first = anchor or start or (instalments[0].due_date if instalments else due)
    if due is not None and first is not None:
        provisional = calendar.provisional_between(first, due)
    else:
        provisional = first is not None and calendar.day(first).provisional
    return Deadline(
        due_date=due,
        shape=rule.shape,
        calendar_revision=calendar.revision,
        provisional=provisional,
        trace=tuple(draft.steps),
        rule=rule.code,
        citation=rule.citation,
        anchor=anchor,
        anchor_event=rule.anchor,
        start_date=start,
        roll=rule.effective_roll if due is not None else None,
        instalments=instalments,
        notes=tuple(draft.notes),
        flags=frozenset(draft.flags),
    )


def _span(rule: Rule) -> str:
    start = rule.effective_from.isoformat() if rule.effective_from else "…"
    end = rule.effective_to.isoformat() if rule.effective_to else "…"
    return f"{start}..{end}"
