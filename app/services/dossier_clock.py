"""A dossier's stored clock: what the domain establishes from its events (status, due, next
check, apology notice) in the columns kept beside them, the change-feed payloads, and the
scanner's re-evaluation. Pure functions over the repository's records: no database access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.data.dossiers import dossier_rule_book, office_schedule
from app.db.repositories.dossiers import DossierWithEvents, StoredDossier, StoredEvent
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers import (
    VIETNAM,
    AcceptanceStatus,
    Channel,
    ClockRecord,
    ClockState,
    DossierEvent,
    DossierState,
    DossierStatus,
    EventKind,
    FoldedClock,
    OfficeSchedule,
    ProcessingTime,
    fold_events,
    fold_events_kept,
    state_as_of,
    timeline_for,
)
from app.domain.errors import DomainError, NotFound

ENTITY = "dossier"
_ONE_SECOND = dt.timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Rescan:
    """What a scanner pass makes of one dossier."""

    columns: dict[str, Any]
    changes: list[tuple[str, str, str, dict[str, Any]]]


# -- inputs ---------------------------------------------------------------------------------


def schedule_named(code: str, field: str = "schedule") -> OfficeSchedule:
    """An office schedule by code; an unknown code is bad input (422) naming `field`."""
    try:
        return office_schedule(code)
    except NotFound as exc:
        raise DomainError(exc.detail, field=field) from None


def processing_time(amount: Decimal | int | float | str, unit: str, field: str) -> ProcessingTime:
    """A processing time; errors name `field`.amount or `field`.unit."""
    try:
        return ProcessingTime.of(amount, unit)
    except DomainError as exc:
        raise type(exc)(exc.detail, field=f"{field}.{exc.field}") from None


def domain_event(event: StoredEvent) -> DossierEvent:
    return DossierEvent(EventKind(event.kind), event.at, event.new_due_at)


# -- the clock columns ----------------------------------------------------------------------


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=VIETNAM)


def apology_pending(state: DossierState, notified_for: dt.date | None) -> bool:
    """An apology deadline not yet announced: a running clock, not re-appointed yet (the
    apology goes with the new appointment, ND 61/2018 Art. 19(9))."""
    return (
        state.clock is ClockState.RUNNING
        and state.reappointed_due_at is None
        and state.apology_deadline is not None
        and state.apology_deadline != notified_for
    )


def next_check(
    record: ClockRecord, state: DossierState, notified_for: dt.date | None
) -> dt.datetime | None:
    """When the scanner must look again, absent new events: the instant the status would next
    change (due_soon, then overdue) or the apology deadline's day begins. A stopped clock keeps
    its status (see `state_as_of`), so it is not watched until its next event, except a
    returned dossier, watched for the day it becomes due for closing (ND 118/2025 Art. 19(5)),
    and an online dossier not yet accepted, watched for its acceptance deadline (Art. 17(2)(c))."""
    candidates = [w for w in (closing_watch(state), acceptance_watch(state)) if w is not None]
    if state.clock is not ClockState.RUNNING or state.statutory_due_at is None:
        return min(candidates, default=None)
    due = state.statutory_due_at
    if state.status is DossierStatus.ON_TIME:
        # due_soon once no more than one ordinary working day of working time is left (the
        # domain's default threshold): the earliest instant at that working-time position
        timeline = timeline_for(record.calendar, record.schedule)
        left = int(record.schedule.standard_day.total_seconds())
        candidates.append(timeline.instant(max(timeline.position(due) - left, 0)))
    if state.status in (DossierStatus.ON_TIME, DossierStatus.DUE_SOON):
        candidates.append(due + _ONE_SECOND)  # overdue once strictly past the due instant
    if apology_pending(state, notified_for):
        assert state.apology_deadline is not None
        candidates.append(midnight(state.apology_deadline))
    return min(candidates, default=None)


def closing_watch(state: DossierState) -> dt.datetime | None:
    """The instant a returned dossier becomes due for closing, while it awaits its supplement."""
    if state.clock is not ClockState.AWAITING_SUPPLEMENT or state.closing_due_on is None:
        return None
    return midnight(state.closing_due_on)


def acceptance_watch(state: DossierState) -> dt.datetime | None:
    """The instant an unanswered online dossier misses its acceptance deadline."""
    if state.acceptance_status is not AcceptanceStatus.PENDING:
        return None
    assert state.acceptance_due_at is not None
    return state.acceptance_due_at + _ONE_SECOND


def acceptance_overdue(
    dossier: StoredDossier, state: DossierState
) -> tuple[str, str, str, dict[str, Any]] | None:
    """`dossier.acceptance_overdue` once, on the scan that first passes an unanswered online
    dossier's acceptance deadline (ND 118/2025 Art. 17(2)(c))."""
    due = state.acceptance_due_at
    if (
        due is None
        or state.accepted_at is not None
        or not dossier.status_evaluated_at <= due < state.as_of
    ):
        return None
    return (
        "dossier.acceptance_overdue",
        ENTITY,
        str(dossier.id),
        {
            **about(dossier),
            "channel": state.channel.value,
            "received_at": iso(state.received_at),
            "acceptance_due_at": iso(due),
            "as_of": iso(state.as_of),
            "flags": flags_of(state),
        },
    )


