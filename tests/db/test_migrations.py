"""Migrations go from an empty database to head, back to base, and up again."""

from __future__ import annotations

from sqlalchemy import text

from app.db import migrate
from app.db.base import Base
from app.db.engine import make_engine
from tests.conftest import Databases


async def _tables(engine: object) -> set[str]:
    async with engine.connect() as conn:  # type: ignore[attr-defined]
        rows = await conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        )
        return {r[0] for r in rows}


async def test_empty_to_head_to_base_and_back(databases: Databases) -> None:
    engine = make_engine(await databases.create(), pool_size=1, max_overflow=0)
    try:
        assert await _tables(engine) == set()
        await migrate.upgrade(engine)
        model_tables = set(Base.metadata.tables)
        assert model_tables <= await _tables(engine)
        async with engine.connect() as conn:
            assert await migrate.current_revision(conn) == migrate.head_revision()
        await migrate.downgrade(engine, "base")
        assert await _tables(engine) == {"alembic_version"}
        await migrate.upgrade(engine)
        assert model_tables <= await _tables(engine)
    finally:
        await engine.dispose()


def test_one_head() -> None:
    assert migrate.head_revision()
