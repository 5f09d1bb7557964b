"""HTTP: the deadline endpoints, in one run.

1. POST /v1/deadlines/compute against the service's own /health/live, same load (goal: compute
   ≥ 0.85 × live). The requests mix catalog rules and ad-hoc periods over random anchors, so
   the answers (and their traces) differ from request to request. The load cycles through 200
   questions, so after the first pass the answers come from the route's memo (as the portal's
   repeated questions do); what a question costs the first time it is asked is measured
   in-process alongside (validation, computation with trace, JSON).
   The same with 20 000 questions cycled (beyond the memo): every answer computed afresh.
2. POST /v1/deadlines/compute-batch with 10 000-item requests, in items per second over HTTP
   (goal ≥ 200 000 items/s).

Run: python -m bench.bench_http_deadlines
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from bench import compare, httpload
from bench.server import service

RATIO_GOAL = 0.85
ITEMS_GOAL = 200_000
BATCH = 10_000

# Period rules in force from 5/3/2024 (Quảng Nam's plan) or always (national).
PERIOD_RULES = [
    "national.database-entry-province",
    "national.feedback-forward",
    "national.publication-decision-province",
    "quang-nam-2024.posting-counter",
    "quang-nam-2024.database-from-decision",
]
NAMED_RULES = ["quang-nam-2024.q1-q2-2024", "quang-nam-2024.by-31-03"]
UNITS = ["calendar_days", "working_days", "weeks", "months"]


def _question(rng: random.Random) -> dict[str, Any]:
    anchor = (dt.date(2024, 3, 5) + dt.timedelta(days=rng.randrange(300))).isoformat()
    pick = rng.random()
    if pick < 0.5:
        return {"anchor": anchor, "rule": rng.choice(PERIOD_RULES)}
    if pick < 0.95:
        item: dict[str, Any] = {
            "anchor": anchor,
            "amount": rng.randrange(1, 30),
            "unit": rng.choice(UNITS),
        }
        if rng.random() < 0.2:
            item["direction"] = "backward"
        return item
    return {"rule": rng.choice(NAMED_RULES)}


def _first_time_cost(questions: list[dict[str, Any]]) -> float:
    """Microseconds to answer a question never asked before: validate, compute, trace, JSON."""
    from app.api.deadlines import present
    from app.api.deadlines import schemas as s
    from app.api.wire.trace import encoded_trace_step, trace_step
    from app.data.calendar import seed_adjustments, seed_years
    from app.data.rules import load_catalog
    from app.domain.calendar import build_snapshot
    from app.services import compute

    calendar = build_snapshot(seed_adjustments(), seed_years(), revision=1)
    catalog = load_catalog()
    bodies = [json.dumps(q).encode() for q in questions]
    best = float("inf")
    for _ in range(5):
        trace_step.cache_clear()
        encoded_trace_step.cache_clear()
        started = time.perf_counter()
        for body in bodies:
            item = s.COMPUTE_ITEM.validate_json(body)
            found = compute.answer(catalog, calendar, compute.question(item))
            present.encoded(found, 1)
        best = min(best, (time.perf_counter() - started) / len(bodies))
    return best * 1e6


def _post(path: str, body: Any) -> bytes:
    return httpload.request("POST", path, json.dumps(body).encode())


def main() -> None:
    rng = random.Random(7)
    questions = [_question(rng) for _ in range(200)]
    computes = [_post("/v1/deadlines/compute", q) for q in questions]
    # 20 000 questions cycled: far more than the route's memo holds (8 192, LRU), so nearly
    # every answer is computed afresh: the never-repeated workload.
    fresh = [_post("/v1/deadlines/compute", _question(rng)) for _ in range(20_000)]
    batches = [
        _post("/v1/deadlines/compute-batch", {"items": [_question(rng) for _ in range(BATCH)]})
        for _ in range(4)
    ]
    live = [httpload.request("GET", "/health/live")]
    load = os.getloadavg()[0]
    with service() as (host, port):
        base, cand, ratio = compare.ratio(host, port, live, computes)
        fresh_base, fresh_cand, fresh_ratio = compare.ratio(host, port, live, fresh)
        httpload.run(host, port, batches, seconds=2.0, connections=2)  # warm-up
        runs = [httpload.run(host, port, batches, seconds=5.0, connections=2) for _ in range(3)]
    if any(run.errors for run in runs):
        raise RuntimeError("error responses during the batch benchmark")
    batch = sorted(runs, key=lambda r: r.rps)[1]
    first_time = _first_time_cost(questions)
    items_per_second = batch.rps * BATCH
    lines = [
        "HTTP deadlines benchmark (uvicorn, 1 worker; load from a separate process)",
        f"load average before the run: {load:.2f} on {os.cpu_count()} CPUs",
        "",
        "compute (16 connections; 200 distinct questions: rules and ad-hoc periods, full traces)",
        compare.line("GET /health/live", base),
        compare.line("POST /v1/deadlines/compute", cand),
        f"ratio compute / live: {ratio:.2f}  "
        f"(goal ≥ {RATIO_GOAL}: {'PASS' if ratio >= RATIO_GOAL else 'MISS'})",
        f"a question asked for the first time (not remembered), in-process: {first_time:.0f} µs "
        "(validate, compute with trace, JSON)",
        "",
        "compute, never-repeated questions (20 000 cycled, beyond the memo)",
        compare.line("GET /health/live", fresh_base),
        compare.line("POST /v1/deadlines/compute", fresh_cand),
        f"ratio compute / live: {fresh_ratio:.2f}  "
        f"(goal ≥ {RATIO_GOAL}: {'PASS' if fresh_ratio >= RATIO_GOAL else 'MISS'})",
        "",
        f"compute-batch ({BATCH:,}-item requests, 2 connections, median of 3 runs of 5 s)",
        compare.line("POST /v1/deadlines/compute-batch", batch),
        f"items per second: {items_per_second:,.0f}  "
        f"(goal ≥ {ITEMS_GOAL:,}: {'PASS' if items_per_second >= ITEMS_GOAL else 'MISS'})",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (Path(__file__).parent / "results" / "http_deadlines.txt").write_text(text)


if __name__ == "__main__":
    main()
