"""What the service knows about its own work, for /metrics: the scanner's passes and the open
and overdue counts it refreshes after each pass. Held per process (each replica and each worker
runs its own scanner), read by the metrics collector at scrape time."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.repositories import vitals as repo


@dataclass
class Vitals:
    scanner_runs: dict[str, int] = field(default_factory=lambda: {"ok": 0, "failed": 0})
    scanner_last_success: float | None = None  # unix time of the last pass that completed
    dossiers: dict[str, int] = field(default_factory=dict)  # open dossiers by status
    obligations: dict[str, int] = field(default_factory=dict)  # open obligations by status
    feed_head: tuple[int, dt.datetime] | None = None  # the newest change-feed event
    counted_at: float | None = None

    def scanner_ran(self, ok: bool) -> None:
        self.scanner_runs["ok" if ok else "failed"] += 1
        if ok:
            self.scanner_last_success = time.time()

    async def count(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        async with sessionmaker() as session:
            self.dossiers = await repo.dossiers_by_open_status(session)
            self.obligations = await repo.obligations_by_open_status(session)
            self.feed_head = await repo.newest_event(session)
        self.counted_at = time.time()


VITALS = Vitals()
