"""Ops endpoints: liveness, readiness, Prometheus metrics, version."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from app import __version__
from app.api.kit.deps import RuntimeDep
from app.api.kit.problems import problem
from app.api.ops.metrics import exposition
from app.db import probe
from app.db.migrate import head_revision
from app.runtime import Runtime
from app.versioning import git_commit

router = APIRouter(tags=["ops"])


class Live(BaseModel):
    status: str = "alive"


class Check(BaseModel):
    ok: bool
    detail: str


class Ready(BaseModel):
    status: str
    checks: dict[str, Check]


class Version(BaseModel):
    version: str
    git_commit: str | None
    schema_revision: str | None
    schema_head: str
    postgresql: str | None = Field(
        description="Version of the PostgreSQL server the service talks to (null when down)."
    )


@router.get("/health/live", response_model=Live, summary="The process is up")
async def live() -> Live:
    return Live()


async def _database_checks(runtime: Runtime) -> tuple[Check, Check]:
    """On a connection of its own with its own deadline: a full or stalled pool cannot hold
    the answer back."""
    head = head_revision()
    try:
        current = await probe.schema_revision(
            probe.driver_dsn(runtime.engine), runtime.settings.ready_timeout_seconds
        )
    except Exception as exc:  # any failure to reach the database means not ready
        reason = f"unreachable: {type(exc).__name__}"
        return Check(ok=False, detail=reason), Check(ok=False, detail="unknown: " + reason)
    migrations = Check(
        ok=current == head,
        detail=f"at {current}" + ("" if current == head else f", head is {head}"),
    )
    return Check(ok=True, detail="reachable"), migrations


def _calendar_check(runtime: Runtime) -> Check:
    state = runtime.calendar
    if state is None or state.snapshot is None:
        return Check(ok=False, detail="calendar snapshot not loaded")
    return Check(ok=True, detail=f"revision {state.snapshot.revision} loaded")


def _catalog_check(runtime: Runtime) -> Check:
    state = runtime.catalog
    if state is None or state.catalog is None:
        return Check(ok=False, detail="rule catalog not loaded")
    return Check(
        ok=True, detail=f"revision {state.revision}, {len(state.catalog.profiles)} profiles"
    )


@router.get(
    "/health/ready",
    response_model=Ready,
    summary="Database reachable, migrations at head, calendar loaded",
    responses={503: {"description": "A check failed (problem+json with the checks)"}},
)
async def ready(runtime: RuntimeDep) -> Any:
    database, migrations = await _database_checks(runtime)
    checks = {
        "database": database,
        "migrations": migrations,
        "calendar": _calendar_check(runtime),
        "catalog": _catalog_check(runtime),
    }
    if all(c.ok for c in checks.values()):
        return Ready(status="ready", checks=checks)
    failed = ", ".join(name for name, c in checks.items() if not c.ok)
    return problem(
        503,
        f"Not ready: {failed}",
        code="not-ready",
        status_text="not_ready",
        checks={k: v.model_dump() for k, v in checks.items()},
        headers={"Retry-After": "5"},
    )


class DatabasePing(BaseModel):
    status: str = "reachable"
    round_trip_ms: float


@router.get(
    "/health/db",
    response_model=DatabasePing,
    summary="One round trip to the database (no transaction): its reachability and latency",
    responses={503: {"description": "The database did not answer (problem+json)"}},
)
async def database_ping(runtime: RuntimeDep) -> Any:
    started = time.perf_counter()

    async def round_trip() -> None:
        async with runtime.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            await raw.driver_connection.fetchval("SELECT 1")  # type: ignore[union-attr]

    try:
        await probe.within(runtime.settings.ready_timeout_seconds, round_trip())
    except Exception as exc:  # any failure to reach the database
        return problem(
            503,
            f"The database did not answer: {type(exc).__name__}",
            code="not-ready",
            headers={"Retry-After": "5"},
        )
    return DatabasePing(round_trip_ms=round((time.perf_counter() - started) * 1000, 3))


@router.get(
    "/metrics",
    summary="Prometheus metrics (OpenMetrics when the Accept header asks for it)",
    response_class=Response,
    responses={
        200: {
            "description": "The Prometheus text exposition format, or OpenMetrics when asked",
            "content": {
                "text/plain": {"schema": {"type": "string"}},
                "application/openmetrics-text": {"schema": {"type": "string"}},
            },
        }
    },
)
async def metrics(request: Request) -> Response:
    body, media_type = exposition(request.headers.get("accept"))
    return Response(body, headers={"Content-Type": media_type, "Vary": "Accept"})


@router.get(
    "/version", response_model=Version, summary="Package, commit, schema and PostgreSQL versions"
)
async def version(runtime: RuntimeDep) -> Version:
    current: str | None = None
    server: str | None = None
    try:
        current, server = await probe.schema_and_server(
            probe.driver_dsn(runtime.engine), runtime.settings.ready_timeout_seconds
        )
    except Exception:  # /version still answers when the database is down
        current = None
    return Version(
        version=__version__,
        git_commit=runtime.settings.git_commit or git_commit(),
        schema_revision=current,
        schema_head=head_revision(),
        postgresql=server,
    )
