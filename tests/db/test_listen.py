"""The background loops' listening connection (app/db/listen.py), on a real server."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from app.db.listen import listening

NAME = "listen-test"


def _named(dsn: str) -> str:
    """The same DSN, its connections named (asyncpg passes unknown parameters as settings)."""
    return dsn + ("&" if "?" in dsn else "?") + f"application_name={NAME}"


async def _open_connections(server_dsn: str) -> int:
    conn = await asyncpg.connect(server_dsn)
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", NAME
        )
        return count
    finally:
        await conn.close()


async def test_a_listening_connection_hears_its_channels(server_dsn: str) -> None:
    heard: asyncio.Queue[str] = asyncio.Queue()
    conn = await listening(
        server_dsn, ["listen_a", "listen_b"], lambda *args: heard.put_nowait(args[2]), seconds=5
    )
    try:
        sender = await asyncpg.connect(server_dsn)
        try:
            await sender.execute("NOTIFY listen_b")
        finally:
            await sender.close()
        assert await asyncio.wait_for(heard.get(), 5) == "listen_b"
    finally:
        await conn.close()


async def test_a_connection_whose_listen_fails_is_closed(server_dsn: str) -> None:
    # A zero-length identifier: the server refuses the second LISTEN, after the connect and
    # the first LISTEN succeeded, as when the database goes away between them.
    with pytest.raises(asyncpg.PostgresSyntaxError):
        await listening(_named(server_dsn), ["listen_a", ""], lambda *args: None, seconds=5)
    for _ in range(50):  # the backend ends shortly after its client hangs up
        if await _open_connections(server_dsn) == 0:
            break
        await asyncio.sleep(0.1)
    assert await _open_connections(server_dsn) == 0
