"""Reading the change feed: the events after a cursor, oldest first."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Event
from app.db.repositories import feed


async def after(session: AsyncSession, cursor: int, limit: int) -> list[Event]:
    return await feed.after(session, cursor, limit)
