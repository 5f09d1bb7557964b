"""Plan a publication decision's duties and compare a new plan with the one on record."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.calendar.snapshot import CalendarSnapshot
from app.domain.citations import Citation
from app.domain.deadlines import AnchorEvent, Deadline, Flag, Rule, Scope, schedule
from app.domain.levels import Level


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    """What a recorded publication decision supplies to its duties."""

    signed_on: dt.date
    effective_on: dt.date
    level: Level
    shortened: bool = False
    ministry_list_signed_on: dt.date | None = None


def scope_for(level: Level, shortened: bool) -> Scope:
    """The national rules' scope (ND 63/2010 Art. 24(2)): documents made under the shortened
    procedure have their own, shorter limit whoever issues the decision."""
    if shortened:
        return Scope.SHORTENED
    return Scope.MINISTRY if level is Level.NATIONAL else Scope.PROVINCE


def decision_events(facts: DecisionFacts) -> dict[AnchorEvent, dt.date]:
    events = {
        AnchorEvent.DECISION_SIGNED: facts.signed_on,
        AnchorEvent.DECISION_EFFECTIVE: facts.effective_on,
    }
    if facts.ministry_list_signed_on is not None:
        events[AnchorEvent.MINISTRY_LIST_SIGNED] = facts.ministry_list_signed_on
    return events


@dataclass(frozen=True, slots=True)
class PlannedDuty:
    """One duty as the rules and the calendar date it; `due_date` None while it waits."""

    rule: str
    title_vi: str
    title_en: str
    chain_from: str | None
    due_date: dt.date | None
    waiting_for: str | None
    projected: bool
    flags: tuple[str, ...]
    provisional: bool
    citation: Citation
    calendar_revision: int
    deadline: Deadline | None  # how the due date was counted; None while it waits


def plan_duties(
    rules: Sequence[Rule],
    calendar: CalendarSnapshot,
    facts: DecisionFacts,
    *,
    completed: Mapping[str, dt.date] | None = None,
) -> list[PlannedDuty]:
    """Every rule's duty, in the order of the rules; a chained duty counts from its
    predecessor's completion, or from its due date (flagged as projected) while it is open.

    `rules` are those in force when the decision was signed. The duty they create stays owed
    when its own dates fall after the plan ends (a decision signed on 30/12 of the plan's year
    still has its processes approved in January), so their spans are not applied again.
    """
    owed = [dataclasses.replace(r, effective_from=None, effective_to=None) for r in rules]
    plan = schedule(owed, calendar, decision_events(facts), completed=completed)
    duties: list[PlannedDuty] = []
    for rule in rules:
        deadline = plan.deadlines.get(rule.code)
        waiting = plan.waiting.get(rule.code)
        duties.append(_duty(rule, calendar, deadline, waiting))
    return duties


def _duty(
    rule: Rule, calendar: CalendarSnapshot, deadline: Deadline | None, waiting: str | None
) -> PlannedDuty:
    flags = tuple(sorted(f.value for f in deadline.flags)) if deadline else ()
    return PlannedDuty(
        rule=rule.code,
        title_vi=rule.title_vi,
        title_en=rule.title_en,
        chain_from=rule.chain_from,
        due_date=deadline.due_date if deadline else None,
        waiting_for=waiting,
        projected=deadline is not None and Flag.ANCHOR_PROJECTED in deadline.flags,
        flags=flags,
        provisional=deadline.provisional if deadline else False,
        citation=rule.citation,
        calendar_revision=deadline.calendar_revision if deadline else calendar.revision,
        deadline=deadline,
    )


@dataclass(frozen=True, slots=True)
class Recorded:
    """An open obligation as it is on record."""

    id: int
    rule: str
    due_date: dt.date | None
    projected: bool
    waiting_for: str | None
    calendar_revision: int


@dataclass(frozen=True, slots=True)
class Move:
    """An open obligation whose due date (or its basis: projected, waiting) changes."""

    recorded: Recorded
    planned: PlannedDuty

    @property
    def due_date_moved(self) -> bool:
        return self.recorded.due_date != self.planned.due_date


def moves(recorded: Sequence[Recorded], planned: Sequence[PlannedDuty]) -> list[Move]:
    """The recorded open obligations the new plan changes, in the order recorded. Obligations
    whose rule the plan no longer has are left alone (the catalog changed under them)."""
    by_rule = {duty.rule: duty for duty in planned}
    found: list[Move] = []
    for row in recorded:
        duty = by_rule.get(row.rule)
        if duty is None:
            continue
        if (row.due_date, row.projected, row.waiting_for) != (
            duty.due_date,
            duty.projected,
            duty.waiting_for,
        ):
            found.append(Move(row, duty))
    return found


def followers(chains: Mapping[str, str | None], rule: str) -> set[str]:
    """The rules chained, directly or through others, on `rule`'s completion; `chains` maps
    each rule to the one it follows (None when it follows none)."""
    found: set[str] = set()
    frontier = {rule}
    while frontier:
        frontier = {r for r, before in chains.items() if before in frontier} - found
        found |= frontier
    return found
