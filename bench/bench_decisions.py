"""HTTP: recording publication decisions, and paging through their obligations.

Goals (decisions issue): POST /v1/decisions with 50 procedures, sequential requests against the
real service (uvicorn, embedded PostgreSQL): p99 under 50 ms. Paging through 10 000
obligations: time per page and in total (reported, no goal).

Run: python -m bench.bench_decisions
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.server import ROOT, service

GOAL_P99_MS = 50.0
TIMED = 300  # decisions with 50 procedures, timed
WARM_UP = 20
PROCEDURES = 50
OBLIGATIONS_TARGET = 10_000
DUTIES_PER_DECISION = 6  # quang-nam-2024, a provincial decision: see tests/api/test_decisions.py


def _api_key(data_dir: str) -> str:
    env = os.environ | {"DATA_DIR": data_dir}
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    out = subprocess.run(
        [sys.executable, "-m", "app", "apikey", "create", "--name", "bench", "--scope", "write"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


class Client:
    """Sequential requests on one keep-alive connection."""

    def __init__(self, host: str, port: int, key: str) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any, float]:
        payload = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        self.conn.request(method, path, body=payload, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        return response.status, json.loads(data) if data else None, elapsed


def _decision(i: int, procedures: int) -> dict[str, Any]:
    signed = dt.date(2024, 3, 5) + dt.timedelta(days=i % 280)
    return {
        "number": f"{i + 1}/QĐ-UBND",
        "issuer": "UBND tỉnh Quảng Nam (bench)",
        "level": "province",
        "profile": "quang-nam-2024",
        "kind": "new",
        "signed_on": signed.isoformat(),
        "effective_on": signed.isoformat(),
        "procedures": [
            {
                "code": f"{1 + (i % 3)}.{(i * PROCEDURES + k) % 1_000_000:06d}",
                "name": f"Thủ tục {k}",
            }
            for k in range(procedures)
        ],
    }


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "mean": statistics.fmean(ordered) * 1000,
        "p50": ordered[len(ordered) // 2] * 1000,
        "p95": ordered[int(len(ordered) * 0.95)] * 1000,
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "max": ordered[-1] * 1000,
    }


def _line(name: str, stats: dict[str, float]) -> str:
    return (
        f"{name}\n    mean {stats['mean']:6.2f}  p50 {stats['p50']:6.2f}  "
        f"p95 {stats['p95']:6.2f}  p99 {stats['p99']:6.2f}  max {stats['max']:6.2f} ms"
    )


def _page_through(client: Client, query: str) -> tuple[int, int, list[float], float]:
    """(obligations seen, pages, seconds per page, total seconds)."""
    seen = pages = 0
    times: list[float] = []
    after = None
    started = time.perf_counter()
    while True:
        path = "/v1/obligations?" + query + (f"&cursor={after}" if after else "")
        status, body, elapsed = client.request("GET", path)
        assert status == 200, body
        times.append(elapsed)
        seen += len(body["items"])
        pages += 1
        after = body["next_cursor"]
        if after is None:
            return seen, pages, times, time.perf_counter() - started


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="vnd-bench-decisions-")
    load = os.getloadavg()[0]
    lines = [
        "Decisions benchmark (python -m bench.bench_decisions): uvicorn, 1 worker, embedded "
        "PostgreSQL (fsync on) on the same machine; sequential requests on one keep-alive "
        "connection",
        f"run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs, load average "
        f"before the run {load:.2f}",
        "",
    ]
    with service(DATA_DIR=data_dir) as (host, port):
        client = Client(host, port, _api_key(data_dir))
        i = 0
        for _ in range(WARM_UP):
            status, body, _ = client.request("POST", "/v1/decisions", _decision(i, PROCEDURES))
            assert status == 201, body
            i += 1
        timings: list[float] = []
        for _ in range(TIMED):
            status, body, elapsed = client.request(
                "POST", "/v1/decisions", _decision(i, PROCEDURES)
            )
            assert status == 201, body
            assert len(body["obligations"]) == DUTIES_PER_DECISION
            timings.append(elapsed)
            i += 1
        create = _ms(timings)
        lines.append(_line(f"POST /v1/decisions ({PROCEDURES} procedures, n={TIMED})", create))
        verdict = "PASS" if create["p99"] < GOAL_P99_MS else "MISS"
        lines.append(f"goal p99 < {GOAL_P99_MS:.0f} ms: {verdict}")

        # Fill up to 10 000 obligations with one-procedure decisions, then page through them.
        while i * DUTIES_PER_DECISION < OBLIGATIONS_TARGET:
            status, body, _ = client.request("POST", "/v1/decisions", _decision(i, 1))
            assert status == 201, body
            i += 1
        total = i * DUTIES_PER_DECISION
        lines.append(f"obligations stored: {total} ({i} decisions)")
        for query in (
            "limit=100",
            "limit=1000",
            "limit=100&status=open&profile=quang-nam-2024&as_of=2024-06-01",
        ):
            seen, pages, per_page, seconds = _page_through(client, query)
            lines.append(
                _line(f"GET /v1/obligations?{query} (per page)", _ms(per_page))
                + f"\n    {pages} pages, {seen} obligations, total {seconds * 1000:.0f} ms"
            )
    shutil.rmtree(data_dir, ignore_errors=True)
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (Path(__file__).parent / "results" / "decisions.txt").write_text(text)


if __name__ == "__main__":
    main()
