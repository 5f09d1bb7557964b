"""Group commit of event appends: the appends that arrive while statements are being written
go together in the next one, one round trip and one commit for all of them.

Two statements are written at once, each on its own connection: while one waits for the
database, the appends that came meanwhile go out in the other (a single statement at a time
left the service idle through every commit, and its batches alternated between one append and
all the others); their feed rows still go one statement after the other, under the feed's lock
(app/db/repositories/feed.py). A statement goes out when it holds half of the appends of the
last two (so the writers settle into two even halves, each written while the other is being
folded), or when its first append has waited LINGER_SECONDS, or at once while appends are few.

Only appends that are their own transaction come here (no Idempotency-Key: nothing else of
the request is written). Each still applies only if its dossier is as folded (see
app/db/repositories/dossier_appends.py); two appends of one dossier are never written at once
(the second waits until the first's statement has returned, and is then refused as stale and
refolded by its writer, as it would have been). The appends are given in dossier order, the
order the statement's usual plan locks the rows in; should two statements deadlock all the
same, the one the server cancels is a refused batch (below).

A batch the database refuses as a whole (for one of its appends, say) is written again one
append at a time: each writer gets its own answer or its own error. When the database is out
of reach, every waiting writer gets that error at once (as its request would have, alone).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import deque
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from app.db.availability import failure_class
from app.db.repositories import dossier_appends as repo
from app.db.repositories.dossier_appends import PlannedAppend

Waiting = tuple[PlannedAppend, "asyncio.Future[dt.datetime | None]"]

BATCH_LIMIT = 64  # appends per statement: bounds its parameters (a few kB each)
IN_FLIGHT = 2  # statements written at once
LINGER_SECONDS = 0.001  # the longest an append waits for others to fill its statement


class DossierAppends:
    def __init__(self, connections: Callable[[], AbstractAsyncContextManager[Any]]) -> None:
        self._connections = connections  # each an asyncpg connection, a statement a transaction
        self._queue: list[Waiting] = []
        self._writing: set[int] = set()  # the dossiers of the statements being written
        self._flying = 0  # statements being written
        self._tasks: set[asyncio.Task[None]] = set()  # (the loop keeps only weak references)
        self._recent: deque[int] = deque(maxlen=IN_FLIGHT)  # the last statements' sizes
        self._linger: asyncio.TimerHandle | None = None
        self._overdue = False

    async def append(self, planned: PlannedAppend) -> dt.datetime | None:
        """repo.append, committed, written with the appends waiting beside it."""
        future: asyncio.Future[dt.datetime | None] = asyncio.get_running_loop().create_future()
        self._queue.append((planned, future))
        self._launch()
        return await future

    def _lingered(self) -> None:
        self._linger = None
        self._overdue = True  # if no statement can go now, the next one goes at once
        self._launch()

    def _launch(self) -> None:
        """Start statements while fewer than IN_FLIGHT are being written and some append
        waits whose dossier is not in one of them: once they are as many as an even share of
        the last statements' appends, or when the first has waited LINGER_SECONDS."""
        while self._queue and self._flying < IN_FLIGHT:
            share = sum(self._recent) // IN_FLIGHT
            if len(self._queue) < share and not self._overdue:
                if self._linger is None:
                    self._linger = asyncio.get_running_loop().call_later(
                        LINGER_SECONDS, self._lingered
                    )
                return
            self._overdue = False
            if self._linger is not None:
                self._linger.cancel()
                self._linger = None
            batch: list[Waiting] = []
            later: list[Waiting] = []
            for waiting in self._queue:
                dossier_id = waiting[0].folded.id
                if dossier_id in self._writing or len(batch) == BATCH_LIMIT:
                    later.append(waiting)
                else:
                    self._writing.add(dossier_id)
                    batch.append(waiting)
            self._queue = later
            if not batch:
                return
            batch.sort(key=lambda waiting: waiting[0].folded.id)
            self._recent.append(len(batch))
            self._flying += 1
            task = asyncio.create_task(self._fly(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _fly(self, batch: list[Waiting]) -> None:
        try:
            await self._write(batch)
        except asyncio.CancelledError:  # the loop is closing: so are the requests waiting
            if self._linger is not None:
                self._linger.cancel()
                self._linger = None
            for _, future in (*batch, *self._queue):
                if not future.done():
                    future.cancel()
            self._queue = []
            raise
        finally:
            self._flying -= 1
            self._writing.difference_update(waiting[0].folded.id for waiting in batch)
        self._launch()

    async def _write(self, batch: list[Waiting]) -> None:
        try:
            results = await self._written([p for p, _ in batch])
        except Exception as exc:
            if failure_class(exc) is not None:
                # The database is out of reach: for these appends, and for those that came
                # meanwhile (they would wait out a second deadline, not just one).
                waiting, self._queue = self._queue, []
                for _, future in (*batch, *waiting):
                    _settle(future, error=exc)
            elif len(batch) == 1:
                _settle(batch[0][1], error=exc)
            else:  # one append the database refused: each is written alone, for its own answer
                for planned, future in batch:
                    try:
                        [result] = await self._written([planned])
                    except Exception as refused:
                        _settle(future, error=refused)
                    else:
                        _settle(future, result)
            return
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result)

    async def _written(self, planned: list[PlannedAppend]) -> list[dt.datetime | None]:
        async with self._connections() as connection:
            return await repo.append_many(connection, planned)


def _settle(
    future: asyncio.Future[dt.datetime | None],
    result: dt.datetime | None = None,
    *,
    error: Exception | None = None,
) -> None:
    if future.done():  # its writer is gone (the client disconnected)
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
