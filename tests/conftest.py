"""Real PostgreSQL for every database test: TEST_DATABASE_URL when given, else embedded.

Each test session creates its own database (migrated from empty to head), so runs never share
state. Each API test runs inside a transaction that is rolled back (`client`); tests that need
real commits (concurrency, several app instances) use `committed_client` and clean up.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

import asyncpg
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from app.db import migrate
from app.db.embedded import start_embedded
from app.db.engine import make_engine
from app.main import create_app
from app.runtime import Runtime
from app.services.seed import seed_database
from app.settings import Settings
from tests.cli import Cli
from tests.openapi_check import OpenApiCheck


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def _with_database(dsn: str, name: str) -> str:
    """The same server, another database (works for host:port and ?host=socket forms)."""
    base, _, query = dsn.partition("?")
    scheme_host, _, _ = base.rpartition("/")
    return f"{scheme_host}/{name}" + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def server_dsn() -> Iterator[str]:
    """An admin DSN of the PostgreSQL server the tests use."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield _asyncpg_dsn(given)
        return
    folder = Path(tempfile.mkdtemp(prefix="vnd-test-"))
    embedded = start_embedded(folder)
    try:
        yield embedded.admin_dsn
    finally:
        embedded.stop()
        shutil.rmtree(folder, ignore_errors=True)


class Databases:
    """Creates throw-away databases on the test server and drops them at the end."""

    def __init__(self, server_dsn: str) -> None:
        self.server_dsn = server_dsn
        self.created: list[str] = []

    async def create(self) -> str:
        name = f"vnd_test_{uuid.uuid4().hex[:12]}"
        conn = await asyncpg.connect(self.server_dsn)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        self.created.append(name)
        return _with_database(self.server_dsn, name).replace(
            "postgresql://", "postgresql+asyncpg://", 1
        )

    async def drop_all(self) -> None:
        conn = await asyncpg.connect(self.server_dsn)
        try:
            for name in self.created:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


@pytest.fixture(scope="session")
async def databases(server_dsn: str) -> AsyncIterator[Databases]:
    dbs = Databases(server_dsn)
    yield dbs
    await dbs.drop_all()


@pytest.fixture(scope="session")
async def database_url(databases: Databases) -> str:
    url = await databases.create()
    engine = make_engine(url, pool_size=1, max_overflow=0)
    await migrate.upgrade(engine)
    await seed_database(engine)
    await engine.dispose()
    return url


def settings_for(database_url: str, **overrides: object) -> Settings:
    # Every test calls from one address, thousands of times a minute: no rate limit unless a
    # test asks for one.
    limits: dict[str, object] = {
        "rate_limit_key_per_minute": 0,
        "rate_limit_anonymous_per_minute": 0,
    }
    # CI runs three suites at once on two cores: twenty concurrent writes may wait longer than
    # the service's defaults to open a connection (1 s: a new backend per connection on a busy
    # server), for one of twenty pooled ones (1.5 s) or, queued on one row's lock, for their
    # statement (3 s), and get a 503. Outages are not what those tests check; the fault tests
    # set their own short deadlines.
    waits: dict[str, object] = {
        "db_connect_timeout_seconds": 15.0,
        "db_pool_timeout_seconds": 15.0,
        "db_statement_timeout_seconds": 30.0,
    }
    return Settings(
        database_url=database_url,
        migrate_on_start=False,
        scanner_interval_seconds=0,
        webhook_concurrency=0,
        _env_file=None,
        **(limits | waits | overrides),  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(settings_for(database_url))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
def runtime(app: FastAPI) -> Runtime:
    rt: Runtime = app.state.runtime
    return rt


@pytest.fixture(scope="session")
def engine(runtime: Runtime) -> AsyncEngine:
    return runtime.engine


@contextlib.asynccontextmanager
async def rolled_back(runtime: Runtime) -> AsyncIterator[None]:
    """The runtime's sessions, meanwhile, in one transaction rolled back at the end (each
    session's own commit a savepoint of it)."""
    original = runtime.sessionmaker
    async with runtime.engine.connect() as conn:
        outer = await conn.begin()
        runtime.sessionmaker = async_sessionmaker(
            bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        try:
            yield
        finally:
            runtime.sessionmaker = original
            await outer.rollback()


@pytest.fixture
async def client(app: FastAPI, runtime: Runtime) -> AsyncIterator[AsyncClient]:
    """An HTTP client whose every database write is rolled back after the test."""
    async with (
        rolled_back(runtime),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as http,
    ):
        yield http


@pytest.fixture
async def api_key(runtime: Runtime) -> AsyncIterator[Callable[..., Awaitable[str]]]:
    """Creates committed API keys with the given scopes; removes them after the test."""
    from sqlalchemy import delete

    from app.db.engine import make_sessionmaker
    from app.db.models import ApiKey
    from app.domain.keys import Scope
    from app.services import api_keys

    maker = make_sessionmaker(runtime.engine)
    made: list[str] = []

    async def make(*scopes: str) -> str:
        async with maker() as session:
            key, row = await api_keys.create(session, "test", [Scope(s) for s in scopes], "tests")
            await session.commit()
        made.append(row.prefix)
        return key

    yield make
    async with maker() as session:
        await session.execute(delete(ApiKey).where(ApiKey.prefix.in_(made)))
        await session.commit()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """`python -m app …` run in this process (tests/cli.py)."""
    return Cli(capsys, monkeypatch)


# -- every response checked against the served OpenAPI document ---------------------------------

_CHECKS: dict[int, OpenApiCheck] = {}


def _check_for(app: FastAPI) -> OpenApiCheck:
    found = _CHECKS.get(id(app))
    if found is None:
        found = _CHECKS[id(app)] = OpenApiCheck(app.openapi())
    return found


@pytest.fixture(autouse=True, scope="session")
def _responses_match_the_openapi_document() -> Iterator[None]:
    """Hooks OpenApiCheck (tests/openapi_check.py) into every httpx client that talks to an
    app in-process: a response that contradicts the document fails the test."""
    original = AsyncClient.__init__

    def init(self: AsyncClient, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        app = getattr(kwargs.get("transport"), "app", None)
        if isinstance(app, FastAPI):
            self.event_hooks["response"].append(_check_for(app))

    with patch.object(AsyncClient, "__init__", init):
        yield
