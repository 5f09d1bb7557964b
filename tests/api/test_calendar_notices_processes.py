"""Two `python -m app serve` processes on one database, as two replicas behind a load balancer:
a notice imported through one is answered by the other within a second (PostgreSQL NOTIFY on
the calendar revision). Commits for real and withdraws what it imported."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest

from tests.serving import start_serve, wait_ready

NOTICES = "/v1/calendar/notices"
NUMBER = "6/TB-THUNGHIEM"
# Hypothetical notice: Thu 15/3/2029 off, worked Sat 17/3/2029 (2029 is provisional; no
# holiday that week: Giỗ Tổ 2029 is in April).
BODY = {
    "number": NUMBER,
    "issuer": "Cơ quan thử nghiệm",
    "title": "Thông báo thử nghiệm hai tiến trình",
    "status": "proposed",
    "decides_years": [2029],
    "swaps": [
        {"day_off": "2029-03-15", "working_day": "2029-03-17", "name_vi": "a", "name_en": "a"}
    ],
}


@pytest.fixture
def two_processes(database_url: str) -> Iterator[tuple[str, str]]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SCANNER_INTERVAL_SECONDS": "0",
        "WEBHOOK_CONCURRENCY": "0",
        "RATE_LIMIT_KEY_PER_MINUTE": "0",
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0",
    }
    procs: list[subprocess.Popen[bytes]] = []
    bases: list[str] = []
    try:
        for _ in range(2):
            proc, port = start_serve(env)
            procs.append(proc)
            bases.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(bases, procs, strict=True):
            wait_ready(base, proc)
        yield bases[0], bases[1]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _follows_within(
    client: httpx.AsyncClient, day: str, working: bool, seconds: float
) -> float:
    started = time.monotonic()
    while True:
        seen = (await client.get(f"/v1/calendar/days/{day}")).json()
        waited = time.monotonic() - started
        if seen["working"] is working or waited > seconds:
            assert seen["working"] is working, f"not followed within {seconds} s: {seen}"
            return waited
        await asyncio.sleep(0.02)


# The goal is one second (a NOTIFY wakes the other process, which rebuilds its snapshot: tens of
# milliseconds on a quiet machine). CI runs two suites at once on two cores, where a rebuild
# has been seen to take 0.9 s: the bound leaves room for that, and still fails a follower that
# waits for its fallback poll.
FOLLOWED_WITHIN_S = 2.0


async def test_an_import_through_one_process_is_answered_by_the_other_within_a_second(
    two_processes: tuple[str, str], api_key: Callable[..., Awaitable[str]]
) -> None:
    admin = {"Authorization": f"Bearer {await api_key('admin')}"}
    a_base, b_base = two_processes
    async with (
        httpx.AsyncClient(base_url=a_base, timeout=30) as a,
        httpx.AsyncClient(base_url=b_base) as b,
    ):
        assert (await b.get("/v1/calendar/days/2029-03-15")).json()["working"] is True
        try:
            applied = await a.post(NOTICES, json=BODY, headers=admin)
            assert applied.status_code == 201, applied.text
            await _follows_within(b, "2029-03-15", working=False, seconds=FOLLOWED_WITHIN_S)
            made_up = (await b.get("/v1/calendar/days/2029-03-17")).json()
            assert made_up["kind"] == "swap_working"
        finally:
            withdrawn = await a.delete(f"{NOTICES}/{NUMBER}", headers=admin)
        assert withdrawn.status_code == 200, withdrawn.text
        await _follows_within(b, "2029-03-15", working=True, seconds=FOLLOWED_WITHIN_S)
