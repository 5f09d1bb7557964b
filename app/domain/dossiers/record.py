"""What a dossier's events establish, independent of the instant it is looked at."""

from __future__ import annotations

import datetime as dt

from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers.due import StatutoryDue
from app.domain.dossiers.intake import Channel
from app.domain.dossiers.processing import ProcessingTime
from app.domain.dossiers.rules import DossierRules
from app.domain.dossiers.schedule import OfficeSchedule
from app.domain.dossiers.state import ClockState
from app.domain.dossiers.trace import TraceStep
from app.domain.values import value


@value
class ClockRecord:
    """What the events establish, independent of the instant it is looked at."""

    processing_time: ProcessingTime
    schedule: OfficeSchedule
    calendar: CalendarSnapshot
    rules: DossierRules
    received_at: dt.datetime
    counted_from: dt.datetime  # start of the current clock (after the latest restart)
    due: StatutoryDue  # moved by the closed pauses of the current clock
    excluded: dt.timedelta  # working time of those pauses
    clock: ClockState
    stopped_at: dt.datetime | None  # start of the open pause or supplement wait
    stop_moves_due: bool  # a pause (True) or a wait the processing time restarts after (False)
    supplement_deadline: dt.datetime
    late_supplements: tuple[int, ...]
    supplement_breaches: tuple[int, ...]  # requests beyond the number the law allows
    reappointed_due: dt.datetime | None
    reappointment_late: bool | None
    completed_at: dt.datetime | None
    closing_due_on: dt.date | None  # while awaiting a supplement under a closing rule
    closed_at: dt.datetime | None
    channel: Channel
    acceptance_due_at: dt.datetime | None  # online dossiers (ND 118/2025 Art. 17(2)(c))
    acceptance_answered_at: dt.datetime | None  # first acceptance or supplement request
    forward_on: dt.date | None  # paper dossiers (ND 118/2025 Art. 18(2))
    last_event_at: dt.datetime
    trace: tuple[TraceStep, ...]
