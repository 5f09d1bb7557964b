"""Keep every replica's reference data (calendar, rule catalog, dossier rule sets and office
schedules, API keys) current.

Writers commit a change; a trigger bumps the table's revision and NOTIFYs its channel. Each
replica LISTENs on one dedicated connection and refreshes the reference whose channel fired.
A fallback check (a missed notification) reads all the stamps in one statement every
CALENDAR_POLL_SECONDS on that same connection, and refreshes only what moved: an idle replica
costs the database one short transaction every few seconds.

When the database goes away the loop keeps the last data, reconnects with capped exponential
backoff and jitter, and logs the change of state (lost, restored), not every attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

import asyncpg

from app.db.availability import OUTAGES, failure_class
from app.db.listen import listening
from app.db.repositories import reference as repo
from app.services.backoff import Backoff

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 5.0
RECONNECT_CAP_SECONDS = 10.0


class Reference(Protocol):
    channel: str

    async def refresh(self) -> object: ...


class Follower:
    def __init__(self, dsn: str, poll_seconds: float, references: list[Reference]) -> None:
        self._dsn = dsn
        self._poll_seconds = poll_seconds
        self._references = {ref.channel: ref for ref in references}
        self._dirty: set[str] = set()
        self._stamps: dict[str, str | None] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    def start(self) -> None:
        self._task = asyncio.create_task(self._follow(), name="reference-follow")

    async def stop(self) -> None:
        """Let the loop finish its current refresh and leave (cancelling a query half-way can
        leave a pooled connection mid-protocol); cancel only if it does not within seconds."""
        self._stop.set()
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), STOP_GRACE_SECONDS)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task

    def _notified(self, _conn: object, _pid: int, channel: str, _payload: str) -> None:
        self._dirty.add(channel)
        self._wake.set()

    async def _connect(self) -> asyncpg.Connection:
        conn = await listening(
            self._dsn, self._references, self._notified, seconds=CONNECT_TIMEOUT_SECONDS
        )
        # Whatever changed while we were not listening is found by the first stamp check.
        self._dirty.update(self._references)
        return conn

    async def _pass(self, conn: asyncpg.Connection) -> None:
        """Refresh what a notification named, then what the stamps say moved."""
        stamps = await repo.stamps(conn)
        moved = {channel for channel, stamp in stamps.items() if self._stamps.get(channel) != stamp}
        due, self._dirty = self._dirty | moved, set()
        for channel in due:
            reference = self._references.get(channel)
            if reference is not None:
                await reference.refresh()
        self._stamps = stamps

    async def _follow(self) -> None:
        conn: asyncpg.Connection | None = None
        backoff = Backoff(first=0.5, cap=RECONNECT_CAP_SECONDS)
        lost = False
        try:
            while not self._stop.is_set():
                try:
                    if conn is None or conn.is_closed():
                        conn = await self._connect()
                    await self._pass(conn)
                    if lost:
                        OUTAGES.flush()
                        log.info("reference follow: database restored")
                        lost = False
                    backoff.reset()
                    wait = self._poll_seconds
                except Exception as exc:  # keep the last data; try again later
                    kind = failure_class(exc)
                    if kind is None:
                        log.exception("reference follow failed")
                    else:
                        OUTAGES.record(kind, "reference-follow")
                        if not lost:
                            log.warning("reference follow: database lost", extra={"failure": kind})
                    lost = True
                    if conn is not None and not conn.is_closed():
                        conn.terminate()
                    conn = None
                    wait = backoff.next_delay()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
                self._wake.clear()
        finally:
            if conn is not None and not conn.is_closed():
                conn.terminate()  # LISTEN only: nothing to flush, no handshake to wait for
