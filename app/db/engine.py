"""Async engine and session factory, every wait on the database bounded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.db.availability import quiet_pool_errors
from app.settings import Settings

# The driver's own deadline is a little longer than the server's statement_timeout, so a slow
# statement is cancelled by the server (the connection stays usable) and the driver's deadline
# only fires when the server does not answer at all (stalled, or the network is gone).
_DRIVER_MARGIN_SECONDS = 0.5


@dataclass(frozen=True)
class Timeouts:
    connect: float = 2.0
    pool: float = 2.0
    statement: float = 3.0

    @classmethod
    def for_requests(cls, settings: Settings) -> Timeouts:
        return cls(
            connect=settings.db_connect_timeout_seconds,
            pool=settings.db_pool_timeout_seconds,
            statement=settings.db_statement_timeout_seconds,
        )

    @classmethod
    def for_background(cls, settings: Settings) -> Timeouts:
        """The scanner and migrations: their statements may legitimately take longer."""
        return cls(
            connect=settings.db_connect_timeout_seconds,
            pool=settings.db_pool_timeout_seconds,
            statement=settings.background_statement_timeout_seconds,
        )


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    timeouts: Timeouts = Timeouts(),
) -> AsyncEngine:
    quiet_pool_errors()
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=timeouts.pool,
        # No pre-ping: it costs a round trip per request. A connection found dead raises
        # once, the pool is then invalidated and refilled (readiness reports the outage).
        pool_pre_ping=False,
        connect_args={
            "timeout": timeouts.connect,
            "command_timeout": timeouts.statement + _DRIVER_MARGIN_SECONDS,
            "server_settings": {
                "application_name": "vn-deadlines",
                "statement_timeout": str(round(timeouts.statement * 1000)),
            },
        },
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after the use case commits.
    return async_sessionmaker(engine, expire_on_commit=False)
