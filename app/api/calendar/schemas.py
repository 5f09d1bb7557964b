"""Request and response bodies of the calendar API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
    with_config,
)
from typing_extensions import TypedDict

from app.api.wire.dates import IsoDate, UtcDateTime
from app.api.wire.text import NonBlank
from app.api.wire.trace import TraceStep
from app.domain.calendar import AdjustmentKind, AdjustmentStatus, DayInfo, DayKind
from app.domain.citations import split_confidence


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


MAX_DAYS = 5000  # |days| for add: well beyond the supported range, refused there anyway


@with_config(ConfigDict(extra="ignore"))
class AddQuery(TypedDict):
    start: Annotated[IsoDate, Field(description="ISO 8601 date, e.g. 2024-03-05")]
    days: Annotated[int, Field(ge=-MAX_DAYS, le=MAX_DAYS, description="may be negative or zero")]


@with_config(ConfigDict(extra="ignore"))
class CountQuery(TypedDict):
    start: Annotated[IsoDate, Field(description="ISO 8601 date, excluded")]
    end: Annotated[IsoDate, Field(description="ISO 8601 date, included")]


class AddResult(TypedDict):
    start: dt.date
    days: int
    result: dt.date
    provisional: bool
    calendar_revision: int
    trace: list[TraceStep]


class CountResult(TypedDict):
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


# One vocabulary for a swapped day: an adjustment is written and read with the kind the day
# then has on every calendar route (`swap_off`, `swap_working`); the former input spellings
# `day_off` and `working_day` are still taken (docs/wire.md#adjustment-kinds).
_KINDS = {
    AdjustmentKind.DAY_OFF: DayKind.SWAP_OFF,
    AdjustmentKind.WORKING_DAY: DayKind.SWAP_WORKING,
}
_FORMER = {former.value: day.value for former, day in _KINDS.items()}


def _day_kind(value: object) -> object:
    return _FORMER.get(value, value) if isinstance(value, str) else value


AdjustmentKindOut = Annotated[
    Literal["swap_off", "swap_working"],
    BeforeValidator(_day_kind),
    Field(description="swap_off: a weekday off; swap_working: a make-up working day."),
]
AdjustmentKindIn = Annotated[
    Literal["swap_off", "swap_working", "day_off", "working_day"],
    AfterValidator(_day_kind),
    Field(
        description="swap_off: a weekday off; swap_working: a make-up working day (the kind "
        "the day then has). `day_off` and `working_day` are the former spellings, still read."
    ),
]


def adjustment_kind(kind: str) -> AdjustmentKind:
    """The stored kind of a wire kind (either spelling)."""
    wanted = _FORMER.get(kind, kind)
    return next(stored for stored, day in _KINDS.items() if day.value == wanted)


class AdjustmentIn(BaseModel):
    date: dt.date
    kind: AdjustmentKindIn
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
    kind: AdjustmentKindOut
    name_vi: str
    name_en: str
    source: str = Field(description="The official document, without its confidence code.")
    confidence: Literal["V", "S", "?"] | None = Field(
        default=None,
        description="How sure `source` is: V read in the primary text, S secondary sources "
        "only, ? derived or uncertain (docs/legal-basis.md#confidence); null when the source "
        "was entered without one.",
    )
    status: AdjustmentStatus
    created_by: str
    created_at: UtcDateTime
    entry: str | None = Field(
        default=None,
        description="The entry of the notice it comes from (e.g. 'swaps[0].day_off'); null "
        "for an adjustment recorded on its own.",
    )

    @model_validator(mode="after")
    def _confidence_apart(self) -> Adjustment:
        # A stored source may end with its code ("… (2025) [S]"): the text for people names the
        # document, the confidence is its own field.
        text, confidence = split_confidence(self.source)
        if confidence is not None:
            self.source = text
            self.confidence = self.confidence or confidence.value
        return self


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
