"""HTTP: the working-days add endpoint against the service's own /health/live, same load.

Goal (calendar issue): add ≥ 0.85 × live. Run: python -m bench.bench_http_calendar
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from bench import compare, httpload
from bench.server import service

GOAL = 0.85


def main() -> None:
    rng = random.Random(7)
    starts = [dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(730)) for _ in range(200)]
    adds = [
        httpload.request(
            "GET", f"/v1/calendar/working-days/add?start={d}&days={rng.randint(1, 20)}"
        )
        for d in starts
    ]
    live = [httpload.request("GET", "/health/live")]
    with service() as (host, port):
        base, cand, ratio = compare.ratio(host, port, live, adds, rounds=5)
    lines = [
        "HTTP calendar benchmark (uvicorn, 1 worker; load from a separate process, 16 connections; "
        "median of 5 alternating 4 s rounds)",
        compare.line("GET /health/live", base),
        compare.line("GET /v1/calendar/working-days/add", cand),
        f"ratio add / live: {ratio:.2f}  (goal ≥ {GOAL}: {'PASS' if ratio >= GOAL else 'MISS'})",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (Path(__file__).parent / "results" / "http_calendar.txt").write_text(text)


if __name__ == "__main__":
    main()
