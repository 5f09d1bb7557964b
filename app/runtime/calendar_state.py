"""The calendar snapshot every request reads; rebuilt off the event loop when its revision
moves and swapped in with one assignment, so readers never see a half-built calendar."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.repositories import calendar as repo
from app.domain.calendar import CalendarSnapshot, build_snapshot

log = logging.getLogger(__name__)


class CalendarState:
    channel = "calendar_changed"

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, culture_day_compensatory: bool
    ) -> None:
        # Its own sessions on the engine: only committed calendar data ever reaches a snapshot.
        self._sessionmaker = sessionmaker
        self._culture_day_compensatory = culture_day_compensatory
        self.snapshot: CalendarSnapshot | None = None
        # When the snapshot's revision was made (feeds stamp their entries with it); assigned
        # with the snapshot, with no await between, so readers always see the pair.
        self.changed_at: dt.datetime | None = None
        self._lock = asyncio.Lock()

    async def refresh(self) -> CalendarSnapshot:
        """Rebuild from the database if its revision moved; return the current snapshot."""
        async with self._lock:
            async with self._sessionmaker() as session:
                current, changed_at = await repo.revision_at(session)
                if self.snapshot is not None and self.snapshot.revision == current:
                    return self.snapshot
                rev, adjustments, years = await repo.load(session)
                if rev != current:  # changed in between: the time of the newer revision
                    _, changed_at = await repo.revision_at(session)
            snapshot = await asyncio.to_thread(
                build_snapshot,
                adjustments,
                years,
                revision=rev,
                culture_day_compensatory=self._culture_day_compensatory,
            )
            self.snapshot, self.changed_at = snapshot, changed_at
            log.info("calendar snapshot loaded", extra={"revision": rev})
            return snapshot
