"""Request and response bodies of the calendar API."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

from app.api.schemas.text import NonBlank
from app.domain.calendar import AdjustmentKind, AdjustmentStatus, DayInfo, DayKind
from app.domain.calendar.explain import SpanStep


class Day(BaseModel):
    date: dt.date
    working: bool
    kind: DayKind
    name_vi: str | None
    name_en: str | None
    source: str | None
    provisional: bool
    confidence: Literal["V", "S", "?"] | None = Field(
        default=None,
        description="How sure `source` is: V read in the primary text, S secondary sources "
        "only, ? derived or uncertain (docs/legal-basis.md#confidence).",
    )

    @classmethod
    def of(cls, day: DayInfo) -> Day:
        return cls(
            date=day.date,
            working=day.working,
            kind=day.kind,
            name_vi=day.name_vi,
            name_en=day.name_en,
            source=day.source,
            provisional=day.provisional,
            confidence=day.confidence.value if day.confidence else None,
        )


class Days(BaseModel):
    items: list[Day]
    calendar_revision: int


class Holidays(BaseModel):
    year: int
    provisional: bool
    calendar_revision: int
    items: list[Day] = Field(
        description="Holidays, compensatory days, swapped days off and make-up working days."
    )


class TraceStep(BaseModel):
    step: str
    detail: str
    date: dt.date | None = None
    kind: DayKind | None = None
    source: str | None = None

    @classmethod
    def of(cls, s: SpanStep) -> TraceStep:
        return cls(step=s.step, detail=s.detail, date=s.date, kind=s.kind, source=s.source)


@lru_cache(maxsize=8192)
def trace_json(s: SpanStep) -> str:
    """A trace line encoded as JSON once: traces repeat the same holidays and weekend lines."""
    return json.dumps(
        {
            "step": s.step,
            "detail": s.detail,
            "date": s.date.isoformat() if s.date else None,
            "kind": s.kind.value if s.kind else None,
            "source": s.source,
        },
        ensure_ascii=False,
    )


def _json_bool(value: bool) -> str:
    return "true" if value else "false"


def add_json(
    start: dt.date,
    days: int,
    result: dt.date,
    provisional: bool,
    revision: int,
    steps: list[SpanStep],
) -> str:
    """An AddResult as JSON, written directly (ISO dates and integers need no escaping) with
    the cached encoded trace lines: the portal's hottest answer."""
    return (
        f'{{"start": "{start.isoformat()}", "days": {days}, "result": "{result.isoformat()}", '
        f'"provisional": {_json_bool(provisional)}, "calendar_revision": {revision}, '
        f'"trace": [{", ".join(map(trace_json, steps))}]}}'
    )


def count_json(
    start: dt.date,
    end: dt.date,
    count: int,
    provisional: bool,
    revision: int,
    steps: list[SpanStep],
) -> str:
    """A CountResult as JSON, written like `add_json`."""
    return (
        f'{{"start": "{start.isoformat()}", "end": "{end.isoformat()}", "count": {count}, '
        f'"provisional": {_json_bool(provisional)}, "calendar_revision": {revision}, '
        f'"trace": [{", ".join(map(trace_json, steps))}]}}'
    )


class AddResult(BaseModel):
    start: dt.date
    days: int
    result: dt.date
    provisional: bool
    calendar_revision: int
    trace: list[TraceStep]


class CountResult(BaseModel):
    start: dt.date
    end: dt.date
    count: int
    provisional: bool
    calendar_revision: int
    trace: list[TraceStep]


class Revision(BaseModel):
    calendar_revision: int
    supported_from: dt.date
    supported_to: dt.date
    provisional_years: list[int]


class AdjustmentIn(BaseModel):
    date: dt.date
    kind: AdjustmentKind
    name_vi: NonBlank = Field(min_length=1, max_length=300)
    name_en: NonBlank = Field(min_length=1, max_length=300)
    source: NonBlank = Field(
        min_length=3,
        max_length=500,
        description="The official document, e.g. 'Thông báo 9441/TB-BNV'.",
    )
    status: AdjustmentStatus = AdjustmentStatus.DECIDED


class Adjustment(BaseModel):
    id: int
    date: dt.date
    kind: AdjustmentKind
    name_vi: str
    name_en: str
    source: str
    status: AdjustmentStatus
    created_by: str
    created_at: dt.datetime
    entry: str | None = Field(
        default=None,
        description="The entry of the notice it comes from (e.g. 'swaps[0].day_off'); null "
        "for an adjustment recorded on its own.",
    )


class AdjustmentCreated(Adjustment):
    calendar_revision: int


class Adjustments(BaseModel):
    items: list[Adjustment]


class YearIn(BaseModel):
    provisional: bool
    note: str = Field(min_length=3, max_length=500)


class Year(BaseModel):
    year: int
    provisional: bool
    note: str
    calendar_revision: int | None = None


class Years(BaseModel):
    items: list[Year]
