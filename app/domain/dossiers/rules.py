"""The statutory rules of the dossier clock, as versioned data (app/data/dossiers.toml).

Decree 61/2018/NĐ-CP governs dossiers received until 30/6/2025 (docs/legal-basis.md#nd61-dossiers);
Decree 118/2025/NĐ-CP replaces it from 1/7/2025 (docs/legal-basis.md#nd118). The code knows the
shapes of the rules, the data knows their values, citations and effective dates.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from enum import StrEnum

from app.domain.citations import Citation
from app.domain.dossiers.processing import ProcessingTime
from app.domain.errors import DomainError, NotFound


class ClockAfterResubmission(StrEnum):
    """What the processing clock does when a supplemented dossier comes back."""

    RESTART = "restart"  # the full processing time again, from the resubmission
    RESUME = "resume"  # the supplement wait is a pause: the time already used still counts


class ApologyRoll(StrEnum):
    """When the last day for the apology is a day off (docs/legal-basis.md#counting-backward)."""

    NONE = "none"  # latest day = due day − lead, whatever day it is
    PRECEDING = "preceding"  # moved back to the working day before it


@dataclass(frozen=True, slots=True)
class SupplementRule:
    """An incomplete dossier: the supplement request is due within `request_within` of receipt,
    and the clock stops until the dossier comes back."""

    request_within: ProcessingTime
    request_citation: Citation
    after_resubmission: ClockAfterResubmission
    resubmission_citation: Citation
    # How many supplement requests the law allows per dossier (None: no limit in the text).
    # A request beyond it is recorded, because the office did send it, and flagged as a breach
    # (ND 118/2025 Art. 11(2)(c): "chỉ được yêu cầu sửa đổi, bổ sung một lần").
    max_requests: int | None = None
    limit_citation: Citation | None = None

    def __post_init__(self) -> None:
        if (self.max_requests is None) != (self.limit_citation is None):
            raise DomainError(
                "a supplement limit needs its citation, and a citation its limit",
                field="supplement_limit",
            )
        if self.max_requests is not None and self.max_requests < 1:
            raise DomainError("max_requests must be at least 1", field="supplement_limit")


@dataclass(frozen=True, slots=True)
class ClosingRule:
    """A returned dossier the applicant does not complete is closed `after_days` calendar days
    after the return notice (ND 118/2025 Art. 19(5): "Sau 15 ngày kể từ khi thông báo")."""

    after_days: int
    citation: Citation

    def __post_init__(self) -> None:
        if self.after_days < 1:
            raise DomainError("after_days must be at least 1", field="closing")


@dataclass(frozen=True, slots=True)
class AcceptanceRule:
    """An online dossier is accepted, or a supplement requested, within `within` of the
    system's receipt (ND 118/2025 Art. 17(2)(c): 8 working hours). `after_hours` cites how a
    receipt outside office hours is counted: from the next opening, a practice, not a rule."""

    within: ProcessingTime
    citation: Citation
    after_hours: Citation


@dataclass(frozen=True, slots=True)
class ForwardingRule:
    """A paper dossier received at or after `cutoff` is forwarded the next working day
    (ND 118/2025 Art. 18(2): after 15:00)."""

    cutoff: dt.time
    citation: Citation

    def __post_init__(self) -> None:
        if not isinstance(self.cutoff, dt.time) or self.cutoff.tzinfo is not None:
            raise DomainError("the forwarding cut-off is a local time of day", field="cutoff")


@dataclass(frozen=True, slots=True)
class ReappointmentRule:
    """A late dossier: an apology and new appointment at least `apology_lead_days` (calendar)
    days before the due day, at most `max_count` times per dossier."""

    max_count: int
    count_citation: Citation
    apology_lead_days: int
    apology_roll: ApologyRoll
    apology_citation: Citation

    def __post_init__(self) -> None:
        if self.max_count < 0:
            raise DomainError("max_count must not be negative", field="max_count")
        if self.apology_lead_days < 0:
            raise DomainError("apology_lead_days must not be negative", field="apology_lead_days")


@dataclass(frozen=True, slots=True)
class DossierRules:
    """One version of the rules, for dossiers received from effective_from to effective_to."""

    code: str
    decree: str
    effective_from: dt.date
    effective_to: dt.date | None
    supplement: SupplementRule
    reappointment: ReappointmentRule
    note: str = ""
    closing: ClosingRule | None = None  # None: the rules do not close a dossier (ND 61/2018)
    # Set when a cross-boundary dossier's clock starts at the competent agency's receipt
    # (ND 309/2026); None: it runs from the first receipt.
    competent_agency_start: Citation | None = None
    # Online dossiers: the acceptance deadline (ND 118/2025 Art. 17(2)(c)); None before.
    online_acceptance: AcceptanceRule | None = None
    # Paper dossiers: forwarded the next working day after the cut-off (Art. 18(2)).
    paper_forwarding: ForwardingRule | None = None

    def covers(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True, slots=True)
class DossierRuleBook:
    versions: tuple[DossierRules, ...]

    def __post_init__(self) -> None:
        ordered = sorted(self.versions, key=lambda v: v.effective_from)
        for before, after in itertools.pairwise(ordered):
            if before.effective_to is None or before.effective_to >= after.effective_from:
                raise DomainError(
                    f"rule versions {before.code} and {after.code} overlap", field="versions"
                )
        object.__setattr__(self, "versions", tuple(ordered))

    def in_force_on(self, day: dt.date, field: str = "received_at") -> DossierRules:
        """The version for a dossier received on `day` (the law in force at receipt)."""
        for version in self.versions:
            if version.covers(day):
                return version
        raise NotFound(f"no dossier rules are in force on {day.isoformat()}", field=field)
