"""/metrics: standard collectors, no `_created`, business metrics, OpenMetrics on request."""

from __future__ import annotations

import asyncio

from httpx import AsyncClient
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as openmetrics_families,
)
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from app.jobs.scanner import Scanner
from app.runtime import Runtime
from app.services.vitals import VITALS

OPENMETRICS = "application/openmetrics-text"


def _samples(body: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


async def test_standard_collectors_and_no_created_series(client: AsyncClient) -> None:
    await client.get("/health/live")
    r = await client.get("/metrics")
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = _samples(r.text)
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes", "python_info"):
        assert name in samples, name
    assert "python_gc_objects_collected_total" in samples
    assert not [name for name in samples if name.endswith("_created")]


async def test_openmetrics_when_asked(client: AsyncClient) -> None:
    # What Prometheus sends when it scrapes.
    accept = (
        "application/openmetrics-text;version=1.0.0;q=0.6,"
        "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"
    )
    await client.get("/health/live")
    r = await client.get("/metrics", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(OPENMETRICS)
    assert r.text.endswith("# EOF\n")
    names = {f.name for f in openmetrics_families(r.text)}  # type: ignore[no-untyped-call]
    assert {"http_requests", "process_cpu_seconds", "calendar_revision"} <= names
    assert "_created" not in r.text


async def test_calendar_and_catalog_revisions(client: AsyncClient, runtime: Runtime) -> None:
    samples = _samples((await client.get("/metrics")).text)
    assert runtime.calendar is not None and runtime.calendar.snapshot is not None
    assert samples["calendar_revision"] == [({}, runtime.calendar.snapshot.revision)]
    assert runtime.catalog is not None
    assert samples["rule_catalog_revision"] == [({}, runtime.catalog.revision)]


async def test_scanner_pass_refreshes_runs_lag_and_open_counts(
    client: AsyncClient, runtime: Runtime
) -> None:
    before = VITALS.scanner_runs["ok"]
    scanner = Scanner(runtime.sessionmaker, interval=0.05)
    scanner.start()
    try:
        for _ in range(200):
            if VITALS.scanner_runs["ok"] > before:
                break
            await asyncio.sleep(0.02)
    finally:
        await scanner.stop()
    assert VITALS.scanner_runs["ok"] > before
    samples = _samples((await client.get("/metrics")).text)
    assert ({"outcome": "ok"}, float(VITALS.scanner_runs["ok"])) in samples["scanner_runs_total"]
    ((_, lag),) = samples["scanner_lag_seconds"]
    assert 0 <= lag < 60
    async with runtime.sessionmaker() as session:
        overdue = await session.scalar(
            text("SELECT count(*) FROM dossiers WHERE status = 'overdue'")
        )
        pending = await session.scalar(
            text("SELECT count(*) FROM obligations WHERE status = 'pending'")
        )
        head = await session.scalar(text("SELECT coalesce(max(id), 0) FROM events"))
    assert ({"status": "overdue"}, float(overdue or 0)) in samples["dossiers_open"]
    assert ({"status": "pending"}, float(pending or 0)) in samples["obligations_open"]
    if head:
        assert samples["change_feed_head"] == [({}, float(head))]
