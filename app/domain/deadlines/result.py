"""What a deadline computation returns: the date and the trace that explains it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.domain.calendar.model import DayInfo
from app.domain.citations import Citation, Confidence
from app.domain.deadlines.model import AnchorEvent, Roll, Shape


class StepKind(StrEnum):
    """The steps of a due date (compute, batch, obligations)."""

    ANCHOR = "anchor"  # the event counted from
    CHAIN = "chain"  # the anchor is another duty's completion (or its projected due date)
    COUNT = "count"  # the period counted (Civil Code 2015 Arts. 147–148)
    NAMED_DAY = "named_day"  # a day the text names: a date, a period's last day, the anchor day
    BOUND = "bound"  # "trước ngày D" read as D − 1
    ROLL = "roll"  # a last day off moved, or kept and flagged
    NOT_DATED = "not_dated"  # the shape has no due date


class Flag(StrEnum):
    ROLLED = "rolled"  # the last day fell on a day off and moved
    DUE_ON_DAY_OFF = "due_on_day_off"  # the due date is a day off, kept as the rule says
    ANCHOR_PROJECTED = "anchor_projected"  # chained on a duty not yet completed: its due date


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One step of a computation.

    `notable_days`: holidays, compensatory days, swapped days off and make-up Saturdays the step
    passed over (or counted, for a make-up Saturday), with their names and sources.
    `weekend_days`: plain Saturdays and Sundays passed over.
    """

    kind: StepKind
    detail: str
    date: dt.date | None = None
    citation: Citation | None = None  # the law the step applies
    notable_days: tuple[DayInfo, ...] = ()
    weekend_days: int = 0


@dataclass(frozen=True, slots=True)
class Instalment:
    """One due date of a rule that names several periods ("Quý I, II/2024")."""

    label: str
    due_date: dt.date


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed due date (None when the shape has none) and everything that explains it.

    `start_date`: when the work may or must begin (windows, "sau khi …", continuous duties
    with a span). `instalments`: one entry per named period when a rule names several; the
    due date is then the last of them. `notes`: the interpretation used wherever the law or
    the plan is ambiguous (docs/legal-basis.md#counting), and the rule's own reading.
    """

    due_date: dt.date | None
    shape: Shape
    calendar_revision: int
    provisional: bool
    trace: tuple[TraceStep, ...]
    rule: str | None = None
    citation: Citation | None = None  # the rule's, with its confidence
    anchor: dt.date | None = None
    anchor_event: AnchorEvent | None = None
    start_date: dt.date | None = None
    roll: Roll | None = None
    instalments: tuple[Instalment, ...] = ()
    notes: tuple[str, ...] = ()
    flags: frozenset[Flag] = frozenset()

    @property
    def confidence(self) -> Confidence | None:
        return self.citation.confidence if self.citation else None
