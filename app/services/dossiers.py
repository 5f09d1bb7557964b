"""Use cases of the dossier clock: record a dossier and its events, read one, list them, and
re-evaluate one for the scanner.

The events are the record. Every write folds the whole history through the domain, which
validates the order (`fold_events`), and stores what it establishes as of now (status, due,
next check) next to it; nothing is written when the domain refuses. Each use case runs in the
caller's transaction: it flushes, never commits, and appends to the change feed last.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.dossiers import dossier_rule_book, office_schedule
from app.db.repositories import dossiers as repo
from app.db.repositories import feed
from app.db.repositories.dossiers import DossierWithEvents, StoredDossier, StoredEvent
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers import (
    VIETNAM,
    Appointment,
    ClockRecord,
    ClockState,
    DossierEvent,
    DossierState,
    DossierStatus,
    EventKind,
    OfficeSchedule,
    ProcessingTime,
    compute_due,
    fold_events,
    state_as_of,
    timeline_for,
)
from app.domain.errors import Conflict, DomainError, NotFound

ENTITY = "dossier"
# An event is recorded once it has happened; integrators' clocks may run a little ahead.
CLOCK_SKEW = dt.timedelta(minutes=5)
# A dossier's history is folded on every write; real ones hold a handful of events.
MAX_EVENTS = 200
_ONE_SECOND = dt.timedelta(seconds=1)
_EVENT_FIELD = re.compile(r"events\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class NewDossier:
    office: str
    code: str
    procedure_code: str | None
    schedule: str
    amount: Decimal
    unit: str
    received_at: dt.datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NewEvent:
    kind: EventKind
    at: dt.datetime
    new_due_at: dt.datetime | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DossierView:
    dossier: StoredDossier
    events: tuple[StoredEvent, ...]
    state: DossierState


@dataclass(frozen=True, slots=True)
class Appended:
    dossier_id: int
    events: tuple[StoredEvent, ...]  # the new ones
    previous_status: DossierStatus
    state: DossierState


@dataclass(frozen=True, slots=True)
class Page:
    items: list[StoredDossier]
    next_cursor: int | None


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


def appointment(
    received_at: dt.datetime,
    amount: Decimal,
    unit: str,
    schedule: str,
    calendar: CalendarSnapshot,
) -> Appointment:
    """The stateless appointment of the one-stop portal (no database)."""
    return compute_due(
        received_at, processing_time(amount, unit, "processing"), schedule_named(schedule), calendar
    )


@overload
def _whole_seconds(value: dt.datetime) -> dt.datetime: ...
@overload
def _whole_seconds(value: None) -> None: ...
def _whole_seconds(value: dt.datetime | None) -> dt.datetime | None:
    """Clocks count whole seconds (the domain drops fractions): what is stored says so too."""
    return value.replace(microsecond=0) if value is not None else None


def _not_in_future(at: dt.datetime, now: dt.datetime, field: str) -> None:
    if at > now + CLOCK_SKEW:
        raise DomainError(
            f"{field} {at.isoformat()} is in the future (now {now.isoformat()}): "
            "record an event once it has happened",
            field=field,
        )


def _refused(exc: DomainError, field: str | None, detail: str | None = None) -> DomainError:
    """The same refusal naming the request's field. A catalog miss about an input (no rules in
    force on that day) is bad input, not a missing resource."""
    kind = DomainError if isinstance(exc, NotFound) else type(exc)
    return kind(detail or exc.detail, field=field)


def _renumbered(exc: DomainError, recorded: int) -> DomainError:
    """Domain errors name `events[k]` in the whole history; the request numbers its own events
    from 0, after the `recorded` ones."""

    def rename(match: re.Match[str]) -> str:
        k = int(match.group(1))
        return f"events[{k - recorded}]" if k >= recorded else f"recorded event seq {k}"

    field = _EVENT_FIELD.sub(rename, exc.field) if exc.field else exc.field
    if field is not None and field.startswith("recorded"):
        field = "events"
    return _refused(exc, field, _EVENT_FIELD.sub(rename, exc.detail))


def _domain_event(event: StoredEvent) -> DossierEvent:
    return DossierEvent(EventKind(event.kind), event.at, event.new_due_at)


# -- the clock columns ----------------------------------------------------------------------


def _midnight(day: dt.date) -> dt.datetime:
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
    its status (see `state_as_of`), so it is not watched until its next event."""
    if state.clock is not ClockState.RUNNING or state.statutory_due_at is None:
        return None
    due = state.statutory_due_at
    candidates: list[dt.datetime] = []
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
        candidates.append(_midnight(state.apology_deadline))
    return min(candidates, default=None)


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
        "last_event_at": record.last_event_at,
        "status_evaluated_at": state.as_of,
        "next_check_at": next_check(record, state, notified_for),
        "calendar_revision": state.calendar_revision,
    }


