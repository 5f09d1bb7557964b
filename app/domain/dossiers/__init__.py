"""The dossier clock: when a citizen's dossier is due, and where it stands.

Pure domain: office schedules, the stateless appointment (`compute_due`), and the fold of a
dossier's events into its state (`derive_state`). Values of the law come from data
(app/data/dossiers.toml); the counting semantics are documented in `appointment`, `receipt`,
`due` and `clock`.
"""

from app.domain.citations import Citation, Confidence
from app.domain.dossiers.appointment import Appointment, appointment_from, compute_due
from app.domain.dossiers.clock import FoldedClock, fold_events, fold_events_kept
from app.domain.dossiers.derive import derive_state, state_as_of
from app.domain.dossiers.events import DossierEvent, EventKind
from app.domain.dossiers.intake import AcceptanceStatus, Channel
from app.domain.dossiers.local_time import VIETNAM
from app.domain.dossiers.processing import MAX_AMOUNT, ProcessingTime, TimeUnit
from app.domain.dossiers.receipt import Receipt, ReceiptTiming, start_of_counting
from app.domain.dossiers.record import ClockRecord
from app.domain.dossiers.rules import (
    AcceptanceRule,
    ApologyRoll,
    ClockAfterResubmission,
    ClosingRule,
    DossierRuleBook,
    DossierRules,
    ForwardingRule,
    ReappointmentRule,
    SupplementRule,
)
from app.domain.dossiers.schedule import (
    AfterHoursPolicy,
    CalendarDayEnd,
    OfficeSchedule,
    Window,
    Windows,
)
from app.domain.dossiers.state import ClockState, DossierFlag, DossierState, DossierStatus
from app.domain.dossiers.timeline import WorkingTimeline, timeline_for
from app.domain.dossiers.trace import TraceStep

__all__ = [
    "MAX_AMOUNT",
    "VIETNAM",
    "AcceptanceRule",
    "AcceptanceStatus",
    "AfterHoursPolicy",
    "ApologyRoll",
    "Appointment",
    "CalendarDayEnd",
    "Channel",
    "Citation",
    "ClockAfterResubmission",
    "ClockRecord",
    "ClockState",
    "ClosingRule",
    "Confidence",
    "DossierEvent",
    "DossierFlag",
    "DossierRuleBook",
    "DossierRules",
    "DossierState",
    "DossierStatus",
    "EventKind",
    "FoldedClock",
    "ForwardingRule",
    "OfficeSchedule",
    "ProcessingTime",
    "ReappointmentRule",
    "Receipt",
    "ReceiptTiming",
    "SupplementRule",
    "TimeUnit",
    "TraceStep",
    "Window",
    "Windows",
    "WorkingTimeline",
    "appointment_from",
    "compute_due",
    "derive_state",
    "fold_events",
    "fold_events_kept",
    "start_of_counting",
    "state_as_of",
    "timeline_for",
]
