"""Use cases of the dossier clock: record a dossier and its events, read one, list them
(the clock columns and the scanner's re-evaluation are in dossier_clock).

The events are the record. Every write folds the whole history through the domain, which
validates the order (`fold_events`), and stores what it establishes as of now (status, due,
next check) next to it; nothing is written when the domain refuses. Each use case runs in the
caller's transaction: it flushes, never commits, and appends to the change feed last (event
ingest writes all of it in one statement, which is its own transaction when the caller has none).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories import dossier_appends as appends_repo
from app.db.repositories import dossiers as repo
from app.db.repositories import feed
from app.db.repositories import procedures as procedures_repo
from app.db.repositories.dossiers import (
    DossierWithEvents,
    StoredDossier,
    StoredEvent,
)
from app.domain.calendar import CalendarSnapshot
from app.domain.dossiers import (
    Appointment,
    Channel,
    DossierEvent,
    DossierFlag,
    DossierState,
    DossierStatus,
    EventKind,
    FoldedClock,
    compute_due,
    state_as_of,
)
from app.domain.dossiers.processing import TimeUnit
from app.domain.errors import Conflict, DomainError, NotFound
from app.domain.values import value
from app.services.dossier_appends import DossierAppends
from app.services.dossier_clock import (
    ENTITY,
    about,
    amount_number,
    clock_columns,
    flags_of,
    fold_kept,
    fold_onto,
    iso,
    processing_time,
    record_of,
    schedule_named,
    status_changed,
)
from app.services.dossier_histories import DossierHistories

# An event is recorded once it has happened; integrators' clocks may run a little ahead.
CLOCK_SKEW = dt.timedelta(minutes=5)
# A dossier's history is folded on every write; real ones hold a handful of events.
MAX_EVENTS = 200
_EVENT_FIELD = re.compile(r"events\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class NewDossier:
    office: str
    code: str
    procedure_code: str | None
    schedule: str
    amount: Decimal | None  # None: the catalog's processing time of `procedure_code`
    unit: str | None
    received_at: dt.datetime
    note: str | None = None
    channel: Channel = Channel.COUNTER


@value
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


@value
class Appended:
    dossier_id: int
    events: tuple[StoredEvent, ...]  # the new ones
    previous_status: DossierStatus
    state: DossierState


@dataclass(frozen=True, slots=True)
class Page:
    items: list[StoredDossier]
    next_cursor: int | None


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


# -- use cases ------------------------------------------------------------------------------


async def _with_catalog_processing(session: AsyncSession, new: NewDossier) -> NewDossier:
    """A dossier without `processing` takes its procedure's from the catalog."""
    code = new.procedure_code
    if code is None:
        raise DomainError(
            "processing is required unless procedure_code names a catalog entry",
            field="processing",
        )
    procedure = await procedures_repo.get(session, code)
    if procedure is None:
        raise DomainError(
            f"procedure {code} is not in the catalog: send processing", field="procedure_code"
        )
    if procedure.processing_amount is None or procedure.processing_unit is None:
        raise DomainError(
            f"the catalog gives no processing time for procedure {code}: send processing",
            field="processing",
        )
    unit = TimeUnit(procedure.processing_unit)
    return dataclasses.replace(new, amount=Decimal(procedure.processing_amount), unit=unit.value)


async def create_dossier(
    session: AsyncSession,
    calendar: CalendarSnapshot,
    new: NewDossier,
    *,
    actor: str,
    now: dt.datetime,
    histories: DossierHistories | None = None,
) -> DossierView:
    """Store a dossier and its `received` event; refuse a code its office already used. The
    new history is remembered once committed: the events that follow fold against it."""
    schedule = schedule_named(new.schedule)
    if new.amount is None or new.unit is None:
        new = await _with_catalog_processing(session, new)
    assert new.amount is not None and new.unit is not None
    processing = processing_time(new.amount, new.unit, "processing")
    new = dataclasses.replace(new, received_at=_whole_seconds(new.received_at))
    _not_in_future(new.received_at, now, "received_at")
    try:
        record, folded = fold_kept(
            [DossierEvent(EventKind.RECEIVED, new.received_at)],
            processing,
            schedule,
            calendar,
            new.channel,
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
        "channel": new.channel.value,
        "event_count": 1,
        "created_by": actor,
        **clock_columns(record, state, None),
    }
    dossier = await repo.insert_dossier(session, values)
    if dossier is None:
        raise Conflict(
            f"office {new.office!r} already has a dossier with code {new.code!r}", field="code"
        )
    dossier_id, created_at = dossier.id, dossier.created_at
    received = {
        "seq": 0,
        "kind": EventKind.RECEIVED.value,
        "at": new.received_at,
        "new_due_at": None,
        "note": new.note,
        "recorded_by": actor,
    }
    await repo.insert_events(session, dossier_id, [received])
    event = StoredEvent(0, "received", new.received_at, None, new.note, created_at)
    if histories is not None:
        histories.remember_on_commit(session, DossierWithEvents(dossier, (event,)), folded)
    await feed.append(
        session,
        [
            (
                "dossier.created",
                ENTITY,
                str(dossier_id),
                {
                    **about(dossier),
                    "procedure_code": dossier.procedure_code,
                    "schedule": dossier.schedule,
                    "processing": {
                        "amount": amount_number(processing.amount),
                        "unit": processing.unit.value,
                    },
                    "received_at": iso(new.received_at),
                    "channel": new.channel.value,
                    "status": state.status.value,
                    "due_at": iso(state.due_at),
                    "acceptance_due_at": iso(state.acceptance_due_at),
                    "forward_on": iso(state.forward_on),
                    "flags": flags_of(state),
                },
            )
        ],
    )
    return DossierView(dossier, (event,), state)


