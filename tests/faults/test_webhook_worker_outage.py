"""The webhook delivery worker during a database outage logs like the requests do: the outage
counted and summarised (one line per failure class per interval), never a traceback per pass
(it would carry SQL and flood the log), and it delivers again once the database is back."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import make_url

from app.db import migrate
from app.db.availability import OUTAGES
from app.db.engine import Timeouts, make_engine, make_sessionmaker
from app.jobs.webhook_delivery import DeliveryWorker
from tests.conftest import Databases
from tests.pgproxy import PgProxy

SHORT = Timeouts(connect=0.5, pool=0.5, statement=1.0)


async def test_an_outage_is_summarised_not_traced(
    server_dsn: str, databases: Databases, caplog: pytest.LogCaptureFixture
) -> None:
    url = await databases.create()
    engine = make_engine(url, pool_size=1, max_overflow=0)
    await migrate.upgrade(engine)
    await engine.dispose()

    proxy = PgProxy(server_dsn)
    await proxy.start()
    database = make_url(url).database
    assert database is not None
    proxied = proxy.url(database)
    engine = make_engine(proxied, pool_size=2, max_overflow=0, timeouts=SHORT)
    worker = DeliveryWorker(
        make_sessionmaker(engine),
        proxied.replace("postgresql+asyncpg://", "postgresql://", 1),
        concurrency=2,
        timeout=1.0,
        retry_seconds=60.0,
        poll_seconds=0.1,
        allowed_hosts=frozenset({"127.0.0.1"}),
    )
    caplog.set_level(logging.INFO)
    before = {where: _failures(where) for where in ("webhook-delivery", "webhook-listen")}
    worker.start()
    try:
        await asyncio.sleep(0.3)  # a few passes against a working database
        await proxy.stop()
        await asyncio.sleep(1.5)  # passes every 0.1 s and a listener retry: all fail
        outage = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert not [r for r in outage if r.exc_info], [r.getMessage() for r in outage]
        # every failed pass is counted (the summary lines are shared with the rest of the
        # process, one per failure class per interval, so other tests' outages may have
        # used this interval's line)
        assert _failures("webhook-delivery") - before["webhook-delivery"] >= 5
        assert _failures("webhook-listen") - before["webhook-listen"] >= 1
        summaries = [r for r in outage if r.getMessage() == "database unavailable"]
        assert len(summaries) <= 6, len(summaries)
    finally:
        await proxy.start()
        await worker.stop()
        await engine.dispose()
        await proxy.stop()


def _failures(where: str) -> float:
    """database_unavailable_total for `where`, over every failure class."""
    return sum(
        sample.value
        for metric in OUTAGES.counter.collect()
        for sample in metric.samples
        if sample.name.endswith("_total") and sample.labels.get("where") == where
    )
