"""A deadline rule and a jurisdiction profile: values, checked when built."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise

from app.domain.citations import Citation, Confidence
from app.domain.deadlines.model import (
    ANCHORED_SHAPES,
    AnchorEvent,
    Bound,
    Direction,
    DutyTrigger,
    Recurrence,
    Roll,
    Scope,
    Shape,
    Unit,
)
from app.domain.deadlines.period import Period
from app.domain.levels import Level

# Shapes whose due date is a day the text names rather than the end of a counted period.
_NAMED_DAY_SHAPES = frozenset({Shape.ON_ANCHOR, Shape.FIXED_DATE, Shape.PERIOD_END, Shape.WINDOW})
# How many named periods each shape takes: one or more period ends (one due date each), a
# window's first and last period, a continuous duty's optional span.
_PERIOD_COUNTS = {Shape.PERIOD_END: (1, 12), Shape.WINDOW: (2, 2), Shape.CONTINUOUS: (0, 1)}


def default_roll(
    shape: Shape, direction: Direction = Direction.FORWARD, bound: Bound = Bound.INCLUSIVE
) -> Roll:
    """The roll when a rule or an ad-hoc request names none (docs/legal-basis.md#counting).

    Forward periods end on the next working day (Civil Code 2015 Art. 148(5)); a working-day
    period already ends on one. Backward periods do not roll: a forward roll would pass the
    limit the period protects (docs/legal-basis.md#counting-backward). Whether a named day moves is
    unsettled (#counting-fixed-day
    [?]), so the defaults are choices, each flagged in the answer:
    - a named date ("15/02/2023", the anchor day itself) moves on, as Art. 148(5) moves the
      last day of a period; the reporting calendar reads its fixed days the same way;
    - "trước ngày D" moves back: moving on would reach D, which the phrase excludes;
    - a named period ("Quý I/2024", "Trong năm 2023") is the time given for the work and is
      not extended past its end: its last working day.
    """
    if shape is Shape.PERIOD:
        return Roll.FOLLOWING if direction is Direction.FORWARD else Roll.NONE
    if shape is Shape.IMMEDIATE:
        return Roll.FOLLOWING  # the first working day after the event (see notes.IMMEDIATE)
    if shape in (Shape.PERIOD_END, Shape.WINDOW):
        return Roll.PRECEDING
    if shape in (Shape.FIXED_DATE, Shape.ON_ANCHOR):
        return Roll.PRECEDING if bound is Bound.STRICT else Roll.FOLLOWING
    return Roll.NONE


@dataclass(frozen=True, slots=True)
class Rule:
    """One statutory or plan deadline, with where it comes from and how sure we are of it."""

    code: str
    title_vi: str
    title_en: str
    shape: Shape
    citation: Citation  # with the rule's confidence (docs/legal-basis.md#confidence)
    anchor: AnchorEvent | None = None
    chain_from: str | None = None  # the rule whose duty's completion is the anchor
    amount: int | None = None
    unit: Unit | None = None
    direction: Direction = Direction.FORWARD
    roll: Roll | None = None  # None: default_roll()
    bound: Bound = Bound.INCLUSIVE
    fixed_date: dt.date | None = None
    periods: tuple[Period, ...] = ()
    recurrence: Recurrence | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    phrases_vi: tuple[str, ...] = ()  # the verbatim source phrases this rule implements
    interpretation: str | None = None  # the reading chosen where the text is unclear
    duty_on: DutyTrigger | None = None
    scope: Scope | None = None
    replaces: str | None = None  # an inherited rule this one supersedes

    def __post_init__(self) -> None:
        problems = _shape_problems(self)
        if self.effective_from and self.effective_to and self.effective_from > self.effective_to:
            problems.append("effective_from is after effective_to")
        if (self.chain_from is None) != (self.anchor is not AnchorEvent.DUTY_COMPLETED):
            problems.append("chain_from goes with anchor = duty_completed, and only with it")
        if problems:
            raise ValueError(f"rule {self.code}: " + "; ".join(problems))

    @property
    def confidence(self) -> Confidence:
        return self.citation.confidence

    @property
    def effective_roll(self) -> Roll:
        return self.roll or default_roll(self.shape, self.direction, self.bound)

    def in_force(self, on: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on <= self.effective_to
        )


def _shape_problems(rule: Rule) -> list[str]:
    problems: list[str] = []
    shape = rule.shape
    anchored = shape in ANCHORED_SHAPES
    if anchored != (rule.anchor is not None):
        problems.append(f"a {shape} rule {'needs' if anchored else 'takes no'} anchor")
    is_period = shape is Shape.PERIOD
    counted = (rule.amount is not None, rule.unit is not None)
    if counted != (is_period, is_period):
        problems.append(f"a {shape} rule {'needs' if is_period else 'takes no'} amount and unit")
    if rule.amount is not None and rule.amount < 0:
        problems.append("amount must not be negative (use direction = backward)")
    if rule.direction is Direction.BACKWARD and not is_period:
        problems.append("only a period counts backward")
    if is_period and rule.bound is Bound.STRICT:
        # "trước N ngày kể từ …" is a period of N days, not a strict bound
        # (docs/legal-basis.md#source-plans)
        problems.append("a period is inclusive; strictness belongs to a named day")
    if (shape is Shape.FIXED_DATE) != (rule.fixed_date is not None):
        problems.append("fixed_date goes with shape fixed_date, and only with it")
    low, high = _PERIOD_COUNTS.get(shape, (0, 0))
    in_order = all(a.last < b.first for a, b in pairwise(rule.periods))
    if not low <= len(rule.periods) <= high or not in_order:
        problems.append(f"a {shape} rule takes {low}..{high} periods, in order, not overlapping")
    if (shape is Shape.RECURRING) != (rule.recurrence is not None):
        problems.append("recurrence goes with shape recurring, and only with it")
    if rule.roll is not None and shape not in _NAMED_DAY_SHAPES | {Shape.PERIOD}:
        problems.append(f"a {shape} rule has no day to roll")
    return problems


@dataclass(frozen=True, slots=True)
class SourcePlan:
    """The document a profile was read from."""

    title: str
    document: str | None = None  # number, e.g. "467/QĐ-UBND"; None when the copy has none
    signed: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """A jurisdiction's rules for a period: its own rules over those of the profile it extends.

    `before_day`: how this jurisdiction reads "trước ngày D"
    (docs/legal-basis.md#counting-before): strictly
    (D − 1, the default) or inclusively (D). `effective_from` / `effective_to`: the span of the
    source plan, the default span of its rules.
    """

    code: str
    name_vi: str
    name_en: str
    issuer: str
    jurisdiction: str
    level: Level
    version: int
    rules: tuple[Rule, ...] = ()
    year: int | None = None
    source: SourcePlan | None = None
    extends: str | None = None
    before_day: Bound = Bound.STRICT
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None

    def __post_init__(self) -> None:
        codes = [r.code for r in self.rules]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"profile {self.code}: duplicate rule codes {duplicates}")
