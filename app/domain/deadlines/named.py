"""Rules that name their own dates: a fixed day, the end of a period, a window, or none at all."""

from __future__ import annotations

import datetime as dt

from app.domain.deadlines import notes
from app.domain.deadlines.draft import Draft
from app.domain.deadlines.errors import NotComputedHere
from app.domain.deadlines.model import Bound, Shape
from app.domain.deadlines.period import Period
from app.domain.deadlines.result import Instalment, StepKind
from app.domain.deadlines.rule import Rule

_DAY = dt.timedelta(days=1)


def dated_by_name(
    rule: Rule, draft: Draft
) -> tuple[dt.date | None, dt.date | None, tuple[Instalment, ...]]:
    """(due date, start date, instalments) of a rule whose text names its dates."""
    shape = rule.shape
    if shape is Shape.FIXED_DATE:
        assert rule.fixed_date is not None  # checked by Rule
        draft.step(
            StepKind.NAMED_DAY, f"the text names {notes.fmt(rule.fixed_date)}", rule.fixed_date
        )
        return _bounded(rule, draft, rule.fixed_date), None, ()
    if shape is Shape.PERIOD_END:
        instalments = tuple(
            Instalment(period.label_vi, _period_end(rule, draft, period)) for period in rule.periods
        )
        if len(instalments) > 1:
            draft.notes.append(notes.INSTALMENTS)
            return instalments[-1].due_date, None, instalments
        return instalments[0].due_date, None, ()
    if shape is Shape.WINDOW:
        start = rule.periods[0].first
        draft.step(
            StepKind.NAMED_DAY, f"starts with {rule.periods[0].label_vi}: {notes.fmt(start)}", start
        )
        draft.calendar.index(start, "rule")
        return _period_end(rule, draft, rule.periods[-1]), start, ()
    if shape is Shape.CONTINUOUS:
        if rule.periods:
            span = rule.periods[0]
            draft.step(
                StepKind.NOT_DATED, f"continuous during {span.label_vi}, {span.first}..{span.last}"
            )
            draft.notes.append(notes.CONTINUOUS)
            return None, span.first, ()
        draft.step(StepKind.NOT_DATED, "continuous; no due date")
        draft.notes.append(notes.CONTINUOUS)
        return None, None, ()
    if shape is Shape.EXTERNAL:
        draft.step(StepKind.NOT_DATED, "set by another document or on request; no due date here")
        draft.notes.append(notes.EXTERNAL)
        return None, None, ()
    raise NotComputedHere(
        f"rule {rule.code} recurs each period ({rule.recurrence}); its due dates are computed "
        "per reporting period, not from a single anchor",
        field="rule",
    )


def _period_end(rule: Rule, draft: Draft, period: Period) -> dt.date:
    """The period's last day; "trước tháng 02/2021" (strict) is the day before it begins."""
    if rule.bound is Bound.STRICT:
        draft.step(
            StepKind.NAMED_DAY,
            f"before {period.label_vi}, which begins {notes.fmt(period.first)}",
            period.first,
        )
        return _bounded(rule, draft, period.first)
    draft.step(
        StepKind.NAMED_DAY,
        f"the last day of {period.label_vi}: {notes.fmt(period.last)}",
        period.last,
    )
    return _bounded(rule, draft, period.last)


def _bounded(rule: Rule, draft: Draft, named: dt.date) -> dt.date:
    """Apply the bound ("trước ngày D" → D − 1, docs/legal-basis.md#counting-before), then the
    roll."""
    day = named
    if rule.bound is Bound.STRICT:
        day = named - _DAY
        draft.step(StepKind.BOUND, f"strictly before {named.isoformat()}: {notes.fmt(day)}", day)
        draft.notes.append(notes.strict_before(named, day))
    return draft.named_day(day, rule.effective_roll)
