"""Ops endpoints, problem+json errors, request ids, metrics, offline docs, committed OpenAPI."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import asyncpg
import pytest
from httpx import ASGITransport, AsyncClient

from app.main import create_app
from app.settings import Settings

PROBLEM = "application/problem+json"


async def test_live(client: AsyncClient) -> None:
    r = await client.get("/health/live")
    assert r.status_code == 200
    assert r.json() == {"status": "alive"}


async def test_ready_reports_each_check(client: AsyncClient) -> None:
    r = await client.get("/health/ready")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "calendar", "catalog"}
    assert all(check["ok"] for check in body["checks"].values())


async def test_version(client: AsyncClient, server_dsn: str) -> None:
    body = (await client.get("/version")).json()
    assert body["version"]
    assert body["schema_revision"] == body["schema_head"]
    # The server the service talks to, as that server reports itself on another connection.
    conn = await asyncpg.connect(server_dsn)
    try:
        assert body["postgresql"] == await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()


async def test_unknown_route_is_a_problem(client: AsyncClient) -> None:
    r = await client.get("/no/such/route")
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == 404 and body["title"] and "/no/such/route" in body["detail"]


async def test_wrong_method_is_a_problem(client: AsyncClient) -> None:
    r = await client.delete("/health/live")
    assert r.status_code == 405
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["status"] == 405


async def test_request_id_is_echoed_or_generated(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="app.access"):
        r = await client.get("/health/live", headers={"X-Request-ID": "abc-123"})
        generated = (await client.get("/health/live")).headers["x-request-id"]
    assert r.headers["x-request-id"] == "abc-123"
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    lines = [rec for rec in caplog.records if rec.name == "app.access"]
    first = lines[0]
    assert (first.request_id, first.method, first.route, first.status) == (  # type: ignore[attr-defined]
        "abc-123",
        "GET",
        "/health/live",
        200,
    )
    assert first.duration_ms >= 0  # type: ignore[attr-defined]


async def test_unexpected_error_is_a_500_problem_with_correlation_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app(Settings(database_url="postgresql://nowhere/none", _env_file=None))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as http:
        with caplog.at_level(logging.ERROR):
            r = await http.get("/boom", headers={"X-Request-ID": "corr-1"})
    assert r.status_code == 500
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["correlation_id"] == "corr-1"
    assert "secret internals" not in r.text and "Traceback" not in r.text
    assert any("secret internals" in (rec.exc_text or "") or rec.exc_info for rec in caplog.records)


async def test_metrics_count_requests_by_route_template(client: AsyncClient) -> None:
    await client.get("/health/live")
    await client.get("/no/such/route")
    text = (await client.get("/metrics")).text
    assert re.search(
        r'http_requests_total\{method="GET",route="/health/live",status="200"\} \d', text
    )
    assert 'route="unmatched",status="404"' in text
    assert "http_request_duration_seconds_bucket" in text
    assert "db_pool_size" in text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_use_no_external_url(client: AsyncClient, page: str) -> None:
    r = await client.get(page)
    assert r.status_code == 200
    assert not re.search(r"https?://", r.text), re.findall(r"https?://\S+", r.text)
    for asset in re.findall(r'(?:src|href)="(/static/docs/[^"]+)"', r.text):
        assert (await client.get(asset)).status_code == 200


def test_committed_openapi_matches_the_app() -> None:
    committed = json.loads((Path(__file__).parents[2] / "openapi" / "openapi.json").read_text())
    assert create_app().openapi() == committed, "run `make openapi` and commit the result"


async def test_database_ping_is_one_round_trip(client: AsyncClient) -> None:
    body = (await client.get("/health/db")).json()
    assert body["status"] == "reachable"
    assert body["round_trip_ms"] > 0
