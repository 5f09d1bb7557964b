"""Response bodies of the office schedules (the request body is the document model itself,
app.data.office_schedules.OfficeScheduleDocument)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.api.wire.dates import UtcDateTime
from app.data.office_schedules import OfficeScheduleDocument

_REVISION = "The revision of the dossier clock's reference data (rule sets and office schedules)."


class OfficeScheduleOut(BaseModel):
    code: str = Field(examples=["default"])
    version: int = Field(description="The schedule's data version, bumped by every change.")
    updated_by: str
    updated_at: UtcDateTime
    document: OfficeScheduleDocument


class OfficeSchedules(BaseModel):
    items: list[OfficeScheduleOut] = Field(description="By code.")
    dossier_rules_revision: int = Field(description=_REVISION)


class OfficeScheduleChange(OfficeScheduleOut):
    dossier_rules_revision: int = Field(description="The revision the change created.")