@value
class _Planned:
    """What appending `new` to one history establishes, ready to write."""

    rows: list[dict[str, Any]]
    columns: dict[str, Any]
    state: DossierState
    folded: FoldedClock


def _plan(
    found: DossierWithEvents,
    folded: FoldedClock | None,
    new: Sequence[NewEvent],
    calendar: CalendarSnapshot,
    now: dt.datetime,
) -> _Planned:
    """Fold the new events after the history (onto its clock as remembered, `folded`, when it
    holds) through the domain; DomainError if it refuses."""
    dossier, history = found.dossier, found.events
    recorded = len(history)
    if recorded + len(new) > MAX_EVENTS:
        raise DomainError(
            f"a dossier holds at most {MAX_EVENTS} events; this one has {recorded}",
            field="events",
        )
    try:
        record, after = fold_onto(
            found, folded, [DossierEvent(e.kind, e.at, e.new_due_at) for e in new], calendar
        )
    except DomainError as exc:
        raise _renumbered(exc, recorded) from None
    state = state_as_of(record, max(now, record.last_event_at))
    columns = clock_columns(record, state, dossier.apology_notified_for)
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
    return _Planned(rows, columns, state, after)


def _changes(
    dossier: StoredDossier, planned: _Planned
) -> list[tuple[str, str, str, dict[str, Any]]]:
    rows, state, flags = planned.rows, planned.state, planned.columns["flags"]
    changes = [
        (
            "dossier.event",
            ENTITY,
            str(dossier.id),
            {
                **about(dossier),
                "seq": row["seq"],
                "kind": row["kind"],
                "at": iso(row["at"]),
                "new_due_at": iso(row["new_due_at"]),
                # a supplement request beyond those allowed (ND 118/2025 Art. 11(2)(c))
                "breach": row["seq"] in state.supplement_breaches,
                "flags": flags,
            },
        )
        for row in rows
    ]
    changes.extend(
        (
            "dossier.supplement_breach",
            ENTITY,
            str(dossier.id),
            {
                **about(dossier),
                "seq": row["seq"],
                "at": iso(row["at"]),
                "rules": state.rules,
                "flags": flags,
            },
        )
        for row in rows
        if row["seq"] in state.supplement_breaches
    )
    if state.status.value != dossier.status:
        changes.append(status_changed(dossier, dossier.status, state, "event"))
    return changes


def _prepared(new: Sequence[NewEvent], now: dt.datetime) -> list[NewEvent]:
    new = [
        NewEvent(e.kind, _whole_seconds(e.at), _whole_seconds(e.new_due_at), e.note) for e in new
    ]
    for index, event in enumerate(new):
        _not_in_future(event.at, now, f"events[{index}].at")
    return new


def _written(found: DossierWithEvents, planned: _Planned, actor: str) -> appends_repo.PlannedAppend:
    """The append that writes the planned events with the clock columns and the feed rows."""
    dossier = found.dossier
    changes = _changes(dossier, planned)
    return appends_repo.PlannedAppend(dossier, planned.rows, planned.columns, actor, changes)


def _done(
    found: DossierWithEvents, planned: _Planned, recorded_at: dt.datetime
) -> tuple[Appended, DossierWithEvents]:
    """The answer, and the history as now committed."""
    dossier = found.dossier
    appended = tuple(
        StoredEvent(r["seq"], r["kind"], r["at"], r["new_due_at"], r["note"], recorded_at)
        for r in planned.rows
    )
    written = dataclasses.replace(dossier, **planned.columns, updated_at=recorded_at)
    answer = Appended(dossier.id, appended, DossierStatus(dossier.status), planned.state)
    return answer, DossierWithEvents(written, (*found.events, *appended))


