"""Start-up: wait for the database, migrate, load the reference data, start the background work.

The process serves at once (`/health/live` answers, `/health/ready` is 503 with what is
missing); if the database is not there yet, start-up keeps trying with backoff, and gives up
after DB_START_WAIT_SECONDS with one clear line and a non-zero exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import migrate, probe
from app.db.availability import failure_class
from app.db.engine import make_sessionmaker
from app.jobs.scanner import Scanner
from app.jobs.webhook_delivery import DeliveryWorker
from app.runtime import Runtime
from app.services.backoff import Backoff
from app.services.idempotency_expiry import NAME, expire_after
from app.services.reference import Follower
from app.services.seed import seed_database

log = logging.getLogger("app.startup")

EXIT_DATABASE_UNAVAILABLE = 3


def exit_process() -> None:
    """Leave at once with a non-zero status (the line saying why is already written)."""
    logging.shutdown()
    sys.stdout.flush()
    os._exit(EXIT_DATABASE_UNAVAILABLE)


class Startup:
    def __init__(
        self,
        runtime: Runtime,
        background_engine: AsyncEngine,
        give_up: Callable[[], None] = exit_process,
    ) -> None:
        self._runtime = runtime
        self._background_engine = background_engine
        self._give_up = give_up
        self._task: asyncio.Task[None] | None = None
        self.follower: Follower | None = None
        self.scanner: Scanner | None = None
        self.delivery: DeliveryWorker | None = None

    async def begin(self) -> None:
        """One attempt in line (the usual case: the database is there, and the app starts
        ready); if the database is out of reach, keep trying in the background."""
        try:
            await self._attempt()
        except Exception as exc:
            kind = failure_class(exc)
            if kind is None:
                raise
            log.warning("waiting for the database", extra={"failure": kind})
            self._task = asyncio.create_task(self._wait(), name="startup")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.delivery is not None:
            await self.delivery.stop()
        if self.scanner is not None:
            await self.scanner.stop()
        if self.follower is not None:
            await self.follower.stop()

    async def _wait(self) -> None:
        settings = self._runtime.settings
        deadline = time.monotonic() + settings.db_start_wait_seconds
        backoff = Backoff(first=0.25, cap=2.0)
        while True:
            await asyncio.sleep(backoff.next_delay())
            try:
                await self._attempt()
            except Exception as exc:
                if failure_class(exc) is None:
                    log.exception("start-up failed")
                    self._give_up()
                    return
                if time.monotonic() >= deadline:
                    log.critical(
                        f"the database was not reachable within {settings.db_start_wait_seconds:g}"
                        " s (DB_START_WAIT_SECONDS); giving up",
                        extra={"failure": failure_class(exc)},
                    )
                    self._give_up()
                    return
                continue
            log.info("database reachable: started")
            return

    async def _attempt(self) -> None:
        runtime, settings = self._runtime, self._runtime.settings
        dsn = probe.driver_dsn(runtime.engine)
        # Reachable first, on a connection of its own, so a dead server costs one short wait.
        current = await probe.schema_revision(dsn, settings.db_connect_timeout_seconds)
        if settings.migrate_on_start:
            await migrate.upgrade(self._background_engine)
            await seed_database(self._background_engine)  # the shipped reference data
        elif current != migrate.head_revision():
            # Migrations run apart (python -m app migrate): not ready until they have.
            raise TimeoutError(f"schema at {current}, waiting for {migrate.head_revision()}")
        assert runtime.calendar is not None and runtime.catalog is not None
        assert runtime.keys is not None and runtime.dossier_rules is not None
        await runtime.calendar.refresh()
        await runtime.catalog.refresh()
        await runtime.dossier_rules.refresh()
        self.follower = Follower(
            dsn,
            settings.calendar_poll_seconds,
            [runtime.calendar, runtime.catalog, runtime.dossier_rules, runtime.keys],
        )
        self.follower.start()
        self.scanner = Scanner(
            make_sessionmaker(self._background_engine),
            settings.scanner_interval_seconds,
            {NAME: expire_after(dt.timedelta(hours=settings.idempotency_ttl_hours))},
        )
        self.scanner.start()
        self.delivery = DeliveryWorker.from_settings(runtime.sessionmaker, dsn, settings)
        self.delivery.start()
