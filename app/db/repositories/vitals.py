"""Counts the metrics report: open and overdue records, the change feed's newest event.

Each is one index-backed statement (dossiers by `ix_dossiers_status_id`, obligations by their
status, the feed by its primary key), run by the scanner between passes, never by a scrape."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Dossier, Event, Obligation

OPEN_DOSSIER_STATUSES = ("on_time", "due_soon", "overdue")
OPEN_OBLIGATION_STATUSES = ("pending", "overdue")


async def dossiers_by_open_status(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(Dossier.status, func.count())
        .where(Dossier.status.in_(OPEN_DOSSIER_STATUSES))
        .group_by(Dossier.status)
    )
    found = {status: int(n) for status, n in rows}
    return {status: found.get(status, 0) for status in OPEN_DOSSIER_STATUSES}


async def obligations_by_open_status(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(Obligation.status, func.count())
        .where(Obligation.status.in_(OPEN_OBLIGATION_STATUSES))
        .group_by(Obligation.status)
    )
    found = {status: int(n) for status, n in rows}
    return {status: found.get(status, 0) for status in OPEN_OBLIGATION_STATUSES}


async def newest_event(session: AsyncSession) -> tuple[int, dt.datetime] | None:
    row = (
        await session.execute(select(Event.id, Event.at).order_by(Event.id.desc()).limit(1))
    ).first()
    return (int(row[0]), row[1]) if row is not None else None
