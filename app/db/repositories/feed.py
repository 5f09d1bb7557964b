"""The change feed: append events in commit order, read them by cursor."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Event

# Event writers take this transaction-scoped lock before inserting: ids are then handed out in
# commit order, so a reader that has seen id N will never later find a committed id below N
# (no gap for a client resuming from any cursor, even while writes are in flight).
_FEED_LOCK = 0x66_65_65_64  # "feed"
# Statements of other repositories that append to the feed in their own CTE take it too.
FEED_LOCK = _FEED_LOCK


def document(value: Any) -> str:
    """JSON as payloads are stored, and as rows for jsonb_to_recordset travel: dates and
    date-times in ISO 8601, which PostgreSQL reads back exactly (pydantic's encoder: a fifth of
    the json module's time with date-times to render, on the event ingest's path)."""
    return to_json(value).decode()


def rows(events: list[tuple[str, str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """(type, entity, entity_id, payload) events as the rows a statement reads from a JSON
    document with jsonb_to_recordset (`_APPEND`, and the dossier append's), `o` their order."""
    return [
        {"o": o, "type": kind, "entity": entity, "entity_id": entity_id, "payload": payload}
        for o, (kind, entity, entity_id, payload) in enumerate(events)
    ]


async def append(session: AsyncSession, events: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Append (type, entity, entity_id, payload) events; call last in the use case.

    One statement: the lock is taken (in the CTE) before any id is drawn."""
    if not events:
        return
    await session.execute(_APPEND, {"k": _FEED_LOCK, "rows": document(rows(events))})


_APPEND = text(
    """
    WITH locked AS (SELECT pg_advisory_xact_lock(:k))
    INSERT INTO events (type, entity, entity_id, payload)
    SELECT e.type, e.entity, e.entity_id, e.payload
      FROM locked, jsonb_to_recordset(CAST(:rows AS jsonb)) AS e(
          o integer, type text, entity text, entity_id text, payload jsonb)
     ORDER BY e.o
    """
)


async def after(session: AsyncSession, cursor: int, limit: int) -> list[Event]:
    return list(
        await session.scalars(
            select(Event).where(Event.id > cursor).order_by(Event.id).limit(limit)
        )
    )


async def last_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) or 0)
