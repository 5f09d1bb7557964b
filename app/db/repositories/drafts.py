"""Queries on profile drafts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ProfileDraftRow


async def add(
    session: AsyncSession,
    profile_code: str,
    document: dict[str, Any],
    rows: list[dict[str, Any]],
    actor: str,
) -> ProfileDraftRow:
    draft = ProfileDraftRow(
        profile_code=profile_code,
        document=document,
        rows=rows,
        created_by=actor,
        updated_by=actor,
    )
    session.add(draft)
    await session.flush()
    await session.refresh(draft)
    return draft


async def get(
    session: AsyncSession, draft_id: int, *, lock: bool = False
) -> ProfileDraftRow | None:
    query = select(ProfileDraftRow).where(ProfileDraftRow.id == draft_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def page(
    session: AsyncSession, *, status: str | None, after: int | None, limit: int
) -> list[ProfileDraftRow]:
    """Drafts, newest first, `limit` of them after the id `after` (keyset pagination)."""
    query = select(ProfileDraftRow).order_by(ProfileDraftRow.id.desc()).limit(limit)
    if status is not None:
        query = query.where(ProfileDraftRow.status == status)
    if after is not None:
        query = query.where(ProfileDraftRow.id < after)
    return list(await session.scalars(query))


async def touch(session: AsyncSession, draft: ProfileDraftRow, actor: str) -> None:
    """Record an edit: the next revision, by `actor`, now."""
    draft.revision += 1
    draft.updated_by = actor
    draft.updated_at = func.now()
    await session.flush()
    await session.refresh(draft)
