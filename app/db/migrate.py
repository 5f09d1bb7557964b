"""Run and inspect the Alembic migrations from the application."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

ROOT = Path(__file__).resolve().parents[2]


def alembic_config() -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


@cache
def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have exactly one head, found {heads}")
    return heads[0]


def _on(connection: Connection, target: str, *, down: bool) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    if down:
        command.downgrade(cfg, target)
    else:
        command.upgrade(cfg, target)


# Several replicas may start at once: one migrates, the others wait on this lock, then find
# nothing left to do.
MIGRATION_LOCK = 0x76_6E_64_6C  # "vndl"


async def upgrade(engine: AsyncEngine, target: str = "head") -> None:
    async with engine.begin() as conn:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        await conn.run_sync(_on, target, down=False)


async def downgrade(engine: AsyncEngine, target: str = "base") -> None:
    async with engine.begin() as conn:
        await conn.run_sync(_on, target, down=True)


async def current_revision(conn: AsyncConnection) -> str | None:
    try:
        return (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except ProgrammingError:
        return None
