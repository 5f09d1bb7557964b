"""The background scanner: periodic jobs (overdue transitions, reminders) that are safe with
several replicas running. Each job claims its rows with FOR UPDATE SKIP LOCKED inside its own
transaction, so two replicas never transition the same row and each transition emits exactly
one event."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.availability import OUTAGES, failure_class
from app.jobs import dossier_scan, obligation_scan
from app.services.backoff import Backoff
from app.services.office_time import now_local
from app.services.vitals import VITALS

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 5.0

# A job transitions what is due as of `now` and returns how many rows it changed.
Job = Callable[[AsyncSession, dt.datetime], Awaitable[int]]
# Every scanner job, listed here (nothing registers itself on import).
JOBS: dict[str, Job] = {
    "obligations.overdue": obligation_scan.mark_overdue,
    "dossier_clock": dossier_scan.scan_dossiers,
}


async def run_once(
    sessionmaker: async_sessionmaker[AsyncSession],
    now: dt.datetime | None = None,
    jobs: Mapping[str, Job] | None = None,
) -> dict[str, int]:
    """Run every job once, each in its own transaction; returns the rows each changed."""
    moment = now or now_local()
    done: dict[str, int] = {}
    for name, fn in (JOBS if jobs is None else jobs).items():
        async with sessionmaker() as session:
            done[name] = await fn(session, moment)
            await session.commit()
    return done


class Scanner:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        interval: float,
        extra_jobs: Mapping[str, Job] | None = None,
    ) -> None:
        """`extra_jobs`: jobs that need the settings (built at start-up), after JOBS."""
        self._sessionmaker = sessionmaker
        self._interval = interval
        self._extra_jobs = dict(extra_jobs or {})
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    def start(self) -> None:
        if self._interval > 0:
            self._task = asyncio.create_task(self._loop(), name="scanner")

    async def stop(self) -> None:
        """Let a pass in progress commit and leave; cancel only if it does not within seconds
        (cancelling a transaction half-way can leave a pooled connection mid-protocol)."""
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), STOP_GRACE_SECONDS)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task

    async def _loop(self) -> None:
        backoff = Backoff(first=1.0, cap=self._interval)
        lost = False
        while not self._stop.is_set():
            wait = self._interval
            try:
                changed = await run_once(self._sessionmaker, jobs=JOBS | self._extra_jobs)
                await VITALS.count(self._sessionmaker)
                VITALS.scanner_ran(ok=True)
                if lost:
                    log.info("scanner: database restored")
                    lost = False
                backoff.reset()
                if any(changed.values()):
                    log.info("scanner transitions", extra={"changed": changed})
            except Exception as exc:  # keep scanning: the next pass retries what failed
                VITALS.scanner_ran(ok=False)
                kind = failure_class(exc)
                if kind is None:
                    log.exception("scanner pass failed")
                else:  # an outage: counted, logged when it starts, retried sooner
                    OUTAGES.record(kind, "scanner")
                    if not lost:
                        log.warning("scanner: database lost", extra={"failure": kind})
                    lost = True
                    wait = backoff.next_delay()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), wait)
