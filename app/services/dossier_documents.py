"""The dossier rule sets and office schedules stored as documents, read into the domain's rule
book and schedules (by the replica's state, and by a change checking what it would load)."""

from __future__ import annotations

from collections.abc import Sequence

from app.data.dossier_rules import DossierRuleSet
from app.data.dossiers import rule_book
from app.data.office_schedules import OfficeScheduleDocument, schedules_of
from app.db.models import DossierRuleSetRow, OfficeScheduleRow
from app.domain.dossiers import DossierRuleBook, OfficeSchedule


def book_of(rows: Sequence[DossierRuleSetRow]) -> DossierRuleBook:
    return rule_book(DossierRuleSet.model_validate(row.document) for row in rows)


def schedules_from(rows: Sequence[OfficeScheduleRow]) -> dict[str, OfficeSchedule]:
    return schedules_of(OfficeScheduleDocument.model_validate(row.document) for row in rows)
