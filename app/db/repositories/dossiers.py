"""Queries on dossiers and their clock events.

Rows are read into plain records (no identity map): event ingest is a hot write path and a
dossier is always read whole, events included, in one round trip. The statements of that path
(read, read-and-lock, the conditional append) are written with SQLAlchemy like the others,
compiled once for asyncpg, and run on the session's own connection through the driver: the
per-statement work of the ORM session was the larger part of an ingest's cost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Date, DateTime, Table, Text, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import CalendarRevision, Dossier, DossierEvent
from app.db.repositories import feed

_D = cast(Table, Dossier.__table__)
_E = cast(Table, DossierEvent.__table__)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    seq: int
    kind: str
    at: dt.datetime
    new_due_at: dt.datetime | None
    note: str | None
    recorded_at: dt.datetime


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class DossierWithEvents:
    dossier: StoredDossier
    events: tuple[StoredEvent, ...]


_DOSSIER_COLUMNS = [_D.c[name] for name in StoredDossier.__slots__]
_EVENT_COLUMNS = [_E.c[name] for name in StoredEvent.__slots__]
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


_ASYNCPG = asyncpg_dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement compiled once for asyncpg: its SQL and the order of its parameters."""

    sql: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, statement: Any) -> _Compiled:
        compiled = statement.compile(dialect=_ASYNCPG)
        return cls(str(compiled), tuple(compiled.positiontup or ()))

    def args(self, params: dict[str, Any]) -> list[Any]:
        return [params[name] for name in self.names]


