"""Idempotency records: claimed inside the request's transaction, completed before commit."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import IdempotencyRecord


async def claim(session: AsyncSession, principal: str, key: str, fingerprint: str) -> bool:
    """Claim the key for this request. A concurrent claim of the same key waits here until
    the first transaction ends (unique index), then sees its record: exactly one request
    does the work."""
    claimed = await session.scalar(
        insert(IdempotencyRecord)
        .values(principal=principal, key=key, fingerprint=fingerprint)
        .on_conflict_do_nothing(index_elements=["principal", "key"])
        .returning(IdempotencyRecord.id)
    )
    return claimed is not None


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
