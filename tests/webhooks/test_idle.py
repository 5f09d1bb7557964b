"""A worker with nothing to serve (no subscription enabled, no ping or redelivery queued) does
not claim on every feed append, and a subscription created afterwards is served at once, long
before the fallback poll (migration 0017: what woke the worker is in the notification)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text

from app.db.repositories import webhooks as repo
from tests.webhooks.conftest import Harness, eventually

POLL = 60.0  # the fallback poll: far longer than the test waits


async def _listening(harness: Harness) -> bool:
    async with harness.maker() as session:
        found = await session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN %webhooks_wake%'"
            )
        )
    return bool(found)


async def test_feed_appends_pass_until_a_subscription_comes(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = 0
    claim = repo.claim

    async def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal claims
        claims += 1
        return await claim(*args, **kwargs)

    monkeypatch.setattr(repo, "claim", counted)
    harness.worker(poll_seconds=POLL)
    await eventually(lambda: claims == 1)
    for _ in range(100):
        if await _listening(harness):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the worker never listened")

    for _ in range(5):  # each its own transaction and notification, spaced past the claim gap
        await harness.emit(2)
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    assert claims == 1  # nothing could be claimed: no claim per append

    receiver = await harness.receiver()
    await harness.subscribe(receiver.url)
    await harness.emit(3)
    await eventually(lambda: len(receiver.received) >= 3, seconds=10.0)
    assert claims >= 2
