"""Request and response bodies of the rule catalog: rules, profiles, their versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from app.api.wire.citation import Citation, citation
from app.api.wire.dates import UtcDateTime
from app.domain.deadlines import (
    AnchorEvent,
    Bound,
    Direction,
    DutyTrigger,
    Frequency,
    Level,
    Profile,
    Roll,
    Rule,
    Scope,
    Shape,
    Unit,
)

# Shapes with a day that a roll can move (the others have no due date of their own here).
_ROLLABLE = frozenset(
    {
        Shape.PERIOD,
        Shape.ON_ANCHOR,
        Shape.IMMEDIATE,
        Shape.FIXED_DATE,
        Shape.PERIOD_END,
        Shape.WINDOW,
    }
)


def _one_of(values: type[StrEnum], description: str, **extra: Any) -> Any:
    """A string listing the domain enum's values (see app/api/reporting/schemas.py for why
    not the enum itself)."""
    return Field(
        description=description, json_schema_extra={"enum": [v.value for v in values]}, **extra
    )


class RecurrenceOut(BaseModel):
    frequency: str = _one_of(Frequency, "How often.")
    day: int | None = Field(description="The day of the month named, if any.")
    last_month: bool = Field(description="The day is in the period's last month.")
    reporting_duty: str | None = Field(description="The same duty in the reporting calendar.")


class RuleOut(BaseModel):
    code: str = Field(examples=["quang-nam-2024.posting-counter"])
    profile: str = Field(description="The profile that defines the rule (it may be inherited).")
    title_vi: str
    title_en: str
    shape: str = _one_of(Shape, "The kind of deadline phrase.")
    amount: int | None = Field(description="Period rules: the number of units.")
    unit: str | None = _one_of(Unit, "Period rules: the unit counted.")
    direction: str = _one_of(Direction, "Forward from the anchor, or backward to it.")
    anchor: str | None = _one_of(AnchorEvent, "The event counted from.")
    chain_from: str | None = Field(
        description="anchor = duty_completed: the rule whose duty's completion is the anchor."
    )
    roll: str | None = _one_of(
        Roll, "What a due day off does (null for shapes without a day of their own)."
    )
    roll_stated: bool = Field(
        description="The rule states its roll; false when it is the default for its shape."
    )
    bound: str = _one_of(Bound, "inclusive ('chậm nhất ngày D') or strict ('trước ngày D').")
    fixed_date: dt.date | None
    periods: list[str] = Field(
        description="Named periods, as period codes: 2023-M02, 2024-Q1, 2022-H2, 2023-Y."
    )
    recurrence: RecurrenceOut | None
    citation: Citation = Field(description="The rule's source and its confidence.")
    effective_from: dt.date | None
    effective_to: dt.date | None
    phrases_vi: list[str] = Field(description="The verbatim source phrases it implements.")
    interpretation: str | None = Field(description="The reading chosen where the text is unclear.")
    duty_on: str | None = _one_of(
        DutyTrigger, "The record whose creation turns the rule into a tracked duty."
    )
    scope: str | None = _one_of(Scope, "Which decisions or documents a national rule covers.")
    replaces: str | None = Field(description="An inherited rule this one supersedes.")

    @classmethod
    def of(cls, rule: Rule, profile: str) -> RuleOut:
        rec = rule.recurrence
        return cls(
            code=rule.code,
            profile=profile,
            title_vi=rule.title_vi,
            title_en=rule.title_en,
            shape=rule.shape.value,
            amount=rule.amount,
            unit=rule.unit.value if rule.unit else None,
            direction=rule.direction.value,
            anchor=rule.anchor.value if rule.anchor else None,
            chain_from=rule.chain_from,
            roll=rule.effective_roll.value if rule.shape in _ROLLABLE else None,
            roll_stated=rule.roll is not None,
            bound=rule.bound.value,
            fixed_date=rule.fixed_date,
            periods=[str(p) for p in rule.periods],
            recurrence=RecurrenceOut(
                frequency=rec.frequency.value,
                day=rec.day,
                last_month=rec.last_month,
                reporting_duty=rec.reporting_duty,
            )
            if rec
            else None,
            citation=citation(rule.citation),
            effective_from=rule.effective_from,
            effective_to=rule.effective_to,
            phrases_vi=list(rule.phrases_vi),
            interpretation=rule.interpretation,
            duty_on=rule.duty_on.value if rule.duty_on else None,
            scope=rule.scope.value if rule.scope else None,
            replaces=rule.replaces,
        )


class Rules(BaseModel):
    items: list[RuleOut]
    catalog_revision: int


class SourceOut(BaseModel):
    title: str
    document: str | None = Field(description="Its number, e.g. '467/QĐ-UBND', when known.")
    signed: dt.date | None


class ProfileOut(BaseModel):
    code: str = Field(examples=["quang-nam-2024"])
    name_vi: str
    name_en: str
    issuer: str
    jurisdiction: str
    level: Level = Field(description="Administrative level of the issuer.")
    year: int | None
    extends: str | None = Field(description="The profile whose rules this one inherits.")
    before_day: str = _one_of(
        Bound, "How the profile reads 'trước ngày D': strict (D − 1, default) or inclusive (D)."
    )
    effective_from: dt.date | None
    effective_to: dt.date | None
    source: SourceOut | None
    version: int = Field(description="The profile's data version, bumped by every change.")
    rule_count: int = Field(description="Rules the profile defines itself (inherited excluded).")

    @classmethod
    def of(cls, p: Profile) -> ProfileOut:
        return cls(
            code=p.code,
            name_vi=p.name_vi,
            name_en=p.name_en,
            issuer=p.issuer,
            jurisdiction=p.jurisdiction,
            level=p.level,
            year=p.year,
            extends=p.extends,
            before_day=p.before_day.value,
            effective_from=p.effective_from,
            effective_to=p.effective_to,
            source=SourceOut(
                title=p.source.title, document=p.source.document, signed=p.source.signed
            )
            if p.source
            else None,
            version=p.version,
            rule_count=len(p.rules),
        )


class Profiles(BaseModel):
    items: list[ProfileOut]
    catalog_revision: int


class VersionOut(BaseModel):
    version: int
    changed_by: str
    changed_at: UtcDateTime


class ProfileDetail(ProfileOut):
    lineage: list[str] = Field(description="The profile and those it extends, national first.")
    rules: list[RuleOut] = Field(
        description="The rules in force for this profile: its own and the inherited ones it "
        "does not override, as it reads them."
    )
    history: list[VersionOut] = Field(description="Every version, oldest first.")
    catalog_revision: int


class ProfileVersionOut(VersionOut):
    code: str
    document: dict[str, Any] = Field(
        description="The profile document at that version (the JSON form of the TOML file)."
    )


class ProfileChange(BaseModel):
    action: str = Field(description="created, replaced, rule_added or rule_replaced")
    profile: ProfileOut
    version: int
    catalog_revision: int = Field(description="The catalog revision the change created.")
    rule: RuleOut | None = Field(description="The rule added or replaced, as the profile reads it.")


def rules_of(lineage: Sequence[Profile], rules: Sequence[Rule]) -> list[RuleOut]:
    """Rules resolved for the last profile of `lineage`, each with the profile defining it."""
    defined: dict[str, str] = {}
    for profile in lineage:
        for rule in profile.rules:
            defined[rule.code] = profile.code
    return [RuleOut.of(rule, defined.get(rule.code, lineage[-1].code)) for rule in rules]


# The body of POST /v1/profiles and PUT /v1/profiles/{code}: a profile document in the JSON form
# of the shipped TOML files (app/data/rules/*.toml), dates as ISO strings.
PROFILE_EXAMPLE: dict[str, Any] = {
    "schema": 1,
    "profile": {
        "code": "quang-nam-2025",
        "name_vi": "Tỉnh Quảng Nam, kế hoạch kiểm soát TTHC năm 2025",
        "name_en": "Quảng Nam province, procedure-control plan 2025",
        "issuer": "UBND tỉnh Quảng Nam",
        "jurisdiction": "Tỉnh Quảng Nam",
        "level": "province",
        "year": 2025,
        "extends": "national",
        "before_day": "strict",
        "effective_from": "2025-01-15",
        "effective_to": "2025-06-30",
        "source": {
            "document": "…/QĐ-UBND",
            "signed": "2025-01-15",
            "title": "Kế hoạch kiểm soát TTHC năm 2025",
            "citation": "Quyết định …/QĐ-UBND ngày 15/01/2025 của UBND tỉnh Quảng Nam",
        },
    },
    "rule": [
        {
            "code": "quang-nam-2025.posting-counter",
            "title_vi": "Niêm yết, công khai TTHC tại Bộ phận tiếp nhận và trả kết quả",
            "title_en": "Post the procedures at the one-stop counters",
            "shape": "period",
            "anchor": "decision_signed",
            "amount": 3,
            "unit": "working_days",
            "citation": {"article": "Kế hoạch kèm theo, mục II, nhiệm vụ 4"},
            "confidence": "V",
            "duty_on": "publication_decision",
            "phrases_vi": ["Chậm nhất là 03 ngày làm việc kể từ ngày quyết định công bố"],
        }
    ],
}
RULE_EXAMPLE: dict[str, Any] = PROFILE_EXAMPLE["rule"][0]
