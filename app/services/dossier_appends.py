"""Group commit of event appends: the appends that arrive while one is being written go
together in the next statement, one round trip and one commit for all of them.

Only appends that are their own transaction come here (no Idempotency-Key: nothing else of
the request is written). Each still applies only if its dossier is as folded (see
app/db/repositories/dossier_appends.py); a batch never holds two appends of one dossier (the
second waits for the next batch, and is then refused as stale and refolded by its writer, as
it would have been). The appends are given in dossier order, the order the statement's usual
plan locks the rows in; should the batches of two replicas deadlock all the same, the one the
server cancels is a refused batch (below).

A batch the database refuses as a whole (for one of its appends, say) is written again one
append at a time: each writer gets its own answer or its own error. When the database is out
of reach, every waiting writer gets that error at once (as its request would have, alone).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.availability import failure_class
from app.db.repositories import dossier_appends as repo
from app.db.repositories.dossier_appends import PlannedAppend

Waiting = tuple[PlannedAppend, "asyncio.Future[dt.datetime | None]"]

BATCH_LIMIT = 64  # appends per statement: bounds its parameters (a few kB each)


class DossierAppends:
    def __init__(self, sessions: Callable[[], AsyncSession]) -> None:
        self._sessions = sessions
        self._queue: list[Waiting] = []
        self._draining: asyncio.Task[None] | None = None

    async def append(self, planned: PlannedAppend) -> dt.datetime | None:
        """repo.append, committed, written with the appends waiting beside it."""
        future: asyncio.Future[dt.datetime | None] = asyncio.get_running_loop().create_future()
        self._queue.append((planned, future))
        if self._draining is None:
            self._draining = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        batch: list[Waiting] = []
        try:
            while self._queue:
                batch, later, seen = [], [], set()
                for waiting in self._queue:
                    dossier_id = waiting[0].folded.id
                    if dossier_id in seen or len(batch) == BATCH_LIMIT:
                        later.append(waiting)
                    else:
                        seen.add(dossier_id)
                        batch.append(waiting)
                self._queue = later
                batch.sort(key=lambda waiting: waiting[0].folded.id)
                await self._write(batch)
        finally:
            self._draining = None
            for _, future in (*batch, *self._queue):  # only if the loop itself was cancelled
                if not future.done():
                    future.cancel()
            self._queue = []

    async def _write(self, batch: list[Waiting]) -> None:
        try:
            if len(batch) == 1:
                results = [await self._alone(batch[0][0])]
            else:
                async with self._sessions() as session:
                    results = await repo.append_many(session, [p for p, _ in batch])
                    await session.commit()
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
                        result = await self._alone(planned)
                    except Exception as refused:
                        _settle(future, error=refused)
                    else:
                        _settle(future, result)
            return
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result)

    async def _alone(self, planned: PlannedAppend) -> dt.datetime | None:
        async with self._sessions() as session:
            result = await repo.append(session, planned)
            await session.commit()
        return result


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
