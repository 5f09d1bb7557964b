"""The calendar snapshot every request reads, kept current on every replica.

Writers commit a change; a trigger bumps `calendar_revision` and NOTIFYs `calendar_changed`.
Each replica LISTENs on a dedicated connection and also polls the revision (a missed
notification, a dropped connection), then rebuilds its snapshot off the event loop and swaps it
in with one assignment: readers never see a half-built calendar.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.repositories import calendar as repo
from app.domain.calendar import CalendarSnapshot, build_snapshot

log = logging.getLogger(__name__)

CHANNEL = "calendar_changed"


class CalendarState:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        listen_dsn: str,
        *,
        culture_day_compensatory: bool,
        poll_seconds: float,
    ) -> None:
        # Its own sessions on the engine: only committed calendar data ever reaches a snapshot.
        self._sessionmaker = sessionmaker
        self._dsn = listen_dsn
        self._culture_day_compensatory = culture_day_compensatory
        self._poll_seconds = poll_seconds
        self.snapshot: CalendarSnapshot | None = None
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.listening = False
        self.on_change: list[Callable[[CalendarSnapshot, CalendarSnapshot], object]] = []

    async def refresh(self) -> CalendarSnapshot:
        """Rebuild from the database if its revision moved; return the current snapshot."""
        async with self._lock:
            async with self._sessionmaker() as session:
                current = await repo.revision(session)
                if self.snapshot is not None and self.snapshot.revision == current:
                    return self.snapshot
                rev, adjustments, years = await repo.load(session)
            snapshot = await asyncio.to_thread(
                build_snapshot,
                adjustments,
                years,
                revision=rev,
                culture_day_compensatory=self._culture_day_compensatory,
            )
            previous, self.snapshot = self.snapshot, snapshot
            log.info("calendar snapshot loaded", extra={"revision": rev})
            if previous is not None:
                for callback in self.on_change:
                    callback(previous, snapshot)
            return snapshot

    async def start(self) -> None:
        await self.refresh()
        self._task = asyncio.create_task(self._follow(), name="calendar-follow")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _follow(self) -> None:
        """Listen for changes (reconnecting as needed) and poll as a fallback."""
        conn: asyncpg.Connection | None = None
        while True:
            try:
                if conn is None or conn.is_closed():
                    conn = await asyncpg.connect(self._dsn, timeout=5)
                    await conn.add_listener(CHANNEL, lambda *_: self._wake.set())
                    self.listening = True
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll_seconds)
                self._wake.clear()
                await self.refresh()
            except asyncio.CancelledError:
                if conn is not None and not conn.is_closed():
                    await conn.close()
                raise
            except Exception:  # the database is away: keep the last snapshot, retry soon
                self.listening = False
                log.warning("calendar follow failed; retrying", exc_info=True)
                if conn is not None and not conn.is_closed():
                    conn.terminate()
                conn = None
                await asyncio.sleep(self._poll_seconds)
