"""Request and response bodies of the procedure catalog."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.api.wire.dates import UtcDateTime
from app.api.wire.page import Page
from app.api.wire.text import NonBlank
from app.domain.dossiers.processing import TimeUnit
from app.domain.levels import PROCEDURE_LEVELS, Level


class ProcedureStatus(StrEnum):
    ACTIVE = "active"
    ABOLISHED = "abolished"


class ProcessingTime(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=0, le=10_000)
    unit: TimeUnit = Field(
        description="working_days, working_hours or calendar_days, as the dossier clock "
        "counts them (`hours` is read as working_hours)."
    )


class ProcedureIn(BaseModel):
    """The whole catalog entry (PUT replaces it)."""

    model_config = ConfigDict(extra="forbid")

    name: NonBlank = Field(min_length=1, max_length=1000)
    field: str | None = Field(default=None, max_length=300, description="Lĩnh vực.")
    level: Level | None = Field(
        default=None,
        description="national, province, district or commune (`central` is read as national).",
    )

    @field_validator("level")
    @classmethod
    def _procedure_level(cls, value: Level | None) -> Level | None:
        if value is not None and value not in PROCEDURE_LEVELS:
            raise ValueError(
                "a procedure is carried out at national, province, district or commune level"
            )
        return value

    processing_time: ProcessingTime | None = Field(
        default=None, description="Thời hạn giải quyết, e.g. 15 working days."
    )
    processing_note: str | None = Field(default=None, max_length=2000)
    abolished_on: dt.date | None = Field(
        default=None, description="Abolished from this day (normally set by a decision)."
    )

    def values(self) -> dict[str, Any]:
        time = self.processing_time
        return {
            "name": " ".join(self.name.split()),
            "field": self.field,
            "level": self.level.value if self.level else None,
            "processing_amount": time.amount if time else None,
            "processing_unit": time.unit.value if time else None,
            "processing_note": self.processing_note,
            "abolished_on": self.abolished_on,
        }


class ProcedureOut(BaseModel):
    code: str
    name: str
    field: str | None
    level: Level | None
    processing_time: ProcessingTime | None
    processing_note: str | None
    status: ProcedureStatus = Field(description="As of `as_of`.")
    as_of: dt.date
    abolished_on: dt.date | None
    abolished_by_decision_id: int | None
    version: int = Field(description="Also the ETag; send it as If-Match to update safely.")
    updated_by: str
    created_at: UtcDateTime
    updated_at: UtcDateTime


class PublishingDecision(BaseModel):
    decision_id: int
    number: str
    issuer: str
    signed_on: dt.date
    effective_on: dt.date
    action: str
    name: str = Field(description="The name the decision gives the procedure.")


class ProcedureVersionOut(BaseModel):
    version: int
    cause: str = Field(description="`put`, or `decision:<id>` when a decision changed it.")
    changed_by: str
    changed_at: UtcDateTime
    document: dict[str, Any]


class ProcedureDetail(ProcedureOut):
    decisions: list[PublishingDecision] = Field(description="Its decision history.")
    versions: list[ProcedureVersionOut]


class ProcedurePage(Page[ProcedureOut]):
    pass
