"""Queries on the office schedules (versioned documents, like the dossier rule sets; a change
bumps the same revision, app.db.repositories.dossier_rules.revision)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import OfficeScheduleRow, OfficeScheduleVersion


async def documents(session: AsyncSession) -> list[OfficeScheduleRow]:
    return list(await session.scalars(select(OfficeScheduleRow).order_by(OfficeScheduleRow.code)))


async def get(session: AsyncSession, code: str, *, lock: bool = False) -> OfficeScheduleRow | None:
    query = select(OfficeScheduleRow).where(OfficeScheduleRow.code == code)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def last_version(session: AsyncSession, code: str) -> int:
    """The highest version the schedule has had, retired or not (0 when never stored)."""
    rows = await session.scalars(
        select(OfficeScheduleVersion.version)
        .where(OfficeScheduleVersion.code == code)
        .order_by(OfficeScheduleVersion.version.desc())
        .limit(1)
    )
    return int(rows.first() or 0)


async def save(
    session: AsyncSession, code: str, version: int, document: dict[str, Any], actor: str
) -> None:
    """Insert or replace a schedule at `version`, keeping every version in the history."""
    row = await session.get(OfficeScheduleRow, code)
    if row is None:
        session.add(
            OfficeScheduleRow(code=code, version=version, document=document, updated_by=actor)
        )
    else:
        row.version, row.document, row.updated_by = version, document, actor
        row.updated_at = func.now()
    session.add(
        OfficeScheduleVersion(code=code, version=version, document=document, changed_by=actor)
    )
    await session.flush()


async def remove(session: AsyncSession, code: str) -> None:
    """Retire a schedule: its current row goes, its history stays."""
    await session.execute(delete(OfficeScheduleRow).where(OfficeScheduleRow.code == code))


async def in_use(session: AsyncSession, code: str) -> bool:
    """Stored dossiers count with the schedule (their clocks are re-derived with it)."""
    found = await session.scalar(
        text("SELECT EXISTS (SELECT 1 FROM dossiers WHERE schedule = :code)"), {"code": code}
    )
    return bool(found)


async def history(session: AsyncSession, code: str) -> list[OfficeScheduleVersion]:
    return list(
        await session.scalars(
            select(OfficeScheduleVersion)
            .where(OfficeScheduleVersion.code == code)
            .order_by(OfficeScheduleVersion.version)
        )
    )
