"""Queries on calendar notices and the adjustments that are their entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import CalendarAdjustment, CalendarNotice


async def current(session: AsyncSession, number: str) -> CalendarNotice | None:
    """The notice's latest version (withdrawn or not)."""
    return await session.scalar(
        select(CalendarNotice).where(CalendarNotice.number == number, CalendarNotice.current)
    )


async def listing(session: AsyncSession, year: int | None = None) -> list[CalendarNotice]:
    query = select(CalendarNotice).where(CalendarNotice.current)
    if year is not None:
        query = query.where(CalendarNotice.decides_years.contains([year]))
    return list(
        await session.scalars(query.order_by(CalendarNotice.decides_years, CalendarNotice.number))
    )


async def versions(session: AsyncSession, number: str) -> list[CalendarNotice]:
    return list(
        await session.scalars(
            select(CalendarNotice)
            .where(CalendarNotice.number == number)
            .order_by(CalendarNotice.version)
        )
    )


async def save_version(session: AsyncSession, values: dict[str, Any], actor: str) -> CalendarNotice:
    """Record a new version of a notice, the current one from now on (older ones are kept)."""
    number = values["number"]
    last = await session.scalar(
        select(func.max(CalendarNotice.version)).where(CalendarNotice.number == number)
    )
    await session.execute(
        update(CalendarNotice)
        .where(CalendarNotice.number == number, CalendarNotice.current)
        .values(current=False)
    )
    row = CalendarNotice(**values, version=(last or 0) + 1, current=True, created_by=actor)
    session.add(row)
    await session.flush()
    return row


async def mark_withdrawn(session: AsyncSession, row: CalendarNotice, actor: str) -> None:
    row.withdrawn_at = dt.datetime.now(dt.UTC)
    row.withdrawn_by = actor
    await session.flush()


async def entries(session: AsyncSession, notice_ids: Sequence[int]) -> list[CalendarAdjustment]:
    if not notice_ids:
        return []
    return list(
        await session.scalars(
            select(CalendarAdjustment)
            .where(CalendarAdjustment.notice_id.in_(list(notice_ids)))
            .order_by(CalendarAdjustment.date)
        )
    )


async def on_dates(session: AsyncSession, days: Sequence[dt.date]) -> list[CalendarAdjustment]:
    if not days:
        return []
    return list(
        await session.scalars(
            select(CalendarAdjustment).where(CalendarAdjustment.date.in_(list(days)))
        )
    )


async def remove_entries(session: AsyncSession, notice_id: int) -> None:
    await session.execute(
        delete(CalendarAdjustment).where(CalendarAdjustment.notice_id == notice_id)
    )


async def add_entries(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert a notice's adjustments in one statement."""
    if rows:
        await session.execute(insert(CalendarAdjustment), rows)


async def adopt_entries(session: AsyncSession, rows: list[dict[str, Any]], seeded_by: str) -> None:
    """The seed's write: insert the entries, taking over a row on the same date only where
    the seed itself wrote it before notices existed (an administrator's row is left alone)."""
    if not rows:
        return
    statement = pg_insert(CalendarAdjustment).values(rows)
    excluded = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CalendarAdjustment.date],
            set_={
                "kind": excluded.kind,
                "name_vi": excluded.name_vi,
                "name_en": excluded.name_en,
                "source": excluded.source,
                "status": excluded.status,
                "created_by": excluded.created_by,
                "notice_id": excluded.notice_id,
                "entry": excluded.entry,
                "swap_with": excluded.swap_with,
            },
            where=(CalendarAdjustment.notice_id.is_(None))
            & (CalendarAdjustment.created_by == seeded_by),
        )
    )
