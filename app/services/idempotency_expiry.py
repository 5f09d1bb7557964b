"""The scanner job that deletes expired idempotency records (IDEMPOTENCY_TTL_HOURS).

Expiry itself is enforced when a key is claimed again (app.db.repositories.idempotency.claim),
so this job only keeps the table small; batches with SKIP LOCKED keep replicas out of each
other's way and each pass short."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories import idempotency as repo
from app.services.scanner import Job

NAME = "idempotency.expire"
BATCH = 5000


def expire_after(ttl: dt.timedelta) -> Job:
    async def expire(session: AsyncSession, now: dt.datetime) -> int:
        return await repo.delete_expired(session, now - ttl, BATCH)

    return expire
