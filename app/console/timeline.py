"""A dossier's clock as a picture: where each event, pause and wait falls on one time axis.

Pure geometry (x in SVG user units); the template draws it (app/console/templates/dossier.html)
with presentation attributes only, so the strict CSP needs no inline style.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 960
LEFT, RIGHT = 20, 20
AXIS_Y = 70

# An event opens a span that another closes: paused → resumed (the clock stopped, ND 118/2025
# Art. 11), supplement requested → resubmitted (the wait for the citizen's supplement).
SPANS = {"paused": ("resumed", "pause"), "supplement_requested": ("resubmitted", "supplement")}


@dataclass(frozen=True)
class Mark:
    x: float
    kind: str  # received | resubmitted | completed | reappointed | due | now | ...
    label: str
    at: dt.datetime


@dataclass(frozen=True)
class Span:
    x1: float
    x2: float
    kind: str  # pause | supplement
    open: bool  # still going on


@dataclass(frozen=True)
class Picture:
    width: int
    axis_y: int
    marks: list[Mark]
    spans: list[Span]


@dataclass(frozen=True)
class Event:
    kind: str
    at: dt.datetime
    new_due_at: dt.datetime | None = None


def picture(
    events: Sequence[Event],
    *,
    due_at: dt.datetime | None,
    statutory_due_at: dt.datetime | None,
    now: dt.datetime,
) -> Picture:
    moments = [e.at for e in events] + [now]
    moments += [m for m in (due_at, statutory_due_at) if m is not None]
    moments += [e.new_due_at for e in events if e.new_due_at is not None]
    start, end = min(moments), max(moments)
    total = max((end - start).total_seconds(), 1.0)

    def x(at: dt.datetime) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (at - start).total_seconds() / total, 1)

    marks: list[Mark] = []
    spans: list[Span] = []
    opened: dict[str, Event] = {}
    for e in events:
        if e.kind in SPANS:
            opened[e.kind] = e
            continue
        for opener, (closer, name) in SPANS.items():
            if e.kind == closer and opener in opened:
                spans.append(Span(x(opened.pop(opener).at), x(e.at), name, open=False))
        marks.append(Mark(x(e.at), e.kind, e.kind, e.at))
        if e.new_due_at is not None:
            marks.append(Mark(x(e.new_due_at), "reappointed_due", "reappointed", e.new_due_at))
    for opener, e in opened.items():
        spans.append(Span(x(e.at), x(now), SPANS[opener][1], open=True))
    if statutory_due_at is not None:
        marks.append(Mark(x(statutory_due_at), "due", "due", statutory_due_at))
    marks.append(Mark(x(now), "now", "now", now))
    return Picture(WIDTH, AXIS_Y, sorted(marks, key=lambda m: m.x), spans)
