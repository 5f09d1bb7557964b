"""The statement that appends events to dossiers: each dossier's events, clock columns and feed
rows, applied only if it is still as folded; one dossier's in a request's own transaction, or
several at once (the group commit of app/services/dossier_appends.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories import feed
from app.db.repositories.dossiers import StoredDossier
from app.db.repositories.driver import Compiled, raw
from app.domain.values import value

# The clock columns that the statement sets from the folded clock (clock_columns, plus the
# event count).
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

# Each dossier's clock columns, events and feed rows apply only if it is still as folded; the
# rows of the others are written all the same. The appends travel as three JSON documents (the
# dossiers, their events, their feed rows; each row with its dossier's index `n`): three text
# parameters written by pydantic's encoder, where the driver took several times as long to
# encode a parameter array per column (bench/results/NOTE.md). The dossiers are also named by
# an array of their ids: the planner knows how many rows a bigint[] holds, not how many a JSON
# document does (it guesses 100), and on that guess it scanned the whole table for every
# statement, a hash join that grew with the table (1.5 ms of a statement's 2.8 at 4 000
# dossiers; bench/results/NOTE.md).
_APPEND = text(
    """
    WITH updated AS (
        UPDATE dossiers AS d SET
            rules = c.rules, status = c.status, clock = c.clock, due_at = c.due_at,
            statutory_due_at = c.statutory_due_at, apology_deadline = c.apology_deadline,
            apology_notified_for = c.apology_notified_for, completed_at = c.completed_at,
            acceptance_due_at = c.acceptance_due_at, flags = c.flags,
            last_event_at = c.last_event_at, status_evaluated_at = c.status_evaluated_at,
            next_check_at = c.next_check_at, calendar_revision = c.calendar_revision,
            event_count = c.event_count, updated_at = now()
        FROM jsonb_to_recordset(CAST(:dossiers AS jsonb)) AS c(
            n integer, id bigint, folded_count integer, folded_at timestamptz, rules text,
            status text, clock text, due_at timestamptz, statutory_due_at timestamptz,
            apology_deadline date, apology_notified_for date, completed_at timestamptz,
            acceptance_due_at timestamptz, flags text[], last_event_at timestamptz,
            status_evaluated_at timestamptz, next_check_at timestamptz,
            calendar_revision bigint, event_count integer)
        WHERE d.id = ANY(CAST(:ids AS bigint[]))
          AND d.id = c.id AND d.event_count = c.folded_count AND d.updated_at = c.folded_at
        RETURNING c.n, d.id
    ), inserted AS (
        INSERT INTO dossier_events (dossier_id, seq, kind, at, new_due_at, note, recorded_by)
        SELECT updated.id, e.seq, e.kind, e.at, e.new_due_at, e.note, e.recorded_by
        FROM updated JOIN jsonb_to_recordset(CAST(:events AS jsonb)) AS e(
            n integer, seq integer, kind text, at timestamptz, new_due_at timestamptz,
            note text, recorded_by text) ON e.n = updated.n
    ), locked AS (
        SELECT pg_advisory_xact_lock(:feed_lock) WHERE EXISTS (SELECT FROM updated)
    ), fed AS (
        INSERT INTO events (type, entity, entity_id, payload)
        SELECT f.type, f.entity, f.entity_id, f.payload
          FROM locked, jsonb_to_recordset(CAST(:feed AS jsonb)) AS f(
              n integer, o integer, type text, entity text, entity_id text, payload jsonb)
         WHERE f.n IN (SELECT n FROM updated)
         ORDER BY f.o
    )
    SELECT (SELECT array_agg(n) FROM updated), now()
    """
)
_APPEND_SQL = Compiled.of(_APPEND)


@value
class PlannedAppend:
    """One dossier's append, as `append` takes it."""

    folded: StoredDossier
    events: list[dict[str, Any]]
    clock: dict[str, Any]
    recorded_by: str
    changes: list[tuple[str, str, str, dict[str, Any]]]


async def append(session: AsyncSession, planned: PlannedAppend) -> dt.datetime | None:
    """Insert the events (dicts of seq, kind, at, new_due_at, note), update the dossier's clock
    columns and append the changes to the feed, in one statement (one round trip, all or
    nothing), if the dossier is still as folded (same event count, same last write); returns the
    statement's timestamp, which the events carry as `recorded_at`, or None (nothing written)
    when another writer changed the dossier since.

    Without a transaction on the session the statement is its own: it commits as it ends, and
    the feed lock it takes (see feed.append) is held only that long."""
    return (await append_many(await raw(session), [planned]))[0]


async def append_many(
    connection: Any, planned: Sequence[PlannedAppend]
) -> list[dt.datetime | None]:
    """`append` for several dossiers (distinct) in one statement, on a driver connection
    (app/db/repositories/driver.py): for each, the statement's timestamp, or None when another
    writer changed that dossier since it was folded."""
    sql, args = statement(planned)
    row = await connection.fetchrow(sql, *args)
    written = set(row[0] or ())
    return [row[1] if n in written else None for n in range(len(planned))]


def statement(planned: Sequence[PlannedAppend]) -> tuple[str, list[Any]]:
    """The append statement for `planned`: its SQL and its parameters, in order."""
    dossiers = [
        {
            "n": n,
            "id": p.folded.id,
            "folded_count": p.folded.event_count,
            "folded_at": p.folded.updated_at,
            **{name: p.clock[name] for name in _CLOCK_COLUMNS},
        }
        for n, p in enumerate(planned)
    ]
    events = [
        {**event, "n": n, "recorded_by": p.recorded_by}
        for n, p in enumerate(planned)
        for event in p.events
    ]
    fed = feed.rows([change for p in planned for change in p.changes])
    owners = (n for n, p in enumerate(planned) for _ in p.changes)
    for row, n in zip(fed, owners, strict=True):
        row["n"] = n  # the dossier whose write the row follows
    return _APPEND_SQL.sql, _APPEND_SQL.args(
        {
            "ids": [p.folded.id for p in planned],
            "dossiers": feed.document(dossiers),
            "events": feed.document(events),
            "feed": feed.document(fed),
            "feed_lock": feed.FEED_LOCK,
        }
    )
