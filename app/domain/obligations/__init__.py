"""Obligations: the tracked duties a publication decision creates (pure logic, no I/O).

What a decision supplies as anchors, which national scope it falls under, the status of a duty
on a given day, and how a re-planned schedule differs from the due dates on record.
"""

from app.domain.levels import Level
from app.domain.obligations.plan import (
    DecisionFacts,
    Move,
    PlannedDuty,
    Recorded,
    decision_events,
    followers,
    moves,
    plan_duties,
    scope_for,
)
from app.domain.obligations.status import (
    CLOSED,
    OPEN,
    ObligationStatus,
    completion_status,
    procedure_status,
    status_as_of,
)

__all__ = [
    "CLOSED",
    "OPEN",
    "DecisionFacts",
    "Level",
    "Move",
    "ObligationStatus",
    "PlannedDuty",
    "Recorded",
    "completion_status",
    "decision_events",
    "followers",
    "moves",
    "plan_duties",
    "procedure_status",
    "scope_for",
    "status_as_of",
]
