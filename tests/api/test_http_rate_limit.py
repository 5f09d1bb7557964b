"""Rate limiting: per verified API key, per client address otherwise; 429 with Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.api.kit.rate_limit import TokenBuckets
from app.main import create_app
from tests.conftest import settings_for

KeyMaker = Callable[..., Awaitable[str]]
DAY = "/v1/calendar/days/2024-04-29"


@pytest.fixture
async def limited(database_url: str) -> AsyncIterator[FastAPI]:
    # 3 a minute per address, 5 per key, shared by 2 replicas of 1 worker: each replica
    # enforces half, so a bucket here holds 1.5 and 2.5 tokens.
    app = create_app(
        settings_for(
            database_url,
            rate_limit_anonymous_per_minute=3,
            rate_limit_key_per_minute=5,
            rate_limit_replicas=2,
        )
    )
    async with app.router.lifespan_context(app):
        yield app


def _client(app: FastAPI, address: str) -> AsyncClient:
    transport = ASGITransport(app=app, client=(address, 40000))
    return AsyncClient(transport=transport, base_url="http://t")


async def test_anonymous_callers_are_limited_by_address(limited: FastAPI) -> None:
    async with _client(limited, "203.0.113.7") as http:
        assert (await http.get(DAY)).status_code == 200
        refused = await http.get(DAY)
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        body = refused.json()
        assert body["status"] == 429 and body["type"].endswith("/problems/rate-limited")
        # half a token left, refilled at 1.5 a minute (one per 40 s): 20 s to wait
        assert refused.headers["retry-after"] == "20"
        # probes and scrapes are never limited
        for _ in range(5):
            assert (await http.get("/health/live")).status_code == 200
            assert (await http.get("/metrics")).status_code == 200
    async with _client(limited, "203.0.113.8") as other:  # another address: its own bucket
        assert (await other.get(DAY)).status_code == 200
        # refused before routing, the 429 is still counted under its route, not "unmatched"
        metrics = (await other.get("/metrics")).text
        assert 'route="/v1/calendar/days/{date}",status="429"' in metrics
        assert 'route="unmatched",status="429"' not in metrics


async def test_a_verified_key_has_its_own_bucket(limited: FastAPI, api_key: KeyMaker) -> None:
    key = await api_key("compute")
    async with _client(limited, "198.51.100.1") as http:
        assert (await http.get(DAY)).status_code == 200
        assert (await http.get(DAY)).status_code == 429  # the address is spent
        auth = {"Authorization": f"Bearer {key}"}
        assert [(await http.get(DAY, headers=auth)).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        # An invented key (or another's prefix with a wrong secret) counts as the address.
        prefix = key.split("_")[1]
        forged = {"X-API-Key": f"vnd_{prefix}_not-the-secret"}
        assert (await http.get(DAY, headers=forged)).status_code == 429


def test_buckets_refill_at_the_rate() -> None:
    buckets = TokenBuckets(per_minute=60)  # one a second, a minute's burst
    assert all(buckets.take("a", 0.0) == 0.0 for _ in range(60))
    assert buckets.take("a", 0.0) == pytest.approx(1.0)
    assert buckets.take("a", 0.5) == pytest.approx(0.5)
    assert buckets.take("a", 1.0) == 0.0
