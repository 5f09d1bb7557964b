"""Back to back on several builds: never-repeated add and compute against /health/live.

Each ROOT is a checkout with its own venv (`make venv-dev` there); the service of each is
started in turn (`ROOT/.venv/bin/python -m app serve`, embedded PostgreSQL, rate limiter on
with limits the load never reaches, gzip at its default), and measured with this checkout's
load generator, so every build sees the same questions:

    git worktree add ../before <commit> && make -C ../before venv-dev
    python -m bench.compare_builds --log-level INFO ../before .

Used for the "speed kept" checks of a change: run it on a quiet machine, alternate the builds
(give them twice: A B A B) and compare the ratios, which do not depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
from pathlib import Path

from bench import compare, httpload
from bench.bench_http_deadlines import _question
from bench.server import service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(7)
    live = [httpload.request("GET", "/health/live")]
    add = []
    for _ in range(20_000):
        start = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(700))
        path = f"/v1/calendar/working-days/add?start={start}&days={rng.randrange(1, 60)}"
        add.append(httpload.request("GET", path))
    compute = [
        httpload.request("POST", "/v1/deadlines/compute", json.dumps(_question(rng)).encode())
        for _ in range(20_000)
    ]
    print(
        f"LOG_LEVEL={args.log_level}; 20 000 never-repeated questions each; 16 connections; "
        f"median of {args.rounds} alternating 3 s rounds; load average before "
        f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    for root in args.roots:
        checkout = root.resolve()
        python = str(checkout / ".venv/bin/python")
        env = {"LOG_LEVEL": args.log_level, "WEBHOOK_CONCURRENCY": "0"}
        with service(checkout, python, **env) as (host, port):
            live_a, add_r, add_ratio = compare.ratio(
                host, port, live, add, rounds=args.rounds, seconds=3.0
            )
            live_c, compute_r, compute_ratio = compare.ratio(
                host, port, live, compute, rounds=args.rounds, seconds=3.0
            )
        print(
            f"{checkout.name:<12} live {live_a.rps:6.0f}  add {add_r.rps:6.0f}  "
            f"ratio {add_ratio:.2f}"
            f"   | live {live_c.rps:6.0f}  compute {compute_r.rps:6.0f}  ratio {compute_ratio:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
