"""Interleaved rounds of an endpoint against a baseline under the same load, reported as a ratio."""

from __future__ import annotations

import statistics

from bench import httpload


def ratio(
    host: str,
    port: int,
    baseline: list[bytes],
    candidate: list[bytes],
    *,
    rounds: int = 3,
    seconds: float = 4.0,
    connections: int = 16,
) -> tuple[httpload.LoadResult, httpload.LoadResult, float]:
    """Median of `rounds` alternating runs each; returns (baseline, candidate, candidate/base)."""
    httpload.run(host, port, baseline, seconds=1.0, connections=connections)  # warm-up
    httpload.run(host, port, candidate, seconds=1.0, connections=connections)
    base_runs, cand_runs = [], []
    for _ in range(rounds):
        base_runs.append(
            httpload.run(host, port, baseline, seconds=seconds, connections=connections)
        )
        cand_runs.append(
            httpload.run(host, port, candidate, seconds=seconds, connections=connections)
        )
    for run in base_runs + cand_runs:
        if run.errors:
            raise RuntimeError(f"{run.errors} error responses during the benchmark")
    base = sorted(base_runs, key=lambda r: r.rps)[rounds // 2]
    cand = sorted(cand_runs, key=lambda r: r.rps)[rounds // 2]
    return (
        base,
        cand,
        statistics.median(c.rps for c in cand_runs) / statistics.median(b.rps for b in base_runs),
    )


def line(name: str, result: httpload.LoadResult) -> str:
    return (
        f"{name:<44} {result.rps:>9.0f} req/s   p50 {result.p50_ms:6.2f} ms   "
        f"p99 {result.p99_ms:6.2f} ms"
    )
