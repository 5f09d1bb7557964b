"""Queries on dossiers and their clock events.

Rows are read into plain records (no identity map): event ingest is a hot write path and a
dossier is always read whole, events included, in one round trip. The statements of that path
(read, read-and-lock, and the appends of app/db/repositories/dossier_appends.py) are written
with SQLAlchemy like the others, compiled once for asyncpg, and run on the session's own
connection through the driver (app/db/repositories/driver.py): the per-statement work of the
ORM session was the larger part of an ingest's cost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import fields
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import CalendarRevision, Dossier, DossierEvent
from app.db.repositories.driver import Compiled, in_transaction, raw
from app.domain.values import value

_D = cast(Table, Dossier.__table__)
_E = cast(Table, DossierEvent.__table__)


@value
class StoredEvent:
    seq: int
    kind: str
    at: dt.datetime
    new_due_at: dt.datetime | None
    note: str | None
    recorded_at: dt.datetime


@value
class StoredDossier:
    id: int
    office: str
    code: str
    procedure_code: str | None
    schedule: str
    processing_amount: Decimal
    processing_unit: str
    received_at: dt.datetime
    channel: str
    rules: str
    status: str
    clock: str
    due_at: dt.datetime | None
    statutory_due_at: dt.datetime | None
    apology_deadline: dt.date | None
    apology_notified_for: dt.date | None
    completed_at: dt.datetime | None
    acceptance_due_at: dt.datetime | None
    flags: list[str]
    # tracked, or why the scanner cannot follow it: beyond_calendar, unevaluable
    tracking: str
    event_count: int
    last_event_at: dt.datetime
    status_evaluated_at: dt.datetime
    next_check_at: dt.datetime | None
    calendar_revision: int
    created_at: dt.datetime
    # Set by every write of the row (its transaction's now()): with event_count, what an event
    # writer checks to know the row is still the one it folded against. None: not read back.
    updated_at: dt.datetime | None


@value
class DossierWithEvents:
    dossier: StoredDossier
    events: tuple[StoredEvent, ...]


_DOSSIER_COLUMNS = [_D.c[f.name] for f in fields(StoredDossier)]
_EVENT_COLUMNS = [_E.c[f.name] for f in fields(StoredEvent)]
_EVENT_LABELS = [column.label(f"e_{column.name}") for column in _EVENT_COLUMNS]


def _dossier(row: Sequence[Any]) -> StoredDossier:
    return StoredDossier(*row[: len(_DOSSIER_COLUMNS)])


def _event(values: Sequence[Any]) -> StoredEvent:
    return StoredEvent(*values)


def _with_events(rows: Sequence[Sequence[Any]]) -> DossierWithEvents | None:
    if not rows:
        return None
    width = len(_DOSSIER_COLUMNS)
    return DossierWithEvents(
        _dossier(rows[0]),
        tuple(_event(row[width:]) for row in rows if row[width] is not None),
    )


# Built once: a statement object reused with parameters skips SQLAlchemy's per-call cache-key
# work (event ingest reads a dossier on every write).
_WHOLE = (
    select(*_DOSSIER_COLUMNS, *_EVENT_LABELS)
    .select_from(_D.outerjoin(_E, _E.c.dossier_id == _D.c.id))
    .where(_D.c.id == bindparam("dossier_id"))
    .order_by(_E.c.seq)
)
_LOCKED = _WHOLE.with_for_update(of=_D)


_WHOLE_SQL = Compiled.of(_WHOLE)
_LOCKED_SQL = Compiled.of(_LOCKED)


async def get(session: AsyncSession, dossier_id: int) -> DossierWithEvents | None:
    """A dossier with its events in order, in one round trip."""
    return _with_events(await (await in_transaction(session)).fetch(_WHOLE_SQL.sql, dossier_id))


async def id_by_code(session: AsyncSession, office: str, code: str) -> int | None:
    """The id of an office's dossier by its code (the unique (office, code) index)."""
    found = await session.scalar(
        select(Dossier.id).where(Dossier.office == office, Dossier.code == code)
    )
    return int(found) if found is not None else None


async def committed(session: AsyncSession, dossier_id: int) -> DossierWithEvents | None:
    """The same, as last committed, without opening a transaction when the session has none
    (a statement of its own: the dossier row and its events are read at one instant)."""
    return _with_events(await (await raw(session)).fetch(_WHOLE_SQL.sql, dossier_id))


async def lock(session: AsyncSession, dossier_id: int) -> DossierWithEvents | None:
    """The same, locking the dossier until the transaction ends: event writers of one dossier
    queue here, so each folds the history the previous one committed.

    A writer that waited for the lock gets the dossier row as committed by the one before it,
    but (READ COMMITTED) the joined events as of its own statement's start; their count then
    falls short of the row's event_count, and the events are read again, now that the lock is
    held (the rare, contended case costs one more round trip)."""
    found = _with_events(await (await in_transaction(session)).fetch(_LOCKED_SQL.sql, dossier_id))
    if found is None or len(found.events) == found.dossier.event_count:
        return found
    events = await _events_of(session, [dossier_id])
    return DossierWithEvents(found.dossier, tuple(events[dossier_id]))


