"""Statements sent to asyncpg itself, on a session's connection or on a pooled one without a
session: compiled once by SQLAlchemy, run without the ORM session's per-statement work (the
event ingest's hot path)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

_ASYNCPG = asyncpg_dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True, slots=True)
class Compiled:
    """A statement compiled once for asyncpg: its SQL and the order of its parameters."""

    sql: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, statement: Any) -> Compiled:
        compiled = statement.compile(dialect=_ASYNCPG)
        return cls(str(compiled), tuple(compiled.positiontup or ()))

    def args(self, params: dict[str, Any]) -> list[Any]:
        return [params[name] for name in self.names]


async def raw(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, as it is: inside the session's transaction if
    one was begun, else running each statement as its own transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def in_transaction(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, inside its transaction (begun if need be).

    SQLAlchemy's asyncpg adapter sends BEGIN lazily, with the first statement *it* runs; a
    statement sent straight to the driver before that would run in autocommit, and a
    FOR UPDATE lock taken by it would be released at once. So BEGIN is sent here first."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    adapted: Any = raw.dbapi_connection
    if getattr(adapted, "_transaction", True) is None:
        await adapted._start_transaction()  # the adapter's own BEGIN, tracked by it
    return raw.driver_connection


@asynccontextmanager
async def own_statements(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Any]:
    """An asyncpg connection for statements that are each their own transaction, without an
    ORM session around them (its set-up and commit cost more than a grouped write's statement):
    one of the pool of the sessions' engine. When the sessions are bound to one connection
    instead (tests, in a transaction rolled back at the end), a savepoint on it, as their own
    commits are."""
    bind = sessions.kw["bind"]
    if isinstance(bind, AsyncConnection):
        async with bind.begin_nested():
            yield (await bind.get_raw_connection()).driver_connection
        return
    async with bind.connect() as connection:
        yield (await connection.get_raw_connection()).driver_connection
