from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ApiKey


async def add(
    session: AsyncSession, *, name: str, prefix: str, digest: str, scopes: list[str]
) -> ApiKey:
    key = ApiKey(name=name, prefix=prefix, digest=digest, scopes=scopes)
    session.add(key)
    await session.flush()
    return key


async def active_by_prefix(session: AsyncSession, prefix: str) -> ApiKey | None:
    return await session.scalar(
        select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
    )


async def all_keys(session: AsyncSession) -> list[ApiKey]:
    return list(await session.scalars(select(ApiKey).order_by(ApiKey.id)))


async def revoke(session: AsyncSession, prefix: str) -> bool:
    result = await session.execute(
        update(ApiKey)
        .where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
        .values(revoked_at=dt.datetime.now(dt.UTC))
        .returning(ApiKey.id)
    )
    return result.first() is not None
