"""What folding a dossier's events tells an official, as of a given instant."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from app.domain.dossiers.intake import AcceptanceStatus, Channel
from app.domain.dossiers.trace import TraceStep
from app.domain.values import value


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    STOPPED = "stopped"  # completed
    CLOSED = "closed"  # closed without a result: the returned dossier was not completed


class DossierStatus(StrEnum):
    """Open dossiers: on_time, due_soon (no more than `due_soon_within` of working time left,
    by default one ordinary working day), overdue (past the due instant). Completed dossiers:
    early (on a day before the due day: "trước hạn"), on time (on the due day, by the due time:
    "đúng hạn"), late (after the due time: "quá hạn")."""

    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    COMPLETED_EARLY = "completed_early"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    CLOSED = "closed"  # closed without a result (ND 118/2025 Art. 19(5))


class DossierFlag(StrEnum):
    """Something the office did against a rule, kept on the dossier and filterable."""

    SUPPLEMENT_BREACH = "supplement_breach"  # a request beyond those allowed (ND 118 Art. 11(2)(c))
    LATE_SUPPLEMENT_REQUEST = "late_supplement_request"  # after its deadline
    ACCEPTANCE_MISSED = "acceptance_missed"  # online dossier not answered in time (Art. 17(2)(c))
    REAPPOINTMENT_LATE = "reappointment_late"  # the apology after its deadline
    CLOSED_EARLY = "closed_early"  # closed before closing_due_on


@value
class DossierState:
    """The clock of one dossier as of `as_of`.

    `statutory_due_at` is the end of the processing time (moved by pauses and restarts) and the
    status is measured against it: a re-appointment admits lateness, it does not erase it.
    `due_at` is the appointment the citizen holds: the re-appointment when there is one and it
    is later. While paused, both are given as if the clock resumed at `as_of`. While the clock is
    stopped for a supplement under the restart rule, there is no due date until resubmission.
    """

    as_of: dt.datetime
    rules: str  # code of the rules version in force at receipt
    received_at: dt.datetime
    counted_from: dt.datetime  # where the current clock started (after the latest restart)
    clock: ClockState
    status: DossierStatus
    due_at: dt.datetime | None
    due_day: dt.date | None
    statutory_due_at: dt.datetime | None
    reappointed_due_at: dt.datetime | None
    elapsed: dt.timedelta  # working time counted on the current clock
    remaining: dt.timedelta | None  # working time left before statutory_due_at; < 0 when late
    supplement_request_deadline: dt.datetime  # for the latest receipt or resubmission
    late_supplement_requests: tuple[int, ...]  # indexes of requests made after that deadline
    supplement_breaches: tuple[int, ...]  # indexes of requests beyond the number allowed
    apology_deadline: dt.date | None  # last day to send the apology and new appointment
    reappointment_late: bool | None  # None when there was no re-appointment
    completed_at: dt.datetime | None
    # ND 118/2025 Art. 19(5): a returned dossier not completed is closed after 15 days from
    # the notice. The day it becomes due, the day after that period ends (while awaiting the
    # supplement), and the closing itself.
    closing_due_on: dt.date | None
    closed_at: dt.datetime | None
    closed_early: bool | None  # closed before closing_due_on; None when not closed
    channel: Channel
    acceptance_due_at: dt.datetime | None  # online dossiers from 1/7/2025
    accepted_at: dt.datetime | None  # when the acceptance deadline was answered
    acceptance_status: AcceptanceStatus | None  # None when there is no such deadline
    forward_on: dt.date | None  # paper dossiers from 1/7/2025
    provisional: bool
    calendar_revision: int
    trace: tuple[TraceStep, ...]

    @property
    def raised_flags(self) -> tuple[DossierFlag, ...]:
        raised = (
            (DossierFlag.SUPPLEMENT_BREACH, bool(self.supplement_breaches)),
            (DossierFlag.LATE_SUPPLEMENT_REQUEST, bool(self.late_supplement_requests)),
            (DossierFlag.ACCEPTANCE_MISSED, self.acceptance_status is AcceptanceStatus.MISSED),
            (DossierFlag.REAPPOINTMENT_LATE, bool(self.reappointment_late)),
            (DossierFlag.CLOSED_EARLY, bool(self.closed_early)),
        )
        return tuple(flag for flag, up in raised if up)

    @property
    def paused(self) -> bool:
        return self.clock in (ClockState.PAUSED, ClockState.AWAITING_SUPPLEMENT)
