"""HTTP: the working-days add endpoint against the service's own /health/live, same load.

Goal (calendar issue): add ≥ 0.85 × live. Measured twice: with 200 questions cycled (after the
first pass their answers come from the route's memo, as the portal's repeated questions do)
and with 20 000 distinct questions cycled, beyond the memo (8 192): every answer computed.

Run: python -m bench.bench_http_calendar
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

from bench import compare, httpload
from bench.server import service

GOAL = 0.85


def _questions(rng: random.Random, n: int) -> list[bytes]:
    asked: set[tuple[dt.date, int]] = set()
    while len(asked) < n:
        start = dt.date(2019, 3, 1) + dt.timedelta(days=rng.randrange(3900))
        asked.add((start, rng.randint(-30, 30)))
    return [
        httpload.request("GET", f"/v1/calendar/working-days/add?start={d}&days={days}")
        for d, days in sorted(asked)
    ]


def main() -> None:
    rng = random.Random(7)
    repeated = _questions(rng, 200)
    distinct = _questions(rng, 20_000)
    rng.shuffle(distinct)
    live = [httpload.request("GET", "/health/live")]
    load = os.getloadavg()[0]
    with service() as (host, port):
        base, cand, ratio = compare.ratio(host, port, live, repeated, rounds=5)
        fresh_base, fresh_cand, fresh_ratio = compare.ratio(host, port, live, distinct, rounds=5)

    def verdict(value: float) -> str:
        return f"(goal ≥ {GOAL}: {'PASS' if value >= GOAL else 'MISS'})"

    lines = [
        "HTTP calendar benchmark (uvicorn, 1 worker; load from a separate process, 16 "
        "connections; median of 5 alternating 4 s rounds)",
        f"load average before the run: {load:.2f} on {os.cpu_count()} CPUs",
        "",
        "200 questions cycled (answers remembered after the first pass)",
        compare.line("GET /health/live", base),
        compare.line("GET /v1/calendar/working-days/add", cand),
        f"ratio add / live: {ratio:.2f}  {verdict(ratio)}",
        "",
        "20 000 distinct questions cycled (beyond the memo: every answer computed)",
        compare.line("GET /health/live", fresh_base),
        compare.line("GET /v1/calendar/working-days/add", fresh_cand),
        f"ratio add / live: {fresh_ratio:.2f}  {verdict(fresh_ratio)}",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (Path(__file__).parent / "results" / "http_calendar.txt").write_text(text)


if __name__ == "__main__":
    main()
