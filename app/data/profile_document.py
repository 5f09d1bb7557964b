"""A jurisdiction profile as a reference document: its deadline rules and its reporting calendar
in one file per jurisdiction (app/data/rules/*.toml), the body of the admin writes
(POST/PUT /v1/profiles), and the JSON kept in the database, all validated by these models.

The models check shapes and kinds of values and name the field of a mistake; the meaning
(a period needs its unit, `extends` names a profile, a rule's code starts with its profile's)
is checked when the documents are turned into the domain's catalogs (app.data.rules,
app.data.reporting), exactly as every replica loads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
)

from app.domain import deadlines as d
from app.domain import reporting as r


class Strict(BaseModel):
    """Unknown keys are refused: a typo in the data fails loudly instead of dropping a value."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def member_of(enum: type[StrEnum]) -> Callable[[str], str]:
    values = [e.value for e in enum]

    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"{value!r}, expected one of {', '.join(values)}")
        return value

    return check


def enum_schema(enum: type[StrEnum]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": [e.value for e in enum]})


# A value of a domain enum, kept as its string (the documents are JSON).
LevelName = Annotated[StrictStr, AfterValidator(member_of(d.Level)), enum_schema(d.Level)]
BoundName = Annotated[StrictStr, AfterValidator(member_of(d.Bound)), enum_schema(d.Bound)]
ShapeName = Annotated[StrictStr, AfterValidator(member_of(d.Shape)), enum_schema(d.Shape)]
ConfidenceName = Annotated[
    StrictStr, AfterValidator(member_of(d.Confidence)), enum_schema(d.Confidence)
]
AnchorName = Annotated[
    StrictStr, AfterValidator(member_of(d.AnchorEvent)), enum_schema(d.AnchorEvent)
]
UnitName = Annotated[StrictStr, AfterValidator(member_of(d.Unit)), enum_schema(d.Unit)]
DirectionName = Annotated[
    StrictStr, AfterValidator(member_of(d.Direction)), enum_schema(d.Direction)
]
RollName = Annotated[StrictStr, AfterValidator(member_of(d.Roll)), enum_schema(d.Roll)]
FrequencyName = Annotated[
    StrictStr, AfterValidator(member_of(d.Frequency)), enum_schema(d.Frequency)
]
DutyName = Annotated[
    StrictStr, AfterValidator(member_of(d.DutyTrigger)), enum_schema(d.DutyTrigger)
]
ScopeName = Annotated[StrictStr, AfterValidator(member_of(d.Scope)), enum_schema(d.Scope)]
LevelCodeName = Annotated[StrictStr, AfterValidator(member_of(r.Level)), enum_schema(r.Level)]
PeriodKindName = Annotated[
    StrictStr, AfterValidator(member_of(r.PeriodKind)), enum_schema(r.PeriodKind)
]
ReportRollName = Annotated[StrictStr, AfterValidator(member_of(r.Roll)), enum_schema(r.Roll)]
ReportBoundName = Annotated[StrictStr, AfterValidator(member_of(r.Bound)), enum_schema(r.Bound)]
Day = Annotated[StrictInt, Field(ge=1, le=31)]


# -- the deadline rules -----------------------------------------------------------------------


class Source(Strict):
    """The plan or decision a provincial profile comes from."""

    document: StrictStr | None = Field(None, description="Its number, e.g. '467/QĐ-UBND'.")
    title: StrictStr
    signed: dt.date | None = None
    citation: StrictStr = Field(description="How the profile's rules cite it by default.")


class ProfileHead(Strict):
    code: StrictStr = Field(examples=["quang-nam-2025"])
    name_vi: StrictStr
    name_en: StrictStr
    issuer: StrictStr
    jurisdiction: StrictStr
    level: LevelName
    year: StrictInt | None = None
    extends: StrictStr | None = Field(None, description="The profile whose rules it inherits.")
    before_day: BoundName | None = Field(
        None, description="How it reads 'trước ngày D': strict (D − 1, default) or inclusive."
    )
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    source: Source | None = None


class RuleCitation(Strict):
    document: StrictStr | None = Field(None, description="Default: the profile's source.")
    article: StrictStr | None = None


class Recurrence(Strict):
    frequency: FrequencyName
    day: StrictInt | None = None
    last_month: StrictBool | None = None
    reporting_duty: StrictStr | None = Field(
        None, description="The same duty in the profile's reporting calendar."
    )


class RuleDocument(Strict):
    """A `[[rule]]` table: one deadline rule of a profile."""

    code: StrictStr = Field(examples=["quang-nam-2025.posting-counter"])
    title_vi: StrictStr
    title_en: StrictStr
    shape: ShapeName
    citation: RuleCitation | None = None
    confidence: ConfidenceName
    anchor: AnchorName | None = None
    chain_from: StrictStr | None = None
    amount: StrictInt | None = None
    unit: UnitName | None = None
    direction: DirectionName | None = None
    roll: RollName | None = None
    bound: BoundName | None = None
    fixed_date: dt.date | None = None
    periods: list[StrictStr] | None = None
    recurrence: Recurrence | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    phrases_vi: list[StrictStr] | None = None
    interpretation: StrictStr | None = None
    duty_on: DutyName | None = None
    scope: ScopeName | None = None
    replaces: StrictStr | None = None


# -- the reporting calendar (ND 09/2019) ------------------------------------------------------


class ReportCitation(Strict):
    document: StrictStr
    article: StrictStr
    confidence: ConfidenceName


class ReportingPolicy(Strict):
    """The service's own checks, not law."""

    min_working_days_after_cutoff: StrictInt = Field(ge=0)
    due_soon_working_days: StrictInt = Field(ge=0)


class BeforeReading(Strict):
    inclusive: StrictBool
    reason: StrictStr


class RollReading(Strict):
    roll: ReportRollName
    reason: StrictStr


class RollReadings(Strict):
    """The default roll of a fixed day that falls on a day off, by the phrase's bound."""

    at_latest: RollReading
    before: RollReading
    on_day: RollReading


class AdministrativeLevel(Strict):
    code: LevelCodeName
    name_vi: StrictStr
    name_en: StrictStr
    abolished_from: dt.date | None = Field(None, description="First day it no longer exists.")
    citation: ReportCitation | None = None
    note: StrictStr | None = None


class Cutoff(Strict):
    """The data window of a periodic report (ND 09/2019 Art. 12)."""

    period: PeriodKindName
    start_day: Day
    end_day: Day
    citation: ReportCitation
    note: StrictStr | None = None


class Duty(Strict):
    """A recurring duty; `periods`: slot codes (M01, Q1, H2, 9M, Y) or cadences (monthly...)."""

    code: StrictStr
    title_vi: StrictStr
    title_en: StrictStr
    periods: list[StrictStr]
    periodic_report: StrictBool
    citation: ReportCitation
    note: StrictStr | None = None


class DeadlineRow(Strict):
    """A plan's row: the day a duty is due, for one or more levels."""

    duty: StrictStr
    levels: list[LevelCodeName] = Field(min_length=1)
    day: Day
    bound: ReportBoundName
    phrase: StrictStr
    citation: ReportCitation
    roll: ReportRollName | None = None
    roll_reason: StrictStr | None = None
    requires: LevelCodeName | None = Field(
        None, description="A level the duty cannot happen without."
    )
    note: StrictStr | None = None


class PeriodsRow(Strict):
    """A plan's own list of the periods of a duty (replaces the duty's for the profile)."""

    duty: StrictStr
    periods: list[StrictStr]
    citation: ReportCitation
    note: StrictStr | None = None


class Reporting(Strict):
    """A profile's reporting calendar. The root profile (national) also holds what every
    profile shares: the policy, the readings of the phrases, the levels and the cut-offs."""

    source: StrictStr | None = Field(None, description="Default: the profile's source citation.")
    note: StrictStr | None = None
    before_inclusive: StrictBool | None = None
    before_reason: StrictStr | None = None
    policy: ReportingPolicy | None = None
    before: BeforeReading | None = None
    roll: RollReadings | None = None
    level: list[AdministrativeLevel] | None = None
    cutoff: list[Cutoff] | None = None
    duty: list[Duty] | None = None
    deadline: list[DeadlineRow] | None = None
    periods: list[PeriodsRow] | None = None


class ProfileDocument(Strict):
    """A jurisdiction profile: its head, its deadline rules and its reporting calendar."""

    schema_: Literal[1] = Field(1, alias="schema", description="The layout of the document.")
    version: StrictInt | None = Field(
        None, ge=1, description="The data version; assigned by the service on writes."
    )
    profile: ProfileHead
    rule: list[RuleDocument] = Field(default_factory=list)
    reporting: Reporting | None = None

    def as_json(self) -> dict[str, Any]:
        """The document as stored and hashed: what was given, dates as ISO strings."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
