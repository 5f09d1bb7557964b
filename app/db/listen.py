"""A connection of its own that listens for notifications (LISTEN), for the background loops
that wake on them (the webhook worker, the reference follower)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import asyncpg


async def listening(
    dsn: str, channels: Iterable[str], callback: Callable[..., Any], *, seconds: float
) -> asyncpg.Connection:
    """A new connection listening on `channels`. Should a LISTEN fail (the database going away
    between the connect and it), the connection is closed here: its caller never received it,
    so nobody else would close it, and it would linger until garbage-collected."""
    conn = await asyncpg.connect(dsn, timeout=seconds, command_timeout=seconds)
    try:
        for channel in channels:
            await conn.add_listener(channel, callback)
    except BaseException:
        conn.terminate()
        raise
    return conn
