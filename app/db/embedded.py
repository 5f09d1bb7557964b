"""The embedded PostgreSQL (real binaries from the pgserver wheel) used when no URL is given."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg

log = logging.getLogger(__name__)

DATABASE_NAME = "vn_deadlines"


@dataclass
class EmbeddedPostgres:
    """A running embedded server. `stop()` stops it unless another process still holds it."""

    server: Any
    admin_dsn: str

    def url(self, database: str = DATABASE_NAME) -> str:
        """SQLAlchemy URL of a database on this server (unix socket, no TCP listener)."""
        socket_dir = parse_qs(urlsplit(self.admin_dsn).query)["host"][0]
        return f"postgresql+asyncpg://postgres@/{database}?host={socket_dir}"

    def dsn(self, database: str = DATABASE_NAME) -> str:
        """asyncpg DSN of a database on this server."""
        return self.url(database).replace("postgresql+asyncpg://", "postgresql://")

    def stop(self) -> None:
        self.server.cleanup()


def start_embedded(data_dir: Path) -> EmbeddedPostgres:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); its fallback is fine.
        warnings.simplefilter("ignore", UserWarning)
        import pgserver  # imported here: only the embedded mode needs it

    pgdata = (data_dir / "pg").resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    log.info("starting embedded PostgreSQL", extra={"pgdata": str(pgdata)})
    server = pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
    return EmbeddedPostgres(server=server, admin_dsn=server.get_uri())


async def ensure_database(admin_dsn: str, name: str) -> None:
    """Create the database `name` on the server if it is missing."""
    conn = await asyncpg.connect(admin_dsn)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
