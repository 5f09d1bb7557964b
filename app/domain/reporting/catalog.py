"""The reporting catalog: levels, cut-off rules, and each profile's duties merged with the nation's.

A profile overrides or adds to the national rules (docs/legal-basis.md#source-plans): a plan row
for a duty and a
level replaces the national row for that duty and level; levels the plan is silent on keep the
national due day. So Quảng Nam's province-level 22nd replaces ND 09/2019's 25th for the province,
while Nghệ An, whose plan names no day, keeps the 25th.

The periods a duty reports on are the duty's own ("hàng quý, năm": every quarter and the year)
unless a profile lists them itself (Quảng Nam: "Quý I, Quý II, Quý III và năm", kept with the
fourth quarter too, see the profiles' reporting sections). Such a list is a `PeriodsRow`, cited
like any other value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from app.domain.citations import Citation
from app.domain.errors import DomainError, NotFound
from app.domain.reporting.cutoff import CutoffRule
from app.domain.reporting.levels import REPORTING_LEVELS, Level, ReportingLevel
from app.domain.reporting.periods import PeriodKind, PeriodSlot
from app.domain.reporting.rules import (
    LevelDeadline,
    RecurringDuty,
    ReportingPolicy,
    ReportingProfile,
)


@dataclass(frozen=True, slots=True)
class ProfileDefinition:
    """A profile as the data states it, before the duties of the profile it extends are merged."""

    profile: ReportingProfile  # with duties=()
    extends: str | None


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    profile: str
    duty: str
    deadline: LevelDeadline


@dataclass(frozen=True, slots=True)
class PeriodsRow:
    """A profile's own list of periods for a duty, where its plan names them; it replaces the
    duty's list (and its citation) for that profile and the profiles extending it."""

    profile: str
    duty: str
    periods: tuple[PeriodSlot, ...]
    citation: Citation
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReportingCatalog:
    levels: Mapping[Level, ReportingLevel]
    cutoffs: Mapping[PeriodKind, CutoffRule]
    policy: ReportingPolicy
    profiles: Mapping[str, ReportingProfile]

    def profile(self, code: str) -> ReportingProfile:
        found = self.profiles.get(code)
        if found is None:
            raise NotFound(
                f"unknown reporting profile {code!r}; known: {', '.join(sorted(self.profiles))}",
                field="profile",
            )
        return found

    def level(self, code: str) -> ReportingLevel:
        try:
            return self.levels[Level(code)]
        except (ValueError, KeyError):
            known = ", ".join(level.value for level in REPORTING_LEVELS)
            raise NotFound(
                f"unknown administrative level {code!r}; known: {known}", field="level"
            ) from None

    def select(self, profile: str, level: str | None) -> tuple[ReportingProfile, Level | None]:
        """The profile, and the level asked for (None: all), which the profile must use."""
        chosen = self.profile(profile)
        if level is None:
            return chosen, None
        code = self.level(level).code
        if code not in chosen.levels:
            raise DomainError(
                f"profile {chosen.code!r} has no recurring duty for level {code.value!r}; "
                f"its levels: {', '.join(lvl.value for lvl in chosen.levels)}",
                field="level",
            )
        return chosen, code

    def cutoff(self, kind: PeriodKind) -> CutoffRule:
        return self.cutoffs[kind]  # build_catalog checked every kind a report uses


def build_catalog(
    *,
    levels: Iterable[ReportingLevel],
    cutoffs: Iterable[CutoffRule],
    policy: ReportingPolicy,
    duties: Iterable[RecurringDuty],
    profiles: Iterable[ProfileDefinition],
    deadlines: Iterable[DeadlineRow],
    periods: Iterable[PeriodsRow] = (),
) -> ReportingCatalog:
    """Validate the data and resolve each profile's duties; bad data fails here, at load time."""
    level_map = {level.code: level for level in levels}
    missing = [code.value for code in REPORTING_LEVELS if code not in level_map]
    if missing:
        raise DomainError(f"reporting data lacks levels: {', '.join(missing)}")
    cutoff_map = {rule.kind: rule for rule in cutoffs}
    templates = {duty.code: duty for duty in duties}
    for duty in templates.values():
        _check_periods(duty, duty.periods, cutoff_map)
    definitions = {d.profile.code: d for d in profiles}
    lists: dict[tuple[str, str], PeriodsRow] = {}
    for own in periods:
        if own.profile not in definitions or own.duty not in templates:
            raise DomainError(f"periods for unknown profile/duty {own.profile}/{own.duty}")
        if (own.profile, own.duty) in lists:
            raise DomainError(f"two period lists for {own.profile}/{own.duty}")
        _check_periods(templates[own.duty], own.periods, cutoff_map)
        lists[(own.profile, own.duty)] = own
    rows: dict[tuple[str, str, Level], LevelDeadline] = {}
    for row in deadlines:
        if row.profile not in definitions or row.duty not in templates:
            raise DomainError(f"deadline for unknown profile/duty {row.profile}/{row.duty}")
        key = (row.profile, row.duty, row.deadline.level)
        if key in rows:
            raise DomainError(f"two deadlines for {row.profile}/{row.duty}/{key[2].value}")
        rows[key] = row.deadline
    resolved = {
        code: _resolve(code, definitions, templates, rows, lists) for code in sorted(definitions)
    }
    return ReportingCatalog(
        levels=MappingProxyType(level_map),
        cutoffs=MappingProxyType(cutoff_map),
        policy=policy,
        profiles=MappingProxyType(resolved),
    )


def _check_periods(
    duty: RecurringDuty, slots: tuple[PeriodSlot, ...], cutoffs: Mapping[PeriodKind, CutoffRule]
) -> None:
    if not slots:
        raise DomainError(f"{duty.code} reports on no period")
    if len(set(slots)) != len(slots):
        raise DomainError(f"{duty.code} lists a period twice")
    if duty.periodic_report:
        for slot in slots:
            if slot.kind not in cutoffs:
                raise DomainError(f"no cut-off rule for {slot.kind.value} ({duty.code})")


def _lineage(code: str, definitions: Mapping[str, ProfileDefinition]) -> list[str]:
    """The profile and those it extends, the most general first."""
    chain = [code]
    parent = definitions[code].extends
    while parent is not None:
        if parent not in definitions or parent in chain:
            raise DomainError(f"profile {code!r} extends unknown or circular {parent!r}")
        chain.append(parent)
        parent = definitions[parent].extends
    return chain[::-1]


def _resolve(
    code: str,
    definitions: Mapping[str, ProfileDefinition],
    templates: Mapping[str, RecurringDuty],
    rows: Mapping[tuple[str, str, Level], LevelDeadline],
    lists: Mapping[tuple[str, str], PeriodsRow],
) -> ReportingProfile:
    lineage = _lineage(code, definitions)
    duties = []
    for duty in templates.values():
        merged: dict[Level, LevelDeadline] = {}
        own: PeriodsRow | None = None
        for ancestor in lineage:  # later (more specific) profiles override earlier ones
            for level in REPORTING_LEVELS:
                row = rows.get((ancestor, duty.code, level))
                if row is not None:
                    merged[level] = row
            own = lists.get((ancestor, duty.code), own)
        if merged:
            ordered = tuple(merged[level] for level in REPORTING_LEVELS if level in merged)
            resolved = replace(duty, deadlines=ordered)
            if own is not None:
                resolved = replace(
                    resolved,
                    periods=own.periods,
                    citation=own.citation,
                    note=own.note or duty.note,
                )
            duties.append(resolved)
    return replace(definitions[code].profile, duties=tuple(duties))