async def insert_dossier(session: AsyncSession, values: dict[str, Any]) -> StoredDossier | None:
    """Insert a dossier; its record as stored (the database's defaults and timestamps, as a
    later read would give it), or None when its office already has a dossier with that code
    (the unique key decides, so two concurrent writers cannot both succeed)."""
    statement = (
        insert(_D)
        .values(values)
        .on_conflict_do_nothing(index_elements=[_D.c.office, _D.c.code])
        .returning(*_DOSSIER_COLUMNS)
    )
    row = (await session.execute(statement)).first()
    return _dossier(row) if row is not None else None


async def insert_events(
    session: AsyncSession, dossier_id: int, events: list[dict[str, Any]]
) -> None:
    await session.execute(insert(_E), [{"dossier_id": dossier_id, **e} for e in events])


async def update_clocks(session: AsyncSession, changes: list[dict[str, Any]]) -> None:
    """Update the clock columns of several dossiers (each dict has `dossier_id`)."""
    if not changes:
        return
    statement = (
        update(_D)
        .where(_D.c.id == bindparam("dossier_id"))
        .values({name: bindparam(name) for name in changes[0] if name != "dossier_id"})
        .values(updated_at=func.now())
    )
    await session.execute(statement, changes)


async def park(session: AsyncSession, ids: list[int], revision: int, tracking: str) -> None:
    """Mark dossiers the scanner cannot evaluate (`tracking` says why); they are looked at
    again at their next write or when the calendar changes."""
    if ids:
        await session.execute(
            update(_D)
            .where(_D.c.id.in_(ids))
            .values(
                next_check_at=None,
                calendar_revision=revision,
                tracking=tracking,
                updated_at=func.now(),
            )
        )


async def page(
    session: AsyncSession,
    *,
    statuses: Sequence[str],
    office: str | None,
    after: int,
    limit: int,
    flags: Sequence[str] = (),
) -> list[StoredDossier]:
    """Dossiers by id after a cursor (keyset pagination), filtered on the persisted status
    (any of `statuses`) and flags (all of `flags`)."""
    statement = select(*_DOSSIER_COLUMNS).where(_D.c.id > after)
    if statuses:
        statement = statement.where(_D.c.status.in_(statuses))
    if flags:
        statement = statement.where(_D.c.flags.contains(list(flags)))
    if office is not None:
        statement = statement.where(_D.c.office == office)
    rows = await session.execute(statement.order_by(_D.c.id).limit(limit))
    return [_dossier(row) for row in rows]


async def _events_of(session: AsyncSession, ids: list[int]) -> dict[int, list[StoredEvent]]:
    found: dict[int, list[StoredEvent]] = {i: [] for i in ids}
    rows = await session.execute(
        select(_E.c.dossier_id, *_EVENT_COLUMNS)
        .where(_E.c.dossier_id.in_(ids))
        .order_by(_E.c.dossier_id, _E.c.seq)
    )
    for row in rows:
        found[row[0]].append(_event(row[1:]))
    return found


async def _claimed(session: AsyncSession, statement: Any) -> list[DossierWithEvents]:
    dossiers = [_dossier(row) for row in await session.execute(statement)]
    if not dossiers:
        return []
    events = await _events_of(session, [d.id for d in dossiers])
    return [DossierWithEvents(d, tuple(events[d.id])) for d in dossiers]


async def claim_due(
    session: AsyncSession, now: dt.datetime, limit: int, skip: Sequence[int] = ()
) -> list[DossierWithEvents]:
    """Dossiers whose next check has come, locked; rows another transaction holds are skipped
    (FOR UPDATE SKIP LOCKED), so concurrent scanners never take the same dossier."""
    statement = select(*_DOSSIER_COLUMNS).where(_D.c.next_check_at <= now)
    if skip:
        statement = statement.where(_D.c.id.not_in(list(skip)))
    statement = (
        statement.order_by(_D.c.next_check_at).limit(limit).with_for_update(skip_locked=True)
    )
    return await _claimed(session, statement)


async def claim_stale(
    session: AsyncSession, revision: int, limit: int, skip: Sequence[int] = ()
) -> list[DossierWithEvents]:
    """Open dossiers last evaluated on another calendar revision, locked (SKIP LOCKED)."""
    statement = select(*_DOSSIER_COLUMNS).where(
        _D.c.clock != "stopped", _D.c.calendar_revision != revision
    )
    if skip:
        statement = statement.where(_D.c.id.not_in(list(skip)))
    statement = statement.order_by(_D.c.id).limit(limit).with_for_update(skip_locked=True)
    return await _claimed(session, statement)


async def calendar_stamp(session: AsyncSession) -> tuple[int, dt.datetime]:
    """The calendar's revision and when it was bumped: together they name one calendar, even
    where a revision number comes back after a rolled-back change."""
    row = (
        await session.execute(
            select(CalendarRevision.revision, CalendarRevision.changed_at).where(
                CalendarRevision.id == 1
            )
        )
    ).one()
    return int(row[0]), row[1]
