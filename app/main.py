"""create_app(): lifespan (database, calendar snapshot, background work), routers, middleware."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__, console
from app.api.calendar import notices_router as calendar_notices
from app.api.calendar import router as calendar
from app.api.deadlines import router as deadlines
from app.api.decisions import router as decisions
from app.api.dossiers import router as dossiers
from app.api.dossiers import rules_router as dossier_rules
from app.api.dossiers import schedules_router as office_schedules
from app.api.feed import router as feed
from app.api.kit import docs, http, openapi, problems
from app.api.kit.body_gate import BodyGateMiddleware
from app.api.kit.hot_lane import HotLane
from app.api.kit.middleware import RequestContextMiddleware
from app.api.obligations import router as obligations
from app.api.ops import router as ops
from app.api.ops.metrics import POOL
from app.api.ops.service_metrics import SERVICE
from app.api.problem_pages import router as problem_pages
from app.api.procedures import router as procedures
from app.api.reporting import router as reporting
from app.api.rules import drafts_router as profile_drafts
from app.api.rules import router as rules
from app.api.webhooks import messages as webhook_messages
from app.api.webhooks import router as webhooks
from app.db.embedded import DATABASE_NAME, EmbeddedPostgres, ensure_database, start_embedded
from app.db.engine import Timeouts, make_engine, make_sessionmaker
from app.runtime import Runtime
from app.runtime.calendar_state import CalendarState
from app.runtime.catalog_state import CatalogState
from app.runtime.dossier_rules_state import DossierRulesState
from app.runtime.key_cache import ApiKeyCache
from app.settings import Settings, get_settings
from app.startup import Startup, exit_process

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
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        timeouts=Timeouts.for_requests(settings),
    )
    # Migrations and the scanner have longer statements than requests: an engine of their own.
    background_engine = make_engine(
        url, pool_size=1, max_overflow=1, timeouts=Timeouts.for_background(settings)
    )
    runtime = Runtime(settings=settings, engine=engine, sessionmaker=make_sessionmaker(engine))
    runtime.calendar = CalendarState(
        runtime.sessionmaker, culture_day_compensatory=settings.culture_day_compensatory
    )
    runtime.catalog = CatalogState(runtime.sessionmaker)
    runtime.dossier_rules = DossierRulesState(runtime.sessionmaker)
    runtime.keys = ApiKeyCache(runtime.sessionmaker)
    app.state.runtime = runtime
    POOL.engine = engine
    SERVICE.runtime = runtime
    startup = Startup(runtime, background_engine, app.state.give_up)
    try:
        await startup.begin()
        yield
    finally:
        await startup.stop()
        await engine.dispose()
        await background_engine.dispose()
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
        generate_unique_id_function=openapi.operation_id,
    )
    app.state.settings = settings or get_settings()
    app.state.give_up = exit_process  # what start-up does when the database never comes
    # Added first: the innermost, so every layer below sees the hot routes as before.
    app.add_middleware(HotLane)
    app.add_middleware(
        BodyGateMiddleware,
        limit=app.state.settings.max_body_bytes,
        by_path={
            "/v1/deadlines/compute-batch": deadlines.MAX_BATCH_BODY,
            "/v1/dossiers/appointment/batch": dossiers.MAX_BATCH_BODY,
            "/v1/profiles/drafts": profile_drafts.MAX_DRAFT_BODY,
        },
    )
    http.install(app, app.state.settings)
    # Added last: the outermost.
    app.add_middleware(RequestContextMiddleware, public_base_url=app.state.settings.public_base_url)
    problems.install(app)
    # Routes are matched in order, one by one: the portal's hot paths come first, the docs
    # and their static files last.
    app.include_router(ops.router)
    app.include_router(calendar.hot_router)
    app.include_router(deadlines.router)
    app.include_router(dossiers.router)
    app.include_router(calendar_notices.router)
    app.include_router(dossier_rules.router)
    app.include_router(office_schedules.router)
    app.include_router(calendar.router)
    app.include_router(calendar.ics_router)
    app.include_router(feed.router)
    app.include_router(reporting.router)
    app.include_router(profile_drafts.router)  # before rules: /v1/profiles/drafts
    app.include_router(rules.router)
    app.include_router(decisions.router)
    app.include_router(obligations.router)
    app.include_router(procedures.router)
    app.include_router(webhooks.router)
    app.include_router(problem_pages.router)
    app.webhooks.include_router(webhook_messages.messages)
    docs.install(app)
    openapi.install(app)
    console.install(app)  # the console's pages at / (app/console)
    return app
