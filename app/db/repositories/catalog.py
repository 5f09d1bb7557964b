"""Queries on the rule catalog (profiles as versioned documents)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import CatalogRevision, ProfileRow, ProfileVersion


async def revision(session: AsyncSession) -> int:
    value = await session.scalar(select(CatalogRevision.revision).where(CatalogRevision.id == 1))
    return int(value or 0)


async def documents(session: AsyncSession) -> list[ProfileRow]:
    return list(await session.scalars(select(ProfileRow).order_by(ProfileRow.code)))


async def get(session: AsyncSession, code: str, *, lock: bool = False) -> ProfileRow | None:
    query = select(ProfileRow).where(ProfileRow.code == code)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def save(
    session: AsyncSession, code: str, version: int, document: dict[str, Any], actor: str
) -> None:
    """Insert or replace a profile at `version`, keeping every version in the history."""
    row = await session.get(ProfileRow, code)
    if row is None:
        session.add(ProfileRow(code=code, version=version, document=document, updated_by=actor))
    else:
        row.version, row.document, row.updated_by = version, document, actor
    session.add(ProfileVersion(code=code, version=version, document=document, changed_by=actor))
    await session.flush()


async def history(session: AsyncSession, code: str) -> list[ProfileVersion]:
    return list(
        await session.scalars(
            select(ProfileVersion)
            .where(ProfileVersion.code == code)
            .order_by(ProfileVersion.version)
        )
    )
