"""The change feed: append events in commit order, read them by cursor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Event

# Event writers take this transaction-scoped lock before inserting: ids are then handed out in
# commit order, so a reader that has seen id N will never later find a committed id below N
# (no gap for a client resuming from any cursor, even while writes are in flight).
_FEED_LOCK = 0x66_65_65_64  # "feed"


async def append(session: AsyncSession, events: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Append (type, entity, entity_id, payload) events; call last in the use case."""
    if not events:
        return
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _FEED_LOCK})
    await session.execute(
        insert(Event),
        [{"type": t, "entity": e, "entity_id": i, "payload": p} for t, e, i, p in events],
    )


async def after(session: AsyncSession, cursor: int, limit: int) -> list[Event]:
    return list(
        await session.scalars(
            select(Event).where(Event.id > cursor).order_by(Event.id).limit(limit)
        )
    )


async def last_id(session: AsyncSession) -> int:
    return int(await session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) or 0)
