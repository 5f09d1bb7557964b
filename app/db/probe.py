"""Database checks with a deadline that holds whatever the pool or the server does.

`asyncio.timeout` around a pooled query is not enough: cancellation has to unwind through
the pool and the driver, which may themselves wait on a stalled server. The check runs as a
task of its own instead, and the caller stops waiting at the deadline whether or not the
task has finished unwinding.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

T = TypeVar("T")

_abandoned: set[asyncio.Task[Any]] = set()  # keeps cancelled checks alive until they unwind


async def within(seconds: float, work: Coroutine[Any, Any, T]) -> T:
    """`work`'s result, or TimeoutError once `seconds` have passed."""
    task = asyncio.create_task(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    task.cancel()
    _abandoned.add(task)
    task.add_done_callback(_forget)
    raise TimeoutError(f"no answer within {seconds} s")


def _forget(task: asyncio.Task[Any]) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        with contextlib.suppress(BaseException):
            task.exception()  # retrieved: no "exception was never retrieved" noise


def driver_dsn(engine: AsyncEngine) -> str:
    """The engine's URL as asyncpg takes it."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


async def schema_revision(dsn: str, seconds: float) -> str | None:
    """Connect on a connection of its own (not the pool's) and read the migration revision
    (None before the first migration); raises when the database does not answer in time."""
    revision, _ = await schema_and_server(dsn, seconds)
    return revision


async def schema_and_server(dsn: str, seconds: float) -> tuple[str | None, str | None]:
    """The migration revision and the server's version, on a connection of its own."""

    async def check() -> tuple[str | None, str | None]:
        conn = await asyncpg.connect(dsn, timeout=seconds)
        try:
            server: str = await conn.fetchval("SHOW server_version")
            exists = await conn.fetchval("SELECT to_regclass('alembic_version') IS NOT NULL")
            if not exists:
                return None, server
            revision: str | None = await conn.fetchval("SELECT version_num FROM alembic_version")
            return revision, server
        finally:
            conn.terminate()

    return await within(seconds, check())
