"""The state of a dossier at an instant, from what its events establish (see `clock`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers.clock import fold_events
from app.domain.dossiers.due import StatutoryDue, apology_deadline, excluding
from app.domain.dossiers.events import DossierEvent
from app.domain.dossiers.intake import Channel, acceptance_status
from app.domain.dossiers.local_time import to_local
from app.domain.dossiers.processing import ProcessingTime
from app.domain.dossiers.record import ClockRecord
from app.domain.dossiers.rules import DossierRuleBook
from app.domain.dossiers.schedule import OfficeSchedule
from app.domain.dossiers.state import DossierState, DossierStatus
from app.domain.dossiers.status import completed_status, open_status
from app.domain.dossiers.timeline import timeline_for
from app.domain.errors import DomainError


def derive_state(
    events: Sequence[DossierEvent],
    processing_time: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    rule_book: DossierRuleBook,
    *,
    as_of: dt.datetime,
    due_soon_within: dt.timedelta | None = None,
    channel: Channel = Channel.COUNTER,
) -> DossierState:
    """Validate and fold the events, then look at the clock at `as_of` (aware, not earlier than
    the last event). `due_soon_within` defaults to one ordinary working day of the schedule."""
    record = fold_events(events, processing_time, schedule, calendar, rule_book, channel)
    return state_as_of(record, as_of, due_soon_within=due_soon_within)


def state_as_of(
    record: ClockRecord, as_of: dt.datetime, *, due_soon_within: dt.timedelta | None = None
) -> DossierState:
    now = to_local(as_of, "as_of")
    if now < record.last_event_at:
        raise DomainError(
            f"as_of {now.isoformat()} is before the last event "
            f"({record.last_event_at.isoformat()})",
            field="as_of",
        )
    threshold = record.schedule.standard_day if due_soon_within is None else due_soon_within
    if threshold < dt.timedelta(0):
        raise DomainError("due_soon_within must not be negative", field="due_soon_within")
    timeline = timeline_for(record.calendar, record.schedule)
    at_now = timeline.position(now, "as_of")  # OutOfRange naming as_of
    stopped = record.stopped_at
    # Where the clock stands: at completion, at the start of a stop, or now. A stopped clock
    # keeps the status it had when it stopped. (Working time between two instants is the
    # difference of their positions: each position is looked up once.)
    reference = record.completed_at or stopped or now
    at_reference = at_now if reference is now else timeline.position(reference)
    elapsed = (
        dt.timedelta(seconds=at_reference - timeline.position(record.counted_from))
        - record.excluded
    )
    remaining: dt.timedelta | None = dt.timedelta(
        seconds=timeline.position(record.due.at) - at_reference
    )
    due: StatutoryDue | None = record.due
    if record.closed_at is not None:
        # closed without a result: no due date any more, nothing left to count
        due, remaining = None, None
        status = DossierStatus.CLOSED
    elif record.completed_at is not None:
        status = completed_status(record.completed_at, record.due.at, record.due.day)
    elif stopped is not None and not record.stop_moves_due:
        # the processing time starts afresh on resubmission: no due date until then
        due, remaining = None, None
        late = stopped > record.due.at
        status = DossierStatus.OVERDUE if late else DossierStatus.ON_TIME
    else:
        assert remaining is not None
        status = open_status(reference, record.due.at, remaining, threshold)
        if stopped is not None:  # a pause: the due moves while it lasts
            unit = record.processing_time.unit
            due = excluding(record.due, stopped, now, unit, timeline)
    return _state(record, now, due, elapsed, remaining, status)


def _state(
    record: ClockRecord,
    now: dt.datetime,
    due: StatutoryDue | None,
    elapsed: dt.timedelta,
    remaining: dt.timedelta | None,
    status: DossierStatus,
) -> DossierState:
    due_at, due_day = (due.at, due.day) if due is not None else (None, None)
    reappointed = record.reappointed_due
    if due_at is not None and reappointed is not None and reappointed > due_at:
        due_at, due_day = reappointed, reappointed.date()
    calendar = record.calendar
    return DossierState(
        as_of=now,
        rules=record.rules.code,
        received_at=record.received_at,
        counted_from=record.counted_from,
        clock=record.clock,
        status=status,
        due_at=due_at,
        due_day=due_day,
        statutory_due_at=due.at if due is not None else None,
        reappointed_due_at=reappointed,
        elapsed=elapsed,
        remaining=remaining,
        supplement_request_deadline=record.supplement_deadline,
        late_supplement_requests=record.late_supplements,
        supplement_breaches=record.supplement_breaches,
        apology_deadline=(
            apology_deadline(due.day, record.rules.reappointment, calendar)
            if due is not None
            else None
        ),
        reappointment_late=record.reappointment_late,
        completed_at=record.completed_at,
        closing_due_on=record.closing_due_on,
        closed_at=record.closed_at,
        closed_early=(
            record.closed_at.date() < record.closing_due_on
            if record.closed_at is not None and record.closing_due_on is not None
            else None
        ),
        channel=record.channel,
        acceptance_due_at=record.acceptance_due_at,
        accepted_at=record.acceptance_answered_at,
        acceptance_status=acceptance_status(
            record.acceptance_due_at, record.acceptance_answered_at, now
        ),
        forward_on=record.forward_on,
        provisional=calendar.provisional_between(
            record.received_at.date(), due_day or record.counted_from.date()
        ),
        calendar_revision=calendar.revision,
        trace=record.trace,
    )
