"""Every event type the change feed carries, in one place: subscriptions choose among these,
and the OpenAPI document lists them. A test checks the emitters against this list."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    DECISION_CREATED = "decision.created"
    DECISION_UPDATED = "decision.updated"
    DECISION_DELETED = "decision.deleted"
    OBLIGATION_CREATED = "obligation.created"
    OBLIGATION_COMPLETED = "obligation.completed"
    OBLIGATION_WAIVED = "obligation.waived"
    OBLIGATION_OVERDUE = "obligation.overdue"
    OBLIGATION_RESCHEDULED = "obligation.rescheduled"
    DOSSIER_CREATED = "dossier.created"
    DOSSIER_EVENT = "dossier.event"
    DOSSIER_STATUS_CHANGED = "dossier.status_changed"
    DOSSIER_APOLOGY_DUE = "dossier.apology_due"
    DOSSIER_ACCEPTANCE_OVERDUE = "dossier.acceptance_overdue"
    DOSSIER_SUPPLEMENT_BREACH = "dossier.supplement_breach"
    DOSSIER_CLOSED_DUE = "dossier.closed_due"
    DOSSIER_TRACKING_SUSPENDED = "dossier.tracking_suspended"
    DOSSIER_RESCHEDULED = "dossier.rescheduled"
    PROCEDURE_UPSERTED = "procedure.upserted"
    CALENDAR_CHANGED = "calendar.changed"


# Sent by a test ping only; never in the feed, never subscribed to.
PING = "webhook.ping"
