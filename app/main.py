"""create_app(): lifespan (database, calendar snapshot, background work), routers, middleware."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__
from app.api import docs, problems
from app.api.metrics import POOL
from app.api.middleware import RequestContextMiddleware
from app.api.routes import (
    calendar,
    deadlines,
    decisions,
    dossiers,
    feed,
    obligations,
    ops,
    procedures,
    reporting,
    rules,
)
from app.api.webhooks import messages as webhook_messages
from app.api.webhooks import router as webhooks
from app.db import migrate
from app.db.embedded import DATABASE_NAME, EmbeddedPostgres, ensure_database, start_embedded
from app.db.engine import make_engine, make_sessionmaker
from app.jobs.webhook_delivery import DeliveryWorker
from app.runtime import Runtime
from app.services.calendar_state import CalendarState
from app.services.catalog_state import CatalogState
from app.services.key_cache import ApiKeyCache
from app.services.reference import Follower
from app.services.scanner import Scanner
from app.settings import Settings, get_settings

log = logging.getLogger(__name__)

DESCRIPTION = """
**When is this due?** The Vietnamese public-sector working-day calendar (lunar Tết, Giỗ Tổ,
compensatory days, the Government's yearly day swaps), the statutory deadline rules for
administrative procedures, and the records whose deadlines it tracks.

Dates are ISO 8601; date-times carry an offset (default zone Asia/Ho_Chi_Minh). Errors are
RFC 9457 `application/problem+json`. Read and compute routes are open unless the operator
requires a key; write routes need an API key with scope `write`, reference data `admin`.
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    embedded: EmbeddedPostgres | None = None
    url = settings.database_url
    if url is None:
        embedded = await asyncio.to_thread(start_embedded, settings.data_dir)
        await ensure_database(embedded.admin_dsn, DATABASE_NAME)
        url = embedded.url()
    engine = make_engine(
        url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow
    )
    try:
        if settings.migrate_on_start:
            await migrate.upgrade(engine)
        runtime = Runtime(settings=settings, engine=engine, sessionmaker=make_sessionmaker(engine))
        runtime.calendar = CalendarState(
            runtime.sessionmaker, culture_day_compensatory=settings.culture_day_compensatory
        )
        runtime.catalog = CatalogState(runtime.sessionmaker)
        runtime.keys = ApiKeyCache(runtime.sessionmaker)
        app.state.runtime = runtime
        POOL.engine = engine
        await runtime.calendar.refresh()
        await runtime.catalog.refresh()
        follower = Follower(
            url.replace("postgresql+asyncpg://", "postgresql://", 1),
            settings.calendar_poll_seconds,
            [runtime.calendar, runtime.catalog, runtime.keys],
        )
        follower.start()
        background = Scanner(runtime.sessionmaker, settings.scanner_interval_seconds)
        background.start()
        delivery = DeliveryWorker.from_settings(runtime.sessionmaker, url, settings)
        delivery.start()
        try:
            yield
        finally:
            await delivery.stop()
            await background.stop()
            await follower.stop()
    finally:
        await engine.dispose()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Vietnamese statutory deadlines",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings or get_settings()
    app.add_middleware(RequestContextMiddleware)
    problems.install(app)
    # Routes are matched in order, one by one: the portal's hot paths come first, the docs
    # and their static files last.
    app.include_router(ops.router)
    app.include_router(calendar.hot_router)
    app.include_router(deadlines.router)
    app.include_router(dossiers.router)
    app.include_router(calendar.router)
    app.include_router(calendar.ics_router)
    app.include_router(feed.router)
    app.include_router(reporting.router)
    app.include_router(rules.router)
    app.include_router(decisions.router)
    app.include_router(obligations.router)
    app.include_router(procedures.router)
    app.include_router(webhooks.router)
    app.webhooks.include_router(webhook_messages.messages)
    docs.install(app)
    return app
