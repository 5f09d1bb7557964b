"""Delivery tests run real workers against a database of their own (committed data, several
workers, restarts) and real HTTP receivers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db import migrate
from app.db.engine import make_engine, make_sessionmaker
from app.db.models import WebhookSubscription
from app.db.repositories import feed
from app.jobs.webhook_delivery import DeliveryWorker
from app.services import webhooks
from app.services.webhooks import Caller, Draft
from tests.conftest import Databases
from tests.webhooks.receiver import Receiver

ALLOWED = frozenset({"127.0.0.1"})
ADMIN = Caller(owner="tests", admin=True)


@dataclass
class Harness:
    maker: async_sessionmaker[AsyncSession]
    dsn: str
    workers: list[DeliveryWorker] = field(default_factory=list)
    receivers: list[Receiver] = field(default_factory=list)

    def worker(self, **overrides: Any) -> DeliveryWorker:
        options: dict[str, Any] = {
            "concurrency": 4,
            "timeout": 1.0,
            "retry_seconds": 60.0,
            "poll_seconds": 0.2,
            "allowed_hosts": ALLOWED,
        } | overrides
        worker = DeliveryWorker(self.maker, self.dsn, **options)
        worker.start()
        self.workers.append(worker)
        return worker

    async def receiver(self, receiver: Receiver | None = None) -> Receiver:
        started = await (receiver or Receiver()).start()
        self.receivers.append(started)
        return started

    async def subscribe(
        self, url: str, types: tuple[str, ...] = ("decision.created",), **draft: Any
    ) -> tuple[int, str]:
        values: dict[str, Any] = {
            "url": url,
            "event_types": list(types),
            "profile": None,
            "office": None,
            "decision_id": None,
            "description": "",
            "max_batch": 1,
            "enabled": True,
            "start_after": None,
        } | draft
        async with self.maker() as session:
            row, secret = await webhooks.create(session, ADMIN, Draft(**values), ALLOWED)
        return row.id, secret

    async def emit(self, count: int, kind: str = "decision.created", **payload: Any) -> list[int]:
        """Append `count` events in one transaction; their feed ids."""
        async with self.maker() as session:
            before = await feed.last_id(session)
            await feed.append(
                session,
                [(kind, "decision", str(i), {"n": i, **payload}) for i in range(count)],
            )
            await session.commit()
            rows = await session.execute(
                text("SELECT id FROM events WHERE id > :b ORDER BY id"), {"b": before}
            )
            return [int(r[0]) for r in rows]

    async def state(self, sub_id: int) -> WebhookSubscription:
        async with self.maker() as session:
            row = await session.get(WebhookSubscription, sub_id)
            assert row is not None
            return row


async def eventually(check: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@pytest.fixture(scope="module")
async def delivery_db(databases: Databases) -> tuple[str, str]:
    url = await databases.create()
    engine = make_engine(url, pool_size=1, max_overflow=0)
    await migrate.upgrade(engine)
    await engine.dispose()
    return url, url.replace("postgresql+asyncpg://", "postgresql://", 1)


@pytest.fixture
async def harness(delivery_db: tuple[str, str]) -> AsyncIterator[Harness]:
    url, dsn = delivery_db
    engine = make_engine(url, pool_size=10, max_overflow=10)
    h = Harness(make_sessionmaker(engine), dsn)
    try:
        yield h
    finally:
        for worker in h.workers:
            await worker.stop()
        for receiver in h.receivers:
            await receiver.stop()
        async with h.maker() as session:
            await session.execute(delete(WebhookSubscription))
            await session.commit()
        await engine.dispose()
