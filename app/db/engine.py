"""Async engine and session factory."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        # No pre-ping: it costs a round trip per request. A connection found dead raises
        # once, the pool is then invalidated and refilled (readiness reports the outage).
        pool_pre_ping=False,
        # Fail fast when the server is gone, so /health/ready answers 503 promptly.
        connect_args={"timeout": 5, "server_settings": {"application_name": "vn-deadlines"}},
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after the use case commits.
    return async_sessionmaker(engine, expire_on_commit=False)
