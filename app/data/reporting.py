"""Parse the shipped reporting calendar (reporting.toml) into a ReportingCatalog."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from app.domain.reporting import (
    Bound,
    Citation,
    Confidence,
    CutoffRule,
    DeadlineRow,
    Level,
    LevelCode,
    LevelDeadline,
    PeriodKind,
    PeriodsRow,
    ProfileDefinition,
    RecurringDuty,
    ReportingCatalog,
    ReportingPolicy,
    ReportingProfile,
    Roll,
    build_catalog,
    parse_slots,
)

Row = Mapping[str, Any]


def _citation(row: Row) -> Citation:
    c = row["citation"]
    return Citation(str(c["document"]), str(c["article"]), Confidence(c["confidence"]))


def _level(row: Row) -> Level:
    return Level(
        code=LevelCode(row["code"]),
        name_vi=str(row["name_vi"]),
        name_en=str(row["name_en"]),
        abolished_from=row.get("abolished_from"),
        citation=_citation(row) if "citation" in row else None,
        note=str(row.get("note", "")),
    )


def _cutoff(row: Row) -> CutoffRule:
    return CutoffRule(
        kind=PeriodKind(row["period"]),
        start_day=int(row["start_day"]),
        end_day=int(row["end_day"]),
        citation=_citation(row),
        note=str(row.get("note", "")),
    )


def _profile(row: Row, before: Row) -> ProfileDefinition:
    year = row.get("plan_year")
    profile = ReportingProfile(
        code=str(row["code"]),
        name_vi=str(row["name_vi"]),
        name_en=str(row["name_en"]),
        source=str(row["source"]),
        plan_year=None if year is None else int(year),
        before_inclusive=bool(row.get("before_inclusive", before["inclusive"])),
        before_reason=str(row.get("before_reason", before["reason"])),
        duties=(),
        note=str(row.get("note", "")),
    )
    extends = row.get("extends")
    return ProfileDefinition(profile, None if extends is None else str(extends))


def _duty(row: Row) -> RecurringDuty:
    return RecurringDuty(
        code=str(row["code"]),
        title_vi=str(row["title_vi"]),
        title_en=str(row["title_en"]),
        periods=tuple(slot for code in row["periods"] for slot in parse_slots(str(code))),
        periodic_report=bool(row["periodic_report"]),
        deadlines=(),
        citation=_citation(row),
        note=str(row.get("note", "")),
    )


def _deadlines(row: Row, rolls: Row) -> list[DeadlineRow]:
    bound = Bound(row["bound"])
    default = rolls[bound.value]
    requires = row.get("requires")
    return [
        DeadlineRow(
            profile=str(row["profile"]),
            duty=str(row["duty"]),
            deadline=LevelDeadline(
                level=LevelCode(level),
                day=int(row["day"]),
                bound=bound,
                roll=Roll(row.get("roll", default["roll"])),
                phrase=str(row["phrase"]),
                citation=_citation(row),
                roll_reason=str(row.get("roll_reason", default["reason"])),
                requires=None if requires is None else LevelCode(requires),
                note=str(row.get("note", "")),
            ),
        )
        for level in row["levels"]
    ]


def _periods(row: Row) -> PeriodsRow:
    return PeriodsRow(
        profile=str(row["profile"]),
        duty=str(row["duty"]),
        periods=tuple(slot for code in row["periods"] for slot in parse_slots(str(code))),
        citation=_citation(row),
        note=str(row.get("note", "")),
    )


def parse_reporting_catalog(text: str) -> ReportingCatalog:
    """Build the catalog from TOML text; bad data raises here, at load time."""
    doc = tomllib.loads(text)
    policy = doc["policy"]
    return build_catalog(
        levels=[_level(r) for r in doc["level"]],
        cutoffs=[_cutoff(r) for r in doc["cutoff"]],
        policy=ReportingPolicy(
            min_working_days_after_cutoff=int(policy["min_working_days_after_cutoff"]),
            due_soon_working_days=int(policy["due_soon_working_days"]),
        ),
        duties=[_duty(r) for r in doc["duty"]],
        profiles=[_profile(r, doc["before"]) for r in doc["profile"]],
        deadlines=[d for r in doc["deadline"] for d in _deadlines(r, doc["roll"])],
        periods=[_periods(r) for r in doc.get("periods", [])],
    )


@cache
def load_reporting_catalog() -> ReportingCatalog:
    """The shipped reporting calendar, parsed once per process."""
    text = resources.files("app.data").joinpath("reporting.toml").read_text(encoding="utf-8")
    return parse_reporting_catalog(text)