async def append_events(
    session: AsyncSession,
    calendar: CalendarSnapshot,
    dossier_id: int,
    new: Sequence[NewEvent],
    *,
    actor: str,
    now: dt.datetime,
    histories: DossierHistories | None = None,
) -> Appended:
    """Append events after the recorded ones, all or nothing, once the domain accepts the whole
    history in order.

    The history folded is, in turn: the one this replica remembers, the committed one, and the
    committed one under the dossier's row lock. The events, the clock columns and the feed rows
    are written by one statement that applies only if the dossier is still as folded (see
    app/db/repositories/dossier_appends.py); when it is not, or when the domain refuses the
    remembered history (which may be stale), the next source is tried. A refusal is only ever
    given on a committed history, and under the lock the statement cannot miss: concurrent
    writers of one dossier queue there.
    Without a transaction on the session, the remembered case is one round trip, its own
    transaction."""
    new = _prepared(new, now)
    remembered = histories.get(dossier_id) if histories is not None else None
    for source in ("remembered", "committed", "locked"):
        if source == "remembered":
            found = remembered
            if found is None:
                continue
        elif source == "committed":
            found = await repo.committed(session, dossier_id)
        else:
            found = await repo.lock(session, dossier_id)
        if found is None:
            raise NotFound(f"no dossier with id {dossier_id}", field="id")
        folded = histories.folded(found) if histories is not None else None
        try:
            planned = _plan(found, folded, new, calendar, now)
        except DomainError:
            if histories is not None and source == "remembered":
                histories.forget(dossier_id)  # stale, or the events are refused anyway
                continue
            raise
        write = _written(found, planned, actor)
        recorded_at = await appends_repo.append(session, write)
        if recorded_at is not None:
            break
        if histories is not None and source == "remembered":
            histories.forget(dossier_id)
        elif source == "locked":  # the row lock is held: nobody can have changed the dossier
            raise RuntimeError(f"dossier {dossier_id} changed under its row lock")
    else:  # pragma: no cover - the locked source either writes or raises
        raise RuntimeError("unreachable")
    answer, history = _done(found, planned, recorded_at)
    if histories is not None:
        histories.remember_on_commit(session, history, planned.folded)
    return answer


async def append_events_alone(
    sessions: Callable[[], AsyncSession],
    calendar: CalendarSnapshot,
    dossier_id: int,
    new: Sequence[NewEvent],
    *,
    actor: str,
    now: dt.datetime,
    histories: DossierHistories,
    appends: DossierAppends,
) -> Appended:
    """`append_events` as a transaction of its own (nothing else of the request is written):
    the append goes with those of other requests waiting beside it (`appends`, a group commit),
    folded on the history this replica remembers, else on the committed one (read on a session
    of its own); when the dossier changed again since that read, `append_events`, which ends
    under the dossier's row lock."""
    new = _prepared(new, now)
    found = histories.get(dossier_id)
    for source in ("remembered", "committed"):
        if source == "committed":
            async with sessions() as session:
                found = await repo.committed(session, dossier_id)
            if found is None:
                raise NotFound(f"no dossier with id {dossier_id}", field="id")
        elif found is None:
            continue
        try:
            planned = _plan(found, histories.folded(found), new, calendar, now)
        except DomainError:
            if source == "committed":
                raise
            histories.forget(dossier_id)  # stale, or the events are refused anyway
            continue
        write = _written(found, planned, actor)
        recorded_at = await appends.append(write)
        if recorded_at is not None:
            answer, history = _done(found, planned, recorded_at)
            histories.remember(history, planned.folded)  # committed already
            return answer
        histories.forget(dossier_id)
    async with sessions() as session:
        answer = await append_events(
            session, calendar, dossier_id, new, actor=actor, now=now, histories=histories
        )
        await session.commit()
    return answer


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
    record = record_of(found, calendar)
    moment = as_of if as_of is not None else max(now, record.last_event_at)
    return DossierView(found.dossier, found.events, state_as_of(record, moment))


async def dossier_id_by_code(session: AsyncSession, office: str, code: str) -> int:
    found = await repo.id_by_code(session, office, code)
    if found is None:
        raise NotFound(f"office {office!r} has no dossier with code {code!r}", field="code")
    return found


async def list_dossiers(
    session: AsyncSession,
    *,
    statuses: Sequence[DossierStatus],
    office: str | None,
    after: int,
    limit: int,
    flags: Sequence[DossierFlag] = (),
) -> Page:
    rows = await repo.page(
        session,
        statuses=[s.value for s in statuses],
        flags=[f.value for f in flags],
        office=office,
        after=after,
        limit=limit + 1,
    )
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, items[-1].id if more else None)
