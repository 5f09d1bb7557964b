"""Due dates for a set of rules from the events of one record, following chains between duties.

A chained rule ("10 ngày sau khi có Quyết định phê duyệt") counts from the completion of the duty
it follows; until that duty is completed, from its due date, flagged as a projection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.calendar.snapshot import CalendarSnapshot
from app.domain.deadlines.engine import compute_rule
from app.domain.deadlines.model import ANCHORED_SHAPES, AnchorEvent, Shape
from app.domain.deadlines.result import Deadline
from app.domain.deadlines.rule import Rule

_Visit = Callable[[Rule, tuple[str, ...]], Deadline | None]


@dataclass(frozen=True, slots=True)
class Schedule:
    """`deadlines` by rule code, in the order of the rules given; `waiting`: rules that cannot
    be dated yet, with what they wait for."""

    deadlines: Mapping[str, Deadline]
    waiting: Mapping[str, str]


def schedule(
    rules: Sequence[Rule],
    calendar: CalendarSnapshot,
    events: Mapping[AnchorEvent, dt.date],
    *,
    completed: Mapping[str, dt.date] | None = None,
) -> Schedule:
    """Compute every rule from `events` (the dates a record supplies, e.g. a publication
    decision's signing and effective dates) and `completed` (completion dates by rule code)."""
    done = dict(completed or {})
    by_code = {rule.code: rule for rule in rules}
    found: dict[str, Deadline] = {}
    waiting: dict[str, str] = {}

    def visit(rule: Rule, path: tuple[str, ...]) -> Deadline | None:
        if rule.code in found or rule.code in waiting:
            return found.get(rule.code)
        if rule.code in path:
            raise ValueError(f"rules chain in a cycle: {' → '.join((*path, rule.code))}")
        reason, anchor, projected = _anchor_of(
            rule, events, done, by_code, visit, (*path, rule.code)
        )
        if reason is not None:
            waiting[rule.code] = reason
            return None
        found[rule.code] = compute_rule(rule, calendar, anchor, projected=projected)
        return found[rule.code]

    for rule in rules:
        visit(rule, ())
    ordered = {r.code: found[r.code] for r in rules if r.code in found}
    return Schedule(
        deadlines=ordered, waiting={r.code: waiting[r.code] for r in rules if r.code in waiting}
    )


def _anchor_of(
    rule: Rule,
    events: Mapping[AnchorEvent, dt.date],
    done: Mapping[str, dt.date],
    by_code: Mapping[str, Rule],
    visit: _Visit,
    path: tuple[str, ...],
) -> tuple[str | None, dt.date | None, bool]:
    """(why it must wait, or None; the anchor date; whether the anchor is projected)."""
    if rule.shape is Shape.RECURRING:
        return "recurring: dated per period by the reporting module", None, False
    if rule.shape not in ANCHORED_SHAPES:
        return None, None, False
    if rule.chain_from is None:
        assert rule.anchor is not None  # checked by Rule
        if rule.anchor not in events:
            return f"needs the date of {rule.anchor}", None, False
        return None, events[rule.anchor], False
    if rule.chain_from in done:
        return None, done[rule.chain_from], False
    before = by_code.get(rule.chain_from)
    if before is None:
        return f"follows {rule.chain_from}, which is not in this set and not completed", None, False
    previous = visit(before, path)
    if previous is None or previous.due_date is None:
        return f"follows {rule.chain_from}, which has no due date yet", None, False
    return None, previous.due_date, True
