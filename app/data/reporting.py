"""The reporting calendar (ND 09/2019) built from the profile documents' `reporting` sections.

Each profile document holds its own reporting rows (app/data/rules/*.toml, `[reporting]`); the
root profile (national) also holds what they share: the policy, the readings of 'trước ngày D'
and of a day off, the administrative levels and the data cut-off windows. A profile without a
`reporting` section has no reporting calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from app.data import profile_document as m
from app.data.rules import shipped_documents
from app.domain.errors import DomainError
from app.domain.reporting import (
    Bound,
    Citation,
    Confidence,
    CutoffRule,
    DeadlineRow,
    Level,
    LevelDeadline,
    PeriodKind,
    PeriodSlot,
    PeriodsRow,
    ProfileDefinition,
    RecurringDuty,
    ReportingCatalog,
    ReportingLevel,
    ReportingPolicy,
    ReportingProfile,
    Roll,
    build_catalog,
    parse_slots,
)


def _citation(c: m.ReportCitation) -> Citation:
    return Citation(c.document, c.article, Confidence(c.confidence))


def _level(row: m.AdministrativeLevel) -> ReportingLevel:
    return ReportingLevel(
        code=Level(row.code),
        name_vi=row.name_vi,
        name_en=row.name_en,
        abolished_from=row.abolished_from,
        citation=_citation(row.citation) if row.citation else None,
        note=row.note or "",
    )


def _cutoff(row: m.Cutoff) -> CutoffRule:
    return CutoffRule(
        kind=PeriodKind(row.period),
        start_day=row.start_day,
        end_day=row.end_day,
        citation=_citation(row.citation),
        note=row.note or "",
    )


def _slots(codes: Iterable[str]) -> tuple[PeriodSlot, ...]:
    return tuple(slot for code in codes for slot in parse_slots(code))


def _duty(row: m.Duty) -> RecurringDuty:
    return RecurringDuty(
        code=row.code,
        title_vi=row.title_vi,
        title_en=row.title_en,
        periods=_slots(row.periods),
        periodic_report=row.periodic_report,
        deadlines=(),
        citation=_citation(row.citation),
        note=row.note or "",
    )


def _deadlines(profile: str, row: m.DeadlineRow, rolls: m.RollReadings) -> list[DeadlineRow]:
    bound = Bound(row.bound)
    default: m.RollReading = getattr(rolls, bound.value)
    return [
        DeadlineRow(
            profile=profile,
            duty=row.duty,
            deadline=LevelDeadline(
                level=Level(level),
                day=row.day,
                bound=bound,
                roll=Roll(row.roll or default.roll),
                phrase=row.phrase,
                citation=_citation(row.citation),
                roll_reason=row.roll_reason or default.reason,
                requires=None if row.requires is None else Level(row.requires),
                note=row.note or "",
            ),
        )
        for level in row.levels
    ]


def _periods(profile: str, row: m.PeriodsRow) -> PeriodsRow:
    return PeriodsRow(
        profile=profile,
        duty=row.duty,
        periods=_slots(row.periods),
        citation=_citation(row.citation),
        note=row.note or "",
    )


def reporting_catalog(documents: Iterable[m.ProfileDocument]) -> ReportingCatalog:
    """The reporting calendar of the profiles that have one; bad data raises DomainError."""
    sections = [(d.profile, d.reporting) for d in documents if d.reporting is not None]
    roots = [
        (head, s)
        for head, s in sections
        if s.policy and s.before and s.roll and s.level is not None and s.cutoff is not None
    ]
    if len(roots) != 1:
        raise DomainError(
            "exactly one profile's reporting section holds the policy, before, roll, level and "
            f"cutoff tables (found {len(roots)})"
        )
    root_head, root = roots[0]
    # the root's duties first: a profile lists the inherited duties before its own
    sections.sort(key=lambda section: section[0].code != root_head.code)
    assert root.policy and root.before and root.roll and root.level and root.cutoff is not None
    before, rolls = root.before, root.roll
    profiles, duties, deadlines, periods = [], [], [], []
    for head, s in sections:
        source = s.source or (head.source.citation if head.source else None)
        if source is None:
            raise DomainError(f"profile {head.code!r}: reporting.source is required")
        profile = ReportingProfile(
            code=head.code,
            name_vi=head.name_vi,
            name_en=head.name_en,
            source=source,
            plan_year=head.year,
            before_inclusive=before.inclusive if s.before_inclusive is None else s.before_inclusive,
            before_reason=s.before_reason or before.reason,
            duties=(),
            note=s.note or "",
        )
        profiles.append(ProfileDefinition(profile, head.extends))
        duties += [_duty(row) for row in s.duty or ()]
        deadlines += [d for row in s.deadline or () for d in _deadlines(head.code, row, rolls)]
        periods += [_periods(head.code, row) for row in s.periods or ()]
    codes = [d.code for d in duties]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise DomainError(f"duties defined by two profiles: {', '.join(twice)}")
    return build_catalog(
        levels=[_level(row) for row in root.level],
        cutoffs=[_cutoff(row) for row in root.cutoff],
        policy=ReportingPolicy(
            min_working_days_after_cutoff=root.policy.min_working_days_after_cutoff,
            due_soon_working_days=root.policy.due_soon_working_days,
        ),
        duties=duties,
        profiles=profiles,
        deadlines=deadlines,
        periods=periods,
    )


@cache
def load_reporting_catalog() -> ReportingCatalog:
    """The shipped reporting calendar (from the shipped profile files), parsed once per process:
    for tests and benchmarks; the service reads the database's documents (catalog_state)."""
    return reporting_catalog(shipped_documents())
