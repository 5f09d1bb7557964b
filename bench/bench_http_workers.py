"""HTTP: what a second worker process buys (WORKERS=2 against WORKERS=1, goal ≥ 1.7× for compute).

The never-repeated compute workload (20 000 questions cycled, beyond each worker's memo) on the
same service started twice, once with one worker and once with two, each measured as the median
of 3 rounds of 4 s from a separate load process with 32 connections. The load generator runs on
the same machine and takes CPU from the workers: it is wrk (bench/wrk.py: `apt install wrk`),
which takes little; without it, the Python client, whose share of two cores keeps the ratio
well below what a second core gives a service whose clients are elsewhere.

Run: python -m bench.bench_http_workers
"""

from __future__ import annotations

import json
import os
import random
import statistics
from pathlib import Path

from bench import compare, httpload, wrk
from bench.bench_http_deadlines import _question
from bench.server import service

GOAL = 1.7
ROUNDS = 3


PATH = "/v1/deadlines/compute"


def _load(host: str, port: int, bodies: list[bytes], seconds: float) -> httpload.LoadResult:
    if wrk.available():
        return wrk.run(host, port, PATH, bodies, connections=32, seconds=seconds)
    requests = [httpload.request("POST", PATH, b) for b in bodies]
    return httpload.run(host, port, requests, seconds=seconds, connections=32)


def _rps(workers: int, bodies: list[bytes]) -> httpload.LoadResult:
    with service(WORKERS=str(workers)) as (host, port):
        _load(host, port, bodies, 2.0)  # warm-up, every worker
        runs = [_load(host, port, bodies, 4.0) for _ in range(ROUNDS)]
    if any(run.errors for run in runs):
        raise RuntimeError("error responses during the workers benchmark")
    median = statistics.median(run.rps for run in runs)
    return min(runs, key=lambda r: abs(r.rps - median))


def main() -> None:
    rng = random.Random(11)
    bodies = [json.dumps(_question(rng)).encode() for _ in range(20_000)]
    load = os.getloadavg()[0]
    one = _rps(1, bodies)
    two = _rps(2, bodies)
    ratio = two.rps / one.rps
    lines = [
        "HTTP workers benchmark (python -m bench.bench_http_workers): never-repeated "
        "POST /v1/deadlines/compute, 32 connections, median of 3 rounds of 4 s",
        f"load average before the run: {load:.2f} on {os.cpu_count()} CPUs "
        "(load generator on the same machine: "
        + ("wrk, one thread)" if wrk.available() else "the Python client; wrk not installed)"),
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