def flags_of(state: DossierState) -> list[str]:
    return [flag.value for flag in state.raised_flags]


def closed_due(
    dossier: StoredDossier, state: DossierState
) -> tuple[str, str, str, dict[str, Any]] | None:
    """`dossier.closed_due` once, on the scan that first passes the start of the closing day
    (the stored evaluation instant is before it, this one is at or after it)."""
    watch = closing_watch(state)
    if watch is None or not dossier.status_evaluated_at < watch <= state.as_of:
        return None
    assert state.closing_due_on is not None
    return (
        "dossier.closed_due",
        ENTITY,
        str(dossier.id),
        {
            **about(dossier),
            "closing_due_on": state.closing_due_on.isoformat(),
            "as_of": iso(state.as_of),
        },
    )


def clock_columns(
    record: ClockRecord, state: DossierState, notified_for: dt.date | None
) -> dict[str, Any]:
    return {
        "rules": state.rules,
        "status": state.status.value,
        "clock": state.clock.value,
        "due_at": state.due_at,
        "statutory_due_at": state.statutory_due_at,
        "apology_deadline": state.apology_deadline,
        "apology_notified_for": notified_for,
        "completed_at": state.completed_at,
        "acceptance_due_at": state.acceptance_due_at,
        "flags": flags_of(state),
        "last_event_at": record.last_event_at,
        "status_evaluated_at": state.as_of,
        "next_check_at": next_check(record, state, notified_for),
        "calendar_revision": state.calendar_revision,
    }


# -- feed payloads --------------------------------------------------------------------------


def iso(value: dt.datetime | dt.date | None) -> str | None:
    if isinstance(value, dt.datetime):
        return value.astimezone(VIETNAM).isoformat()
    return value.isoformat() if value is not None else None


def amount_number(amount: Decimal) -> int | float:
    """A processing amount as a JSON number (3, 0.5), not a string."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def about(dossier: StoredDossier) -> dict[str, Any]:
    return {"dossier_id": dossier.id, "office": dossier.office, "code": dossier.code}


def tracking_suspended(
    dossier: StoredDossier, tracking: str, detail: str, calendar: CalendarSnapshot
) -> tuple[str, str, str, dict[str, Any]]:
    """The scanner can no longer follow the dossier's clock: said once, in the feed."""
    return (
        "dossier.tracking_suspended",
        ENTITY,
        str(dossier.id),
        {
            **about(dossier),
            "tracking": tracking,
            "detail": detail,
            "status": dossier.status,
            "calendar_last_day": calendar.last.isoformat(),
        },
    )


