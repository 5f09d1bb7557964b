"""A dossier rule set as a reference document: the statutory values of the dossier clock under
one decree (or one decree as amended), with the dates it is in force. The shipped sets are the
`[[rules]]` tables of app/data/dossiers.toml; the database keeps them as versioned documents an
administrator may change (PUT /v1/dossier-rules/{code}); both are validated by this model and
turned into the domain's DossierRules here.

The version in force on the day a dossier is received applies to it to the end
(docs/legal-basis.md#nd118).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Self

from pydantic import AfterValidator, Field, StrictInt, StrictStr, model_validator

from app.data.profile_document import ConfidenceName, Strict, enum_schema, member_of
from app.domain.dossiers import (
    AcceptanceRule,
    ApologyRoll,
    Citation,
    ClockAfterResubmission,
    ClosingRule,
    Confidence,
    DossierRules,
    ForwardingRule,
    ProcessingTime,
    ReappointmentRule,
    SupplementRule,
    TimeUnit,
)

UnitName = Annotated[StrictStr, AfterValidator(member_of(TimeUnit)), enum_schema(TimeUnit)]
ClockName = Annotated[
    StrictStr,
    AfterValidator(member_of(ClockAfterResubmission)),
    enum_schema(ClockAfterResubmission),
]
ApologyRollName = Annotated[
    StrictStr, AfterValidator(member_of(ApologyRoll)), enum_schema(ApologyRoll)
]
Code = Annotated[StrictStr, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)]


class Cited(Strict):
    """Where a value is written in the law, and how sure the service is of it."""

    document: StrictStr = Field(min_length=1)
    article: StrictStr = Field(min_length=1)
    confidence: ConfidenceName

    def citation(self) -> Citation:
        return Citation(self.document, self.article, Confidence(self.confidence))


class Period(Cited):
    amount: StrictInt = Field(ge=0, le=1000)
    unit: UnitName


class SupplementRequest(Period):
    """The time the office has to ask for a supplement (or return the dossier)."""


class SupplementLimit(Cited):
    max: StrictInt = Field(ge=1)


class AfterResubmission(Cited):
    clock: ClockName


class Closing(Cited):
    after_days: StrictInt = Field(ge=1, le=365)


class Apology(Cited):
    lead_days: StrictInt = Field(ge=0, le=30)
    roll: ApologyRollName


class Reappointments(Cited):
    max: StrictInt = Field(ge=0, le=10)


class OnlineAcceptance(Period):
    after_hours: Cited = Field(description="What a receipt outside office hours counts from.")


class PaperForwarding(Cited):
    cutoff: dt.time = Field(description="Paper dossiers received at or after it: next day.")


class DossierRuleSet(Strict):
    """The statutory values of the dossier clock under one decree, in force for dossiers
    received from `effective_from` to `effective_to` (inclusive; open-ended when absent)."""

    code: Code = Field(examples=["nd-118-2025"])
    decree: StrictStr = Field(min_length=1, examples=["Nghị định 118/2025/NĐ-CP"])
    effective_from: dt.date
    effective_to: dt.date | None = None
    note: StrictStr | None = None
    supplement_request: SupplementRequest
    after_resubmission: AfterResubmission
    apology: Apology
    reappointments: Reappointments
    supplement_limit: SupplementLimit | None = None
    closing: Closing | None = None
    cross_boundary: Cited | None = Field(
        None, description="Cross-boundary dossiers count from the competent agency's receipt."
    )
    online_acceptance: OnlineAcceptance | None = None
    paper_forwarding: PaperForwarding | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def as_json(self) -> dict[str, Any]:
        """The document as stored and hashed (dates and times as ISO strings)."""
        return self.model_dump(mode="json", exclude_unset=True)

    def rules(self) -> DossierRules:
        """The domain's rules (DomainError on a value the clock cannot count)."""
        request, acceptance, closing = (
            self.supplement_request,
            self.online_acceptance,
            self.closing,
        )
        limit, forwarding = self.supplement_limit, self.paper_forwarding
        return DossierRules(
            code=self.code,
            decree=self.decree,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            supplement=SupplementRule(
                request_within=ProcessingTime.of(request.amount, request.unit),
                request_citation=request.citation(),
                after_resubmission=ClockAfterResubmission(self.after_resubmission.clock),
                resubmission_citation=self.after_resubmission.citation(),
                max_requests=limit.max if limit else None,
                limit_citation=limit.citation() if limit else None,
            ),
            reappointment=ReappointmentRule(
                max_count=self.reappointments.max,
                count_citation=self.reappointments.citation(),
                apology_lead_days=self.apology.lead_days,
                apology_roll=ApologyRoll(self.apology.roll),
                apology_citation=self.apology.citation(),
            ),
            note=self.note or "",
            closing=(
                ClosingRule(after_days=closing.after_days, citation=closing.citation())
                if closing
                else None
            ),
            competent_agency_start=self.cross_boundary.citation() if self.cross_boundary else None,
            online_acceptance=(
                AcceptanceRule(
                    within=ProcessingTime.of(acceptance.amount, acceptance.unit),
                    citation=acceptance.citation(),
                    after_hours=acceptance.after_hours.citation(),
                )
                if acceptance
                else None
            ),
            paper_forwarding=(
                ForwardingRule(cutoff=forwarding.cutoff, citation=forwarding.citation())
                if forwarding
                else None
            ),
        )
