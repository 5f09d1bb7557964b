"""All tables; importing this package registers them on Base.metadata."""

from app.db.models.api_keys import ApiKey
from app.db.models.audit import AuditEntry
from app.db.models.calendar import (
    CalendarAdjustment,
    CalendarNotice,
    CalendarRevision,
    CalendarYear,
)
from app.db.models.catalog import (
    CatalogRevision,
    DossierRuleSetRow,
    DossierRuleSetVersion,
    DossierRulesRevision,
    ProfileRow,
    ProfileVersion,
)
from app.db.models.decisions import (
    Decision,
    DecisionProcedure,
    Obligation,
    ObligationChange,
    Procedure,
    ProcedureVersion,
)
from app.db.models.dossiers import Dossier, DossierEvent
from app.db.models.drafts import ProfileDraftRow
from app.db.models.feed import Event, IdempotencyRecord
from app.db.models.webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "ApiKey",
    "AuditEntry",
    "CalendarAdjustment",
    "CalendarNotice",
    "CalendarRevision",
    "CalendarYear",
    "CatalogRevision",
    "Decision",
    "DecisionProcedure",
    "Dossier",
    "DossierEvent",
    "DossierRuleSetRow",
    "DossierRuleSetVersion",
    "DossierRulesRevision",
    "Event",
    "IdempotencyRecord",
    "Obligation",
    "ObligationChange",
    "Procedure",
    "ProcedureVersion",
    "ProfileDraftRow",
    "ProfileRow",
    "ProfileVersion",
    "WebhookDelivery",
    "WebhookSubscription",
]
