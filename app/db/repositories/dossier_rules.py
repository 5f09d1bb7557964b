"""Queries on the dossier rule sets (versioned documents, like the profiles)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import DossierRuleSetRow, DossierRuleSetVersion, DossierRulesRevision


async def revision(session: AsyncSession) -> int:
    value = await session.scalar(
        select(DossierRulesRevision.revision).where(DossierRulesRevision.id == 1)
    )
    return int(value or 0)


async def documents(session: AsyncSession) -> list[DossierRuleSetRow]:
    return list(await session.scalars(select(DossierRuleSetRow).order_by(DossierRuleSetRow.code)))


async def get(session: AsyncSession, code: str, *, lock: bool = False) -> DossierRuleSetRow | None:
    query = select(DossierRuleSetRow).where(DossierRuleSetRow.code == code)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def last_version(session: AsyncSession, code: str) -> int:
    """The highest version the set has had, retired or not (0 when never stored)."""
    rows = await session.scalars(
        select(DossierRuleSetVersion.version)
        .where(DossierRuleSetVersion.code == code)
        .order_by(DossierRuleSetVersion.version.desc())
        .limit(1)
    )
    return int(rows.first() or 0)


async def save(
    session: AsyncSession, code: str, version: int, document: dict[str, Any], actor: str
) -> None:
    """Insert or replace a rule set at `version`, keeping every version in the history."""
    row = await session.get(DossierRuleSetRow, code)
    if row is None:
        session.add(
            DossierRuleSetRow(code=code, version=version, document=document, updated_by=actor)
        )
    else:
        row.version, row.document, row.updated_by = version, document, actor
    session.add(
        DossierRuleSetVersion(code=code, version=version, document=document, changed_by=actor)
    )
    await session.flush()


async def remove(session: AsyncSession, code: str) -> None:
    """Retire a rule set: its current row goes, its history stays."""
    await session.execute(delete(DossierRuleSetRow).where(DossierRuleSetRow.code == code))


async def history(session: AsyncSession, code: str) -> list[DossierRuleSetVersion]:
    return list(
        await session.scalars(
            select(DossierRuleSetVersion)
            .where(DossierRuleSetVersion.code == code)
            .order_by(DossierRuleSetVersion.version)
        )
    )
