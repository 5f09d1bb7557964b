"""The statements that append events to dossiers: one dossier's (its events, its clock columns
and its feed rows in one statement, applied only if it is still as folded), and several
dossiers' at once (the group commit of app/services/dossier_appends.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, DateTime, Text, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories import feed
from app.db.repositories.dossiers import StoredDossier
from app.db.repositories.driver import Compiled, raw

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


_APPEND_SQL = Compiled.of(_APPEND)


@dataclass(frozen=True, slots=True)
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
    folded, events = planned.folded, planned.events
    params = {
        "dossier_id": folded.id,
        "folded_count": folded.event_count,
        "folded_at": folded.updated_at,
        "recorded_by": planned.recorded_by,
        "seqs": [e["seq"] for e in events],
        "kinds": [e["kind"] for e in events],
        "ats": [e["at"] for e in events],
        "new_dues": [e["new_due_at"] for e in events],
        "notes": [e["note"] for e in events],
        "feed_lock": feed.FEED_LOCK,
        **feed.columns(planned.changes),
        **{name: planned.clock[name] for name in _CLOCK_COLUMNS},
    }
    recorded_at: dt.datetime | None = await (await raw(session)).fetchval(
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
_APPEND_MANY_SQL = Compiled.of(_APPEND_MANY)


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
    row = await (await raw(session)).fetchrow(_APPEND_MANY_SQL.sql, *_APPEND_MANY_SQL.args(params))
    written = set(row[0] or ())
    return [row[1] if n in written else None for n in range(len(planned))]
