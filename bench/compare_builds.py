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
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench import compare, httpload
from bench.bench_http_deadlines import _question
from bench.server import _free_port


@contextlib.contextmanager
def _service(root: Path, log_level: str) -> Iterator[int]:
    data_dir = tempfile.mkdtemp(prefix="vnd-builds-")
    port = _free_port()
    env = os.environ | {
        "DATA_DIR": data_dir,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": log_level,
        "SCANNER_INTERVAL_SECONDS": "0",
        "WEBHOOK_CONCURRENCY": "0",
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "1000000000",
        "RATE_LIMIT_KEY_PER_MINUTE": "1000000000",
    }
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [str(root / ".venv/bin/python"), "-m", "app", "serve"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                url = f"http://127.0.0.1:{port}/health/ready"
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"the service of {root} did not become ready")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


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
        with _service(root.resolve(), args.log_level) as port:
            live_a, add_r, add_ratio = compare.ratio(
                "127.0.0.1", port, live, add, rounds=args.rounds, seconds=3.0
            )
            live_c, compute_r, compute_ratio = compare.ratio(
                "127.0.0.1", port, live, compute, rounds=args.rounds, seconds=3.0
            )
        print(
            f"{root.name:<12} live {live_a.rps:6.0f}  add {add_r.rps:6.0f}  ratio {add_ratio:.2f}"
            f"   | live {live_c.rps:6.0f}  compute {compute_r.rps:6.0f}  ratio {compute_ratio:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