async def _raw(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, as it is: inside the session's transaction if
    one was begun, else running each statement as its own transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def _driver(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, inside its transaction (begun if need be).

    SQLAlchemy's asyncpg adapter sends BEGIN lazily, with the first statement *it* runs; a
    statement sent straight to the driver before that would run in autocommit, and a
    FOR UPDATE lock taken by it would be released at once. So BEGIN is sent here first."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    adapted: Any = raw.dbapi_connection
    if getattr(adapted, "_transaction", True) is None:
        await adapted._start_transaction()  # the adapter's own BEGIN, tracked by it
    return raw.driver_connection


_WHOLE_SQL = _Compiled.of(_WHOLE)
_LOCKED_SQL = _Compiled.of(_LOCKED)


async def get(session: AsyncSession, dossier_id: int) -> DossierWithEvents | None:
    """A dossier with its events in order, in one round trip."""
    return _with_events(await (await _driver(session)).fetch(_WHOLE_SQL.sql, dossier_id))


async def id_by_code(session: AsyncSession, office: str, code: str) -> int | None:
    """The id of an office's dossier by its code (the unique (office, code) index)."""
    found = await session.scalar(
        select(Dossier.id).where(Dossier.office == office, Dossier.code == code)
    )
    return int(found) if found is not None else None


async def committed(session: AsyncSession, dossier_id: int) -> DossierWithEvents | None:
    """The same, as last committed, without opening a transaction when the session has none
    (a statement of its own: the dossier row and its events are read at one instant)."""
    return _with_events(await (await _raw(session)).fetch(_WHOLE_SQL.sql, dossier_id))


async def lock(session: AsyncSession, dossier_id: int) -> DossierWithEvents | None:
    """The same, locking the dossier until the transaction ends: event writers of one dossier
    queue here, so each folds the history the previous one committed.

    A writer that waited for the lock gets the dossier row as committed by the one before it,
    but (READ COMMITTED) the joined events as of its own statement's start; their count then
    falls short of the row's event_count, and the events are read again, now that the lock is
    held (the rare, contended case costs one more round trip)."""
    found = _with_events(await (await _driver(session)).fetch(_LOCKED_SQL.sql, dossier_id))
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


# Events and the clock columns in one statement, its shape fixed whatever the number of events
# (arrays, not a VALUES list per row): compiled once, then cached.
_CLOCK_COLUMNS = (
    "rules",
    "status",
    "clock",
    "due_at",
    "statutory_due_at",
    "apology_deadline",
    "apology_notified_for",
    "completed_at",
    "acceptance_due_at",
    "flags",
    "last_event_at",
    "status_evaluated_at",
    "next_check_at",
    "calendar_revision",
    "event_count",
)
_APPEND = text(
    """
    WITH updated AS (
        UPDATE dossiers SET
            rules = :rules, status = :status, clock = :clock, due_at = :due_at,
            statutory_due_at = :statutory_due_at, apology_deadline = :apology_deadline,
            apology_notified_for = :apology_notified_for, completed_at = :completed_at,
            acceptance_due_at = :acceptance_due_at, flags = CAST(:flags AS text[]),
            last_event_at = :last_event_at, status_evaluated_at = :status_evaluated_at,
            next_check_at = :next_check_at, calendar_revision = :calendar_revision,
            event_count = :event_count, updated_at = now()
        WHERE id = :dossier_id AND event_count = :folded_count AND updated_at = :folded_at
        RETURNING id
    ), inserted AS (
        INSERT INTO dossier_events (dossier_id, seq, kind, at, new_due_at, note, recorded_by)
        SELECT updated.id, e.seq, e.kind, e.at, e.new_due_at, e.note, :recorded_by
        FROM updated, unnest(
            CAST(:seqs AS integer[]), CAST(:kinds AS text[]), CAST(:ats AS timestamptz[]),
            CAST(:new_dues AS timestamptz[]), CAST(:notes AS text[])
        ) AS e(seq, kind, at, new_due_at, note)
    ), locked AS (
        SELECT pg_advisory_xact_lock(:feed_lock) FROM updated
    ), fed AS (
        INSERT INTO events (type, entity, entity_id, payload)
        SELECT f.type, f.entity, f.entity_id, f.payload::jsonb
          FROM locked,
               unnest(CAST(:types AS text[]), CAST(:entities AS text[]), CAST(:ids AS text[]),
                      CAST(:payloads AS text[])) WITH ORDINALITY
                   AS f(type, entity, entity_id, payload, n)
         ORDER BY f.n
    )
    SELECT now() FROM updated
    """
).bindparams(
    bindparam("ats", type_=ARRAY(DateTime(timezone=True))),
    bindparam("new_dues", type_=ARRAY(DateTime(timezone=True))),
    bindparam("due_at", type_=DateTime(timezone=True)),
    bindparam("statutory_due_at", type_=DateTime(timezone=True)),
    bindparam("completed_at", type_=DateTime(timezone=True)),
    bindparam("acceptance_due_at", type_=DateTime(timezone=True)),
    bindparam("flags", type_=ARRAY(Text())),
    bindparam("last_event_at", type_=DateTime(timezone=True)),
    bindparam("status_evaluated_at", type_=DateTime(timezone=True)),
    bindparam("next_check_at", type_=DateTime(timezone=True)),
    bindparam("folded_at", type_=DateTime(timezone=True)),
    bindparam("apology_deadline", type_=Date()),
    bindparam("apology_notified_for", type_=Date()),
)


_APPEND_SQL = _Compiled.of(_APPEND)


async def append(
    session: AsyncSession,
    folded: StoredDossier,
    events: list[dict[str, Any]],
    clock: dict[str, Any],
    recorded_by: str,
    changes: list[tuple[str, str, str, dict[str, Any]]],
) -> dt.datetime | None:
    """Insert events (dicts of seq, kind, at, new_due_at, note), update the dossier's clock
    columns and append `changes` to the feed, in one statement (one round trip, all or nothing),
    if the dossier is still as `folded` (same event count, same last write); returns the
    statement's timestamp, which the events carry as `recorded_at`, or None (nothing written)
    when another writer changed the dossier since.

    Without a transaction on the session the statement is its own: it commits as it ends, and
    the feed lock it takes (see feed.append) is held only that long."""
    params = {
        "dossier_id": folded.id,
        "folded_count": folded.event_count,
        "folded_at": folded.updated_at,
        "recorded_by": recorded_by,
        "seqs": [e["seq"] for e in events],
        "kinds": [e["kind"] for e in events],
        "ats": [e["at"] for e in events],
        "new_dues": [e["new_due_at"] for e in events],
        "notes": [e["note"] for e in events],
        "feed_lock": feed.FEED_LOCK,
        **feed.columns(changes),
        **{name: clock[name] for name in _CLOCK_COLUMNS},
    }
    recorded_at: dt.datetime | None = await (await _raw(session)).fetchval(
        _APPEND_SQL.sql, *_APPEND_SQL.args(params)
    )
    return recorded_at


# The same for several dossiers at once (the group commit of app/services/dossier_appends.py):
# each dossier's clock columns, events and feed rows apply only if it is still as folded; the
# rows of the others are written all the same. Per-dossier values are arrays indexed by `n`;
# flags, an array each, travel as array literals.
_APPEND_MANY = text(
    """
    WITH updated AS (
        UPDATE dossiers AS d SET
            rules = c.rules, status = c.status, clock = c.clock, due_at = c.due_at,
            statutory_due_at = c.statutory_due_at, apology_deadline = c.apology_deadline,
            apology_notified_for = c.apology_notified_for, completed_at = c.completed_at,
            acceptance_due_at = c.acceptance_due_at, flags = c.flags::text[],
            last_event_at = c.last_event_at, status_evaluated_at = c.status_evaluated_at,
            next_check_at = c.next_check_at, calendar_revision = c.calendar_revision,
            event_count = c.event_count, updated_at = now()
        FROM unnest(
            CAST(:n AS integer[]), CAST(:dossier_ids AS bigint[]),
            CAST(:folded_counts AS integer[]), CAST(:folded_ats AS timestamptz[]),
            CAST(:rules AS text[]), CAST(:status AS text[]), CAST(:clock AS text[]),
            CAST(:due_at AS timestamptz[]), CAST(:statutory_due_at AS timestamptz[]),
            CAST(:apology_deadline AS date[]), CAST(:apology_notified_for AS date[]),
            CAST(:completed_at AS timestamptz[]), CAST(:acceptance_due_at AS timestamptz[]),
            CAST(:flags AS text[]), CAST(:last_event_at AS timestamptz[]),
            CAST(:status_evaluated_at AS timestamptz[]), CAST(:next_check_at AS timestamptz[]),
            CAST(:calendar_revision AS bigint[]), CAST(:event_count AS integer[])
        ) AS c(n, id, folded_count, folded_at, rules, status, clock, due_at, statutory_due_at,
               apology_deadline, apology_notified_for, completed_at, acceptance_due_at, flags,
               last_event_at, status_evaluated_at, next_check_at, calendar_revision,
               event_count)
        WHERE d.id = c.id AND d.event_count = c.folded_count AND d.updated_at = c.folded_at
        RETURNING c.n, d.id
    ), inserted AS (
        INSERT INTO dossier_events (dossier_id, seq, kind, at, new_due_at, note, recorded_by)
        SELECT updated.id, e.seq, e.kind, e.at, e.new_due_at, e.note, e.recorded_by
        FROM updated JOIN unnest(
            CAST(:e_n AS integer[]), CAST(:seqs AS integer[]), CAST(:kinds AS text[]),
            CAST(:ats AS timestamptz[]), CAST(:new_dues AS timestamptz[]),
            CAST(:notes AS text[]), CAST(:recorded_bys AS text[])
        ) AS e(n, seq, kind, at, new_due_at, note, recorded_by) ON e.n = updated.n
    ), locked AS (
        SELECT pg_advisory_xact_lock(:feed_lock) WHERE EXISTS (SELECT FROM updated)
    ), fed AS (
        INSERT INTO events (type, entity, entity_id, payload)
        SELECT f.type, f.entity, f.entity_id, f.payload::jsonb
          FROM locked,
               unnest(CAST(:f_n AS integer[]), CAST(:types AS text[]),
                      CAST(:entities AS text[]), CAST(:ids AS text[]),
                      CAST(:payloads AS text[])) WITH ORDINALITY
                   AS f(n, type, entity, entity_id, payload, o)
         WHERE f.n IN (SELECT n FROM updated)
         ORDER BY f.o
    )
    SELECT (SELECT array_agg(n) FROM updated), now()
    """
).bindparams(
    bindparam("folded_ats", type_=ARRAY(DateTime(timezone=True))),
    bindparam("ats", type_=ARRAY(DateTime(timezone=True))),
    bindparam("new_dues", type_=ARRAY(DateTime(timezone=True))),
    *(
        bindparam(name, type_=ARRAY(DateTime(timezone=True)))
        for name in (
            "due_at",
            "statutory_due_at",
            "completed_at",
            "acceptance_due_at",
            "last_event_at",
            "status_evaluated_at",
            "next_check_at",
        )
    ),
    bindparam("apology_deadline", type_=ARRAY(Date())),
    bindparam("apology_notified_for", type_=ARRAY(Date())),
)
_APPEND_MANY_SQL = _Compiled.of(_APPEND_MANY)


@dataclass(frozen=True, slots=True)
class PlannedAppend:
    """One dossier's append, as `append` takes it."""

    folded: StoredDossier
    events: list[dict[str, Any]]
    clock: dict[str, Any]
    recorded_by: str
    changes: list[tuple[str, str, str, dict[str, Any]]]


async def append_many(
    session: AsyncSession, planned: Sequence[PlannedAppend]
) -> list[dt.datetime | None]:
    """`append` for several dossiers (distinct), in one statement: for each, the statement's
    timestamp, or None when another writer changed that dossier since it was folded."""
    events = [(n, e, p.recorded_by) for n, p in enumerate(planned) for e in p.events]
    changes = [(n, c) for n, p in enumerate(planned) for c in p.changes]
    params = {
        "n": list(range(len(planned))),
        "dossier_ids": [p.folded.id for p in planned],
        "folded_counts": [p.folded.event_count for p in planned],
        "folded_ats": [p.folded.updated_at for p in planned],
        **{name: [p.clock[name] for p in planned] for name in _CLOCK_COLUMNS if name != "flags"},
        "flags": ["{" + ",".join(p.clock["flags"]) + "}" for p in planned],
        "e_n": [n for n, _, _ in events],
        "seqs": [e["seq"] for _, e, _ in events],
        "kinds": [e["kind"] for _, e, _ in events],
        "ats": [e["at"] for _, e, _ in events],
        "new_dues": [e["new_due_at"] for _, e, _ in events],
        "notes": [e["note"] for _, e, _ in events],
        "recorded_bys": [by for _, _, by in events],
        "f_n": [n for n, _ in changes],
        "feed_lock": feed.FEED_LOCK,
        **feed.columns([c for _, c in changes]),
    }
    row = await (await _raw(session)).fetchrow(_APPEND_MANY_SQL.sql, *_APPEND_MANY_SQL.args(params))
    written = set(row[0] or ())
    return [row[1] if n in written else None for n in range(len(planned))]


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
