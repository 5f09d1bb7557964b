"""The scanner job that deletes expired idempotency records (IDEMPOTENCY_TTL_HOURS).

Expiry itself is enforced when a key is claimed again (app.db.repositories.idempotency.claim),
so this job only keeps the table small; batches with SKIP LOCKED keep replicas out of each
other's way and each pass short."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories import idempotency as repo

NAME = "idempotency.expire"
BATCH = 5000

# A scanner job (app.jobs.scanner.Job): rows changed as of `now`.
Expiry = Callable[[AsyncSession, dt.datetime], Awaitable[int]]


def expire_after(ttl: dt.timedelta) -> Expiry:
    async def expire(session: AsyncSession, now: dt.datetime) -> int:
        return await repo.delete_expired(session, now - ttl, BATCH)

    return expire
