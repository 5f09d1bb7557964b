"""Keep every replica's reference data (calendar, rule catalog) current.

Writers commit a change; a trigger bumps the table's revision and NOTIFYs its channel. Each
replica LISTENs on one dedicated connection and also polls (a missed notification, a dropped
connection), then each reference rebuilds itself if its revision moved.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

import asyncpg

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 5.0


class Reference(Protocol):
    channel: str

    async def refresh(self) -> object: ...


class Follower:
    def __init__(self, dsn: str, poll_seconds: float, references: list[Reference]) -> None:
        self._dsn = dsn
        self._poll_seconds = poll_seconds
        self._references = references
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

    async def _follow(self) -> None:
        conn: asyncpg.Connection | None = None
        try:
            while not self._stop.is_set():
                try:
                    if conn is None or conn.is_closed():
                        conn = await asyncpg.connect(self._dsn, timeout=5)
                        for ref in self._references:
                            await conn.add_listener(ref.channel, lambda *_: self._wake.set())
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._poll_seconds)
                    self._wake.clear()
                    if self._stop.is_set():
                        break
                    for ref in self._references:
                        await ref.refresh()
                except Exception:  # the database is away: keep the last data, retry soon
                    log.warning("reference follow failed; retrying", exc_info=True)
                    if conn is not None and not conn.is_closed():
                        conn.terminate()
                    conn = None
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._poll_seconds)
        finally:
            if conn is not None and not conn.is_closed():
                conn.terminate()  # LISTEN only: nothing to flush, no handshake to wait for
