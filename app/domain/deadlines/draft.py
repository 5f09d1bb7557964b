"""A computation in progress: the trace, notes and flags gathered until the Deadline is built."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.domain.calendar.model import DayKind
from app.domain.calendar.snapshot import CalendarSnapshot
from app.domain.deadlines import notes
from app.domain.deadlines.counting import count_step, last_day, roll_day, roll_step
from app.domain.deadlines.model import Direction, Roll, Unit
from app.domain.deadlines.result import Flag, StepKind, TraceStep


@dataclass(slots=True)
class Draft:
    calendar: CalendarSnapshot
    steps: list[TraceStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flags: set[Flag] = field(default_factory=set)

    def step(self, kind: StepKind, detail: str, date: dt.date | None = None) -> None:
        self.steps.append(TraceStep(kind, detail, date))

    def period(
        self, anchor: dt.date, amount: int, unit: Unit, direction: Direction, roll: Roll
    ) -> dt.date:
        """Count a period from the anchor and roll its last day (docs/legal-basis.md#counting)."""
        raw = last_day(self.calendar, anchor, amount, unit, direction)
        self.steps.append(count_step(self.calendar, anchor, raw, amount, unit, direction))
        due = self._settle(raw, roll)
        if direction is Direction.BACKWARD:
            self.notes.append(notes.backward(roll))
        return due

    def named_day(self, day: dt.date, roll: Roll) -> dt.date:
        """A day the text names: it moves only as the rule's roll says
        (docs/legal-basis.md#counting-fixed-day)."""
        info = self.calendar.day(day)
        due = self._settle(day, roll)
        if not info.working:
            self.notes.append(notes.named_day_off(info, roll, due))
        return due

    def _settle(self, raw: dt.date, roll: Roll) -> dt.date:
        info = self.calendar.day(raw)
        if info.working:
            if info.kind is DayKind.SWAP_WORKING:
                self.steps.append(
                    TraceStep(
                        StepKind.ROLL,
                        f"{notes.fmt(raw)} is a make-up working day "
                        f"({info.name_en}, {info.source}): no roll",
                        raw,
                        notable_days=(info,),
                    )
                )
            return raw
        due = roll_day(self.calendar, raw, roll)
        self.steps.append(roll_step(self.calendar, raw, due, roll))
        self.flags.add(Flag.DUE_ON_DAY_OFF if due == raw else Flag.ROLLED)
        return due
