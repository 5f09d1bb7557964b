"""Idempotency records: claimed inside the request's transaction, completed before commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import IdempotencyRecord


async def claim(
    session: AsyncSession, principal: str, key: str, fingerprint: str, created_after: dt.datetime
) -> bool:
    """Claim the key for this request; a record made before `created_after` has expired and
    is dropped first. A concurrent claim of the same key waits here until the first
    transaction ends (unique index), then sees its record: exactly one request does the work."""
    await session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.principal == principal,
            IdempotencyRecord.key == key,
            IdempotencyRecord.created_at < created_after,
        )
    )
    claimed = await session.scalar(
        insert(IdempotencyRecord)
        .values(principal=principal, key=key, fingerprint=fingerprint)
        .on_conflict_do_nothing(index_elements=["principal", "key"])
        .returning(IdempotencyRecord.id)
    )
    return claimed is not None


async def delete_expired(session: AsyncSession, created_before: dt.datetime, batch: int) -> int:
    """Delete up to `batch` records made before `created_before`; how many went."""
    doomed = (
        select(IdempotencyRecord.id)
        .where(IdempotencyRecord.created_at < created_before)
        .limit(batch)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    result = await session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.id.in_(doomed))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def get(session: AsyncSession, principal: str, key: str) -> IdempotencyRecord | None:
    return await session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.principal == principal, IdempotencyRecord.key == key
        )
    )


async def complete(
    session: AsyncSession,
    principal: str,
    key: str,
    status_code: int,
    body: bytes,
    headers: dict[str, str],
) -> None:
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.principal == principal, IdempotencyRecord.key == key)
        .values(status_code=status_code, body=body, headers=headers)
    )