def status_changed(
    dossier: StoredDossier, before: str, state: DossierState, cause: str
) -> tuple[str, str, str, dict[str, Any]]:
    return (
        "dossier.status_changed",
        ENTITY,
        str(dossier.id),
        {
            **about(dossier),
            "from": before,
            "to": state.status.value,
            "as_of": iso(state.as_of),
            "due_at": iso(state.due_at),
            "cause": cause,
            "flags": flags_of(state),
        },
    )


def fold(
    events: Sequence[DossierEvent],
    processing: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    channel: Channel,
) -> ClockRecord:
    return fold_events(events, processing, schedule, calendar, dossier_rule_book(), channel)


def fold_kept(
    events: Sequence[DossierEvent],
    processing: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
    channel: Channel,
) -> tuple[ClockRecord, FoldedClock]:
    """`fold`, and the clock as folded, for the events that follow (see fold_onto)."""
    book = dossier_rule_book()
    return fold_events_kept(events, processing, schedule, calendar, book, channel)


def fold_onto(
    found: DossierWithEvents,
    folded: FoldedClock | None,
    new: Sequence[DossierEvent],
    calendar: CalendarSnapshot,
) -> tuple[ClockRecord, FoldedClock]:
    """The history and `new` after it, folded: only `new`, onto `folded` (the history's clock
    as a replica remembers it) when that was folded from all of it with this calendar and rule
    book; else all of it."""
    if (
        folded is not None
        and folded.count == len(found.events)
        and folded.calendar is calendar
        and folded.rule_book is dossier_rule_book()
    ):
        return folded.then(new)
    events = [*(domain_event(e) for e in found.events), *new]
    dossier = found.dossier
    return fold_kept(events, *clock_of(dossier), calendar, Channel(dossier.channel))


def clock_of(dossier: StoredDossier) -> tuple[ProcessingTime, OfficeSchedule]:
    return (
        ProcessingTime.of(dossier.processing_amount, dossier.processing_unit),
        schedule_named(dossier.schedule),
    )


def record_of(found: DossierWithEvents, calendar: CalendarSnapshot) -> ClockRecord:
    events = [domain_event(e) for e in found.events]
    return fold(events, *clock_of(found.dossier), calendar, Channel(found.dossier.channel))


# -- the scanner ----------------------------------------------------------------------------


def rescan(found: DossierWithEvents, calendar: CalendarSnapshot, now: dt.datetime) -> Rescan:
    """Re-derive a dossier's clock as of `now` (never earlier than it was last evaluated: a
    replayed scan does not move a status back) with the current calendar; one status change
    and one apology notice at most, each a feed event."""
    dossier = found.dossier
    record = record_of(found, calendar)
    state = state_as_of(record, max(now, dossier.status_evaluated_at, record.last_event_at))
    changes: list[tuple[str, str, str, dict[str, Any]]] = []
    notified = dossier.apology_notified_for
    deadline = state.apology_deadline
    if (
        apology_pending(state, notified)
        and deadline is not None
        and state.as_of >= midnight(deadline)
    ):
        notified = deadline
        changes.append(
            (
                "dossier.apology_due",
                ENTITY,
                str(dossier.id),
                {
                    **about(dossier),
                    "apology_deadline": deadline.isoformat(),
                    # announced on a later day: the dossier was recorded (or its clock moved)
                    # after the deadline had passed
                    "late": state.as_of.date() > deadline,
                    "due_at": iso(state.due_at),
                    "due_day": iso(state.due_day),
                    "status": state.status.value,
                    "as_of": iso(state.as_of),
                },
            )
        )
    for notice in (closed_due(dossier, state), acceptance_overdue(dossier, state)):
        if notice is not None:
            changes.append(notice)
    if state.status.value != dossier.status:
        changes.append(status_changed(dossier, dossier.status, state, "scan"))
    # Evaluated: followed again, whatever a previous pass could not do.
    return Rescan({**clock_columns(record, state, notified), "tracking": "tracked"}, changes)
