"""What the parser makes of one deadline phrase: drafts, how sure it is, what it could not read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.deadlines.model import (
    ANCHORED_SHAPES,
    AnchorEvent,
    Bound,
    Direction,
    Recurrence,
    Roll,
    Shape,
    Unit,
)
from app.domain.deadlines.period import Period


class Reading(StrEnum):
    """How far a phrase was read."""

    PARSED = "parsed"  # every word of the deadline read, one meaning
    INTERPRETED = "interpreted"  # read, with a choice where the text is unclear (stated)
    NOT_UNDERSTOOD = "not_understood"  # no rule could be drawn (the unread part is named)


@dataclass(frozen=True, slots=True)
class RuleDraft:
    """The deadline part of a rule, as a phrase gives it (the values of deadlines.Rule).

    `anchor_text`: the event as the phrase names it, kept when it maps to no AnchorEvent;
    such a draft `needs_anchor` before it can become a rule that computes a date.
    `after_previous`: a step of a cell that follows the step before it (a chained rule).
    """

    shape: Shape
    amount: int | None = None
    unit: Unit | None = None
    anchor: AnchorEvent | None = None
    anchor_text: str | None = None
    direction: Direction = Direction.FORWARD
    bound: Bound = Bound.INCLUSIVE
    roll: Roll | None = None
    fixed_date: dt.date | None = None
    periods: tuple[Period, ...] = ()
    recurrence: Recurrence | None = None
    after_previous: bool = False  # counts from the completion of the draft before it

    @property
    def needs_anchor(self) -> bool:
        return self.shape in ANCHORED_SHAPES and self.anchor is None and not self.after_previous


@dataclass(frozen=True, slots=True)
class PhraseReading:
    """One phrase read. Several drafts: the phrase gives alternatives ("… hoặc …") when
    `alternatives`, otherwise several steps (sub-items of one cell), each a rule."""

    phrase: str
    drafts: tuple[RuleDraft, ...] = ()
    alternatives: bool = False
    interpretations: tuple[str, ...] = ()
    unread: str | None = None  # the part that could not be read, when not understood

    @property
    def reading(self) -> Reading:
        if not self.drafts:
            return Reading.NOT_UNDERSTOOD
        if self.interpretations:
            return Reading.INTERPRETED
        return Reading.PARSED
