"""Response bodies of the dossier rule sets (the request body is the document model itself,
app.data.dossier_rules.DossierRuleSet), and the version history of the dossier clock's
reference documents (rule sets, office schedules)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from pydantic import BaseModel, Field

from app.api.wire.dates import UtcDateTime
from app.data.dossier_rules import DossierRuleSet


class DossierRuleSetOut(BaseModel):
    code: str = Field(examples=["nd-118-2025"])
    version: int = Field(description="The set's data version, bumped by every change.")
    updated_by: str
    updated_at: UtcDateTime
    document: DossierRuleSet


class DossierRuleSets(BaseModel):
    items: list[DossierRuleSetOut] = Field(description="In force order (effective_from).")
    dossier_rules_revision: int


class DossierRuleSetChange(DossierRuleSetOut):
    dossier_rules_revision: int = Field(description="The revision the change created.")


class DocumentVersionOut(BaseModel):
    version: int
    changed_by: str
    changed_at: UtcDateTime
    document: dict[str, Any] = Field(
        description="The document as stored at that version (what was counted with it)."
    )


class DocumentVersions(BaseModel):
    code: str
    items: list[DocumentVersionOut] = Field(description="Every version, oldest first.")


class _Version(Protocol):
    """A stored version row (of a rule set or an office schedule)."""

    @property
    def version(self) -> int: ...
    @property
    def changed_by(self) -> str: ...
    @property
    def changed_at(self) -> dt.datetime: ...
    @property
    def document(self) -> dict[str, Any]: ...


def versions_of(row: _Version) -> DocumentVersionOut:
    return DocumentVersionOut(
        version=row.version,
        changed_by=row.changed_by,
        changed_at=row.changed_at,
        document=row.document,
    )
