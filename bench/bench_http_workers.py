"""HTTP: what a second worker process buys (WORKERS=2 against WORKERS=1, goal ≥ 1.7× for compute).

The never-repeated compute workload (20 000 questions cycled, beyond each worker's memo) on the
same service started twice, once with one worker and once with two, each measured as the median
of 3 rounds of 4 s from a separate load process with 32 connections. The load generator runs on
the same machine and takes CPU from the workers, so on a 2-core machine the ratio it can show is
below what two cores give a service whose clients are elsewhere.

Run: python -m bench.bench_http_workers
"""

from __future__ import annotations

import json
import os
import random
import statistics
from pathlib import Path

from bench import compare, httpload
from bench.bench_http_deadlines import _question
from bench.server import service

GOAL = 1.7
ROUNDS = 3


def _rps(workers: int, requests: list[bytes]) -> httpload.LoadResult:
    with service(WORKERS=str(workers)) as (host, port):
        httpload.run(host, port, requests, seconds=2.0, connections=32)  # warm-up, every worker
        runs = [
            httpload.run(host, port, requests, seconds=4.0, connections=32) for _ in range(ROUNDS)
        ]
    if any(run.errors for run in runs):
        raise RuntimeError("error responses during the workers benchmark")
    median = statistics.median(run.rps for run in runs)
    return min(runs, key=lambda r: abs(r.rps - median))


def main() -> None:
    rng = random.Random(11)
    body = [json.dumps(_question(rng)).encode() for _ in range(20_000)]
    requests = [httpload.request("POST", "/v1/deadlines/compute", b) for b in body]
    load = os.getloadavg()[0]
    one = _rps(1, requests)
    two = _rps(2, requests)
    ratio = two.rps / one.rps
    lines = [
        "HTTP workers benchmark (python -m bench.bench_http_workers): never-repeated "
        "POST /v1/deadlines/compute, 32 connections, median of 3 rounds of 4 s",
        f"load average before the run: {load:.2f} on {os.cpu_count()} CPUs "
        "(load generator on the same machine)",
        "",
        compare.line("WORKERS=1", one),
        compare.line("WORKERS=2", two),
        f"ratio 2 workers / 1: {ratio:.2f}  (goal ≥ {GOAL}: {'PASS' if ratio >= GOAL else 'MISS'})",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (Path(__file__).parent / "results" / "http_workers.txt").write_text(text)


if __name__ == "__main__":
    main()
