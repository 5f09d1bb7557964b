"""Rate limiting: a token bucket per API key, and per client address for callers without a
(verified) key, kept in each process.

Why in-process and not in PostgreSQL: a limit checked in the database costs a round trip and
a row lock on every request, on the portal's hottest routes (a few microseconds here against a
millisecond there), and turns a database outage into refused reads for routes that need no
database. The price is that the limit is shared by division: each process enforces
limit / (RATE_LIMIT_REPLICAS × WORKERS), which is exact when the load balancer spreads a
caller's requests evenly, and at worst lets a caller pinned to one process have a fraction of
its allowance. Good enough for a guard against runaway clients; not a billing meter.

A bucket holds one minute's allowance and refills continuously, so "N per minute" allows a
burst of N and then N per minute sustained. Probes and scrapes (/health/*, /metrics) are never
limited. A key counts as a key only when verified (the presented secret matches the digest of
an active key, read once per replica into the key cache): an invented or someone else's prefix
is limited by the caller's address, so it can neither dodge the limit nor drain another
caller's bucket.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.kit import caller
from app.api.kit.problems import problem
from app.domain import keys

EXEMPT_PREFIXES = ("/health/", "/metrics")
MAX_BUCKETS = 100_000  # beyond this, idle (full) buckets are dropped


@dataclass
class Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Buckets of `capacity` tokens refilled at `capacity` per minute."""

    def __init__(self, per_minute: float) -> None:
        self.capacity = per_minute
        self.rate = per_minute / 60.0  # tokens per second
        self._buckets: dict[str, Bucket] = {}

    def take(self, who: str, now: float) -> float:
        """0 when a request may go ahead (a token taken), else the seconds until one may."""
        bucket = self._buckets.get(who)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._forget_idle(now)
            bucket = self._buckets[who] = Bucket(self.capacity, now)
        else:
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full_after = self.capacity / self.rate
        idle = [w for w, b in self._buckets.items() if now - b.updated >= full_after]
        for who in idle:
            del self._buckets[who]
        if len(self._buckets) >= MAX_BUCKETS:  # all busy: start afresh rather than grow
            self._buckets.clear()


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, key_per_minute: float, anonymous_per_minute: float) -> None:
        self.app = app
        self._keys = TokenBuckets(key_per_minute) if key_per_minute > 0 else None
        self._anonymous = TokenBuckets(anonymous_per_minute) if anonymous_per_minute > 0 else None

    async def _verified_prefix(self, scope: Scope) -> str | None:
        presented = caller.CallerHeaders.of(scope).presented_key()
        prefix = keys.prefix_of(presented) if presented else None
        if presented is None or prefix is None or "app" not in scope:
            return None
        runtime = getattr(scope["app"].state, "runtime", None)
        if runtime is None or runtime.keys is None:
            return None
        try:  # read once per key and replica, then remembered
            known = await runtime.keys.lookup(prefix)
        except Exception:  # database out of reach: limited by address meanwhile
            return None
        if known is None or not keys.matches(presented, known.digest):
            return None
        return prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        prefix = await self._verified_prefix(scope)
        if prefix is not None:
            buckets, who, whom = self._keys, prefix, f"API key {prefix}"
        else:
            address = caller.client_address(scope) or "unknown"
            buckets, who, whom = self._anonymous, address, f"address {address}"
        wait = buckets.take(who, time.monotonic()) if buckets is not None else 0.0
        if wait <= 0.0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        response = problem(
            429,
            f"Too many requests from {whom}; retry after {retry_after} s.",
            code="rate-limited",
            headers={"Retry-After": str(retry_after)},
        )
        await response(scope, receive, send)