# -- feed payloads --------------------------------------------------------------------------


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if isinstance(value, dt.datetime):
        return value.astimezone(VIETNAM).isoformat()
    return value.isoformat() if value is not None else None


def amount_number(amount: Decimal) -> int | float:
    """A processing amount as a JSON number (3, 0.5), not a string."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _about(dossier: StoredDossier) -> dict[str, Any]:
    return {"dossier_id": dossier.id, "office": dossier.office, "code": dossier.code}


def _status_changed(
    dossier: StoredDossier, before: str, state: DossierState, cause: str
) -> tuple[str, str, str, dict[str, Any]]:
    return (
        "dossier.status_changed",
        ENTITY,
        str(dossier.id),
        {
            **_about(dossier),
            "from": before,
            "to": state.status.value,
            "as_of": _iso(state.as_of),
            "due_at": _iso(state.due_at),
            "cause": cause,
        },
    )


# -- use cases ------------------------------------------------------------------------------


def _fold(
    events: Sequence[DossierEvent],
    processing: ProcessingTime,
    schedule: OfficeSchedule,
    calendar: CalendarSnapshot,
) -> ClockRecord:
    return fold_events(events, processing, schedule, calendar, dossier_rule_book())


async def create_dossier(
    session: AsyncSession,
    calendar: CalendarSnapshot,
    new: NewDossier,
    *,
    actor: str,
    now: dt.datetime,
) -> DossierView:
    """Store a dossier and its `received` event; refuse a code its office already used."""
    schedule = schedule_named(new.schedule)
    processing = processing_time(new.amount, new.unit, "processing")
    new = dataclasses.replace(new, received_at=_whole_seconds(new.received_at))
    _not_in_future(new.received_at, now, "received_at")
    try:
        record = _fold(
            [DossierEvent(EventKind.RECEIVED, new.received_at)], processing, schedule, calendar
        )
    except DomainError as exc:
        raise _refused(exc, "received_at") from None
    state = state_as_of(record, max(now, record.last_event_at))
    values = {
        "office": new.office,
        "code": new.code,
        "procedure_code": new.procedure_code,
        "schedule": schedule.code,
        "processing_amount": processing.amount,
        "processing_unit": processing.unit.value,
        "received_at": new.received_at,
        "event_count": 1,
        "created_by": actor,
        **clock_columns(record, state, None),
    }
    created = await repo.insert_dossier(session, values)
    if created is None:
        raise Conflict(
            f"office {new.office!r} already has a dossier with code {new.code!r}", field="code"
        )
    dossier_id, created_at = created
    received = {
        "seq": 0,
        "kind": EventKind.RECEIVED.value,
        "at": new.received_at,
        "new_due_at": None,
        "note": new.note,
        "recorded_by": actor,
    }
    await repo.insert_events(session, dossier_id, [received])
    dossier = repo.stored(dossier_id, created_at, values)
    event = StoredEvent(0, "received", new.received_at, None, new.note, created_at)
    await feed.append(
        session,
        [
            (
                "dossier.created",
                ENTITY,
                str(dossier_id),
                {
                    **_about(dossier),
                    "procedure_code": dossier.procedure_code,
                    "schedule": dossier.schedule,
                    "processing": {
                        "amount": amount_number(processing.amount),
                        "unit": processing.unit.value,
                    },
                    "received_at": _iso(new.received_at),
                    "status": state.status.value,
                    "due_at": _iso(state.due_at),
                },
            )
        ],
    )
    return DossierView(dossier, (event,), state)


async def append_events(
    session: AsyncSession,
    calendar: CalendarSnapshot,
    dossier_id: int,
    new: Sequence[NewEvent],
    *,
    actor: str,
    now: dt.datetime,
) -> Appended:
    """Append events after the recorded ones, all or nothing, once the domain accepts the whole
    history in order. Concurrent writers of one dossier queue on its row lock."""
    found = await repo.lock(session, dossier_id)
    if found is None:
        raise NotFound(f"no dossier with id {dossier_id}", field="id")
    dossier, history = found.dossier, found.events
    recorded = len(history)
    if recorded + len(new) > MAX_EVENTS:
        raise DomainError(
            f"a dossier holds at most {MAX_EVENTS} events; this one has {recorded}",
            field="events",
        )
    new = [
        dataclasses.replace(e, at=_whole_seconds(e.at), new_due_at=_whole_seconds(e.new_due_at))
        for e in new
    ]
    for index, event in enumerate(new):
        _not_in_future(event.at, now, f"events[{index}].at")
    events = [
        *(_domain_event(e) for e in history),
        *(DossierEvent(e.kind, e.at, e.new_due_at) for e in new),
    ]
    try:
        record = _fold(events, *_clock_of(dossier), calendar)
    except DomainError as exc:
        raise _renumbered(exc, recorded) from None
    state = state_as_of(record, max(now, record.last_event_at))
    notified = dossier.apology_notified_for
    columns = clock_columns(record, state, notified)
    columns["event_count"] = recorded + len(new)
    rows: list[dict[str, Any]] = [
        {
            "seq": recorded + index,
            "kind": event.kind.value,
            "at": event.at,
            "new_due_at": event.new_due_at,
            "note": event.note,
        }
        for index, event in enumerate(new)
    ]
    recorded_at = await repo.append(session, dossier_id, rows, columns, actor)
    appended = tuple(
        StoredEvent(row["seq"], row["kind"], row["at"], row["new_due_at"], row["note"], recorded_at)
        for row in rows
    )
    changes = [
        (
            "dossier.event",
            ENTITY,
            str(dossier_id),
            {
                **_about(dossier),
                "seq": event.seq,
                "kind": event.kind,
                "at": _iso(event.at),
                "new_due_at": _iso(event.new_due_at),
            },
        )
        for event in appended
    ]
    if state.status.value != dossier.status:
        changes.append(_status_changed(dossier, dossier.status, state, "event"))
    await feed.append(session, changes)
    return Appended(dossier_id, appended, DossierStatus(dossier.status), state)


def _clock_of(dossier: StoredDossier) -> tuple[ProcessingTime, OfficeSchedule]:
    return (
        ProcessingTime.of(dossier.processing_amount, dossier.processing_unit),
        schedule_named(dossier.schedule),
    )


def _record_of(found: DossierWithEvents, calendar: CalendarSnapshot) -> ClockRecord:
    events = [_domain_event(e) for e in found.events]
    return _fold(events, *_clock_of(found.dossier), calendar)


async def get_dossier(
    session: AsyncSession,
    calendar: CalendarSnapshot,
    dossier_id: int,
    *,
    as_of: dt.datetime | None,
    now: dt.datetime,
) -> DossierView:
    """A dossier, its events and its clock as of `as_of` (default: now), derived afresh."""
    found = await repo.get(session, dossier_id)
    if found is None:
        raise NotFound(f"no dossier with id {dossier_id}", field="id")
    record = _record_of(found, calendar)
    moment = as_of if as_of is not None else max(now, record.last_event_at)
    return DossierView(found.dossier, found.events, state_as_of(record, moment))


async def list_dossiers(
    session: AsyncSession,
    *,
    statuses: Sequence[DossierStatus],
    office: str | None,
    after: int,
    limit: int,
) -> Page:
    rows = await repo.page(
        session,
        statuses=[s.value for s in statuses],
        office=office,
        after=after,
        limit=limit + 1,
    )
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, items[-1].id if more else None)


# -- the scanner ----------------------------------------------------------------------------


def rescan(found: DossierWithEvents, calendar: CalendarSnapshot, now: dt.datetime) -> Rescan:
    """Re-derive a dossier's clock as of `now` (never earlier than it was last evaluated: a
    replayed scan does not move a status back) with the current calendar; one status change
    and one apology notice at most, each a feed event."""
    dossier = found.dossier
    record = _record_of(found, calendar)
    state = state_as_of(record, max(now, dossier.status_evaluated_at, record.last_event_at))
    changes: list[tuple[str, str, str, dict[str, Any]]] = []
    notified = dossier.apology_notified_for
    deadline = state.apology_deadline
    if (
        apology_pending(state, notified)
        and deadline is not None
        and state.as_of >= _midnight(deadline)
    ):
        notified = deadline
        changes.append(
            (
                "dossier.apology_due",
                ENTITY,
                str(dossier.id),
                {
                    **_about(dossier),
                    "apology_deadline": deadline.isoformat(),
                    # announced on a later day: the dossier was recorded (or its clock moved)
                    # after the deadline had passed
                    "late": state.as_of.date() > deadline,
                    "due_at": _iso(state.due_at),
                    "due_day": _iso(state.due_day),
                    "status": state.status.value,
                    "as_of": _iso(state.as_of),
                },
            )
        )
    if state.status.value != dossier.status:
        changes.append(_status_changed(dossier, dossier.status, state, "scan"))
    return Rescan(clock_columns(record, state, notified), changes)
