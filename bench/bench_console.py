"""HTTP: the console's pages with 10 000 obligations in the database.

Goal (console issue): every page renders in under 300 ms server time with 10 000 obligations
(p95 of sequential requests on one keep-alive connection to the real service; localhost, so
the time is the server's). /health/live is measured alongside as the anchor.

Run: python -m bench.bench_console
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import tempfile
import time
from pathlib import Path

from bench.bench_decisions import _api_key, _decision, _line, _ms
from bench.server import ROOT, service

GOAL_MS = 300.0
OBLIGATIONS_TARGET = 10_000
DUTIES_PER_DECISION = 6  # quang-nam-2024, a provincial decision: see tests/api/test_decisions.py
REPEATS = 40
PAGES = [
    "/health/live",
    "/",
    "/?status=overdue",
    "/?status=pending",
    "/?status=closed",
    "/?kind=obligation&profile=quang-nam-2024&level=province",
    "/?issuer=UBND+t%E1%BB%89nh+Qu%E1%BA%A3ng+Nam+%28bench%29",
    "/obligations/{obligation}",
    "/decisions/{decision}",
    "/calendar/2026",
    "/profiles",
    "/profiles/quang-nam-2024",
    "/reporting?profile=quang-nam-2024&year=2025",
]


def _get(conn: http.client.HTTPConnection, path: str) -> float:
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    assert response.status == 200, (path, response.status)
    return elapsed


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="vnd-bench-console-")
    load = os.getloadavg()[0]
    lines = [
        "Console benchmark (python -m bench.bench_console): uvicorn, 1 worker, embedded "
        "PostgreSQL on the same machine; sequential GETs on one keep-alive connection",
        f"run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs, load average "
        f"before the run {load:.2f}; the machine was shared with other test runs, so absolute "
        "numbers are noisy (compare with the /health/live anchor)",
        "",
    ]
    with service(DATA_DIR=data_dir) as (host, port):
        from bench.bench_decisions import Client

        client = Client(host, port, _api_key(data_dir))
        created = 0
        decision_id = obligation_id = 0
        i = 0
        while created < OBLIGATIONS_TARGET:
            status, body, _ = client.request("POST", "/v1/decisions", _decision(i, 1))
            assert status == 201, body
            created += len(body["obligations"])
            decision_id, obligation_id = body["id"], body["obligations"][0]["id"]
            i += 1
        lines.append(f"{created} obligations from {i} decisions")
        conn = http.client.HTTPConnection(host, port, timeout=30)
        worst = 0.0
        for template in PAGES:
            path = template.format(decision=decision_id, obligation=obligation_id)
            for _ in range(3):
                _get(conn, path)  # warm up
            stats = _ms([_get(conn, path) for _ in range(REPEATS)])
            if template != "/health/live":
                worst = max(worst, stats["p95"])
            lines.append(_line(f"GET {path}", stats))
    verdict = "met" if worst < GOAL_MS else "NOT met"
    lines += ["", f"goal: p95 of every page under {GOAL_MS:.0f} ms: {verdict} (worst {worst:.1f})"]
    text = "\n".join(lines) + "\n"
    print(text)
    (Path(ROOT) / "bench" / "results" / "console.txt").write_text(text)


if __name__ == "__main__":
    main()
