"""Response bodies of the dossier rule sets (the request body is the document model itself,
app.data.dossier_rules.DossierRuleSet)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from app.data.dossier_rules import DossierRuleSet


class DossierRuleSetOut(BaseModel):
    code: str = Field(examples=["nd-118-2025"])
    version: int = Field(description="The set's data version, bumped by every change.")
    updated_by: str
    updated_at: dt.datetime
    document: DossierRuleSet


class DossierRuleSets(BaseModel):
    items: list[DossierRuleSetOut] = Field(description="In force order (effective_from).")
    dossier_rules_revision: int


class DossierRuleSetChange(DossierRuleSetOut):
    dossier_rules_revision: int = Field(description="The revision the change created.")
