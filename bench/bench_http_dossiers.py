"""HTTP: the dossier clock, in one run.

1. POST /v1/dossiers/appointment against the service's own /health/live, same load, 16
   connections (goal: appointment ≥ 0.8 × live). Receipt times and processing times vary
   (working days, working hours, calendar days; three schedules), so answers and traces differ
   request to request.
2. Event ingest, POST /v1/dossiers/{id}/events with a write key (one event a request, no
   Idempotency-Key), against a bare endpoint doing one database round trip: GET /health/db
   (SELECT 1 on a pooled connection, no transaction) (goal: ingest ≥ 0.7 × bare). The bench
   creates a key (`python -m app apikey create` on the service's embedded database) and 16 000
   dossiers; each load connection owns its share and appends their events in turn (a story of
   three after `received`), so every request is valid. The service's CPU time over each round's
   span is printed beside the rates: an ingest answer waits for its statement's commit, WAL
   flush included, which `/health/db` never does (bench/ingest_anatomy.py tells where the time
   goes, at 16 connections or more).

Run: python -m bench.bench_http_dossiers
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import multiprocessing as mp
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import compare, httpload
from bench.server import ROOT, process_stat, service, service_pid

APPOINTMENT_GOAL = 0.8
INGEST_GOAL = 0.7
CONNECTIONS = 16
# Dossiers an ingest load appends to, three events each: enough for the rounds of a machine
# twice as fast as the one whose numbers are in bench/results/ (made at about 240 a second
# there: each creation commits its feed row on its own).
INGEST_DOSSIERS = 16_000
# After `received`, at day offsets: what real dossiers mostly see.
STORIES = (
    (("supplement_requested", 0.05), ("resubmitted", 1.0), ("completed", 3.0)),
    (("paused", 0.05), ("resumed", 0.1), ("completed", 2.0)),
)
EVENTS_EACH = 3
ROUNDS = 3
SECONDS = 4.0
BARE = "/health/db"
INGEST = "POST /v1/dossiers/{id}/events"
VIETNAM = dt.timezone(dt.timedelta(hours=7))
# The dossiers are received four days before the run and their events follow (the portal's
# live stream). Received on 2025-03-03 as they were until 01/12/2026, every one was overdue at
# once: the scanner's pass (every 60 s) rewrote them between their creation and their first
# event, and each such first event was written twice, once stale and once after reading the
# dossier again (bench/results/NOTE.md).
BASE = dt.datetime.now(VIETNAM).replace(hour=8, minute=0, second=0, microsecond=0) - dt.timedelta(
    days=4
)


def _appointment(rng: random.Random) -> dict[str, Any]:
    day = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(700))
    minute = rng.randrange(6 * 60, 19 * 60)
    received = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), VIETNAM)
    unit = rng.choice(["working_days", "working_days", "working_hours", "calendar_days"])
    amount: float = rng.randrange(1, 30)
    if unit == "working_days" and rng.random() < 0.2:
        amount += 0.5
    return {
        "received_at": received.isoformat(),
        "processing": {"amount": amount, "unit": unit},
        "schedule": rng.choice(["default", "default", "saturday-morning-reception", "by-session"]),
    }


def _post(path: str, body: Any, headers: dict[str, str] | None = None) -> bytes:
    return httpload.request("POST", path, json.dumps(body).encode(), headers)


# -- a load generator whose connections each follow their own request list -------------------


async def _connection(
    host: str,
    port: int,
    payloads: list[bytes],
    start: int,
    deadline: float,
    latencies: list[float],
) -> tuple[int, int]:
    reader, writer = await asyncio.open_connection(host, port)
    errors = i = 0
    try:
        while time.perf_counter() < deadline:
            if start + i >= len(payloads):
                raise RuntimeError("a load connection ran out of valid events: add dossiers")
            payload = payloads[start + i]
            i += 1
            started = time.perf_counter()
            status = await httpload.exchange(reader, writer, payload)
            latencies.append(time.perf_counter() - started)
            errors += status >= 400
    finally:
        writer.close()
    return errors, i


async def _load(
    host: str, port: int, lists: list[list[bytes]], starts: list[int], seconds: float
) -> tuple[httpload.LoadResult, list[int]]:
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds
    done = await asyncio.gather(
        *(
            _connection(host, port, payloads, start, deadline, latencies)
            for payloads, start in zip(lists, starts, strict=True)
        )
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    result = httpload.LoadResult(
        requests=len(latencies),
        errors=sum(e for e, _ in done),
        seconds=elapsed,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[int(len(latencies) * 0.99)] * 1000,
    )
    return result, [n for _, n in done]


def _child(args: tuple[Any, ...], queue: mp.Queue) -> None:  # type: ignore[type-arg]
    queue.put(asyncio.run(_load(*args)))


class OwnLists:
    """Runs loads where connection c sends lists[c] in order, each run resuming where the
    previous one stopped (an event stream cannot be replayed)."""

    def __init__(self, host: str, port: int, lists: list[list[bytes]]) -> None:
        self.host, self.port, self.lists = host, port, lists
        self.offsets = [0] * len(lists)

    def run(self, seconds: float) -> httpload.LoadResult:
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        args = (self.host, self.port, self.lists, self.offsets, seconds)
        proc = ctx.Process(target=_child, args=(args, queue))
        proc.start()
        result: httpload.LoadResult
        result, used = queue.get(timeout=seconds + 60)
        proc.join()
        self.offsets = [o + n for o, n in zip(self.offsets, used, strict=True)]
        if result.errors:
            raise RuntimeError(f"{result.errors} error responses during the benchmark")
        return result


@dataclass(frozen=True)
class Comparison:
    """Alternating rounds of two loads on one service: the median round of each, the ratio of
    the medians, each round's own ratio (candidate / the baseline round just before it: their
    spread shows how much of the verdict is the machine's) and the service's median busy share
    under each load (its CPU time over the round's span)."""

    base: httpload.LoadResult
    cand: httpload.LoadResult
    ratio: float
    rounds: list[float]
    base_busy: float | None  # None: no /proc to read it from
    cand_busy: float | None


def _busy_run(load: OwnLists, pid: int | None) -> tuple[httpload.LoadResult, float | None]:
    if pid is None:
        return load.run(SECONDS), None
    before = process_stat(pid)[1]
    result = load.run(SECONDS)
    return result, (process_stat(pid)[1] - before) / result.seconds


def _busy(runs: list[tuple[httpload.LoadResult, float | None]]) -> float | None:
    shares = [busy for _, busy in runs if busy is not None]
    return statistics.median(shares) if shares else None


def _compare(base: OwnLists, cand: OwnLists, pid: int | None) -> Comparison:
    base.run(1.0)  # warm-up
    cand.run(1.0)
    base_runs, cand_runs = [], []
    for _ in range(ROUNDS):
        base_runs.append(_busy_run(base, pid))
        cand_runs.append(_busy_run(cand, pid))

    def median(runs: list[tuple[httpload.LoadResult, float | None]]) -> httpload.LoadResult:
        return sorted((r for r, _ in runs), key=lambda r: r.rps)[ROUNDS // 2]

    return Comparison(
        median(base_runs),
        median(cand_runs),
        statistics.median(r.rps for r, _ in cand_runs)
        / statistics.median(r.rps for r, _ in base_runs),
        [c.rps / b.rps for (b, _), (c, _) in zip(base_runs, cand_runs, strict=True)],
        _busy(base_runs),
        _busy(cand_runs),
    )


# -- set-up: a write key, and dossiers to append to ------------------------------------------


def _write_key(data_dir: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app", "apikey", "create", "--name", "bench", "--scope", "write"],
        cwd=ROOT,
        env=os.environ | {"DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


async def _dossiers(host: str, port: int, headers: dict[str, str], count: int) -> list[int]:
    async with httpx.AsyncClient(base_url=f"http://{host}:{port}", timeout=30) as http:
        semaphore = asyncio.Semaphore(CONNECTIONS)

        async def create(n: int) -> int:
            body = {
                "office": "bench-office",
                "code": f"BENCH-{n:06d}",
                "processing": {"amount": 15, "unit": "working_days"},
                "received_at": BASE.isoformat(),
            }
            async with semaphore:
                r = await http.post("/v1/dossiers", json=body, headers=headers)
            r.raise_for_status()
            return int(r.json()["id"])

        return await asyncio.gather(*(create(n) for n in range(count)))


def _event_lists(ids: list[int], headers: dict[str, str], connections: int) -> list[list[bytes]]:
    """Connection c appends to its own dossiers in turn, each dossier's events in order."""
    each = len(ids) // connections
    lists = []
    for c in range(connections):
        mine = ids[c * each : (c + 1) * each]
        requests = []
        for e in range(EVENTS_EACH):
            for n, i in enumerate(mine):
                kind, days = STORIES[n % len(STORIES)][e]
                when = (BASE + dt.timedelta(days=days)).isoformat()
                body = {"events": [{"kind": kind, "at": when}]}
                requests.append(_post(f"/v1/dossiers/{i}/events", body, headers))
        lists.append(requests)
    return lists


def ingest_loads(
    host: str, port: int, data_dir: Path, connections: int = CONNECTIONS
) -> tuple[OwnLists, OwnLists]:
    """An ingest comparison's two loads on the service of `data_dir`, from `connections`
    connections: `/health/db` on every one, and each one's events to dossiers of its own (made
    here, with a write key)."""
    headers = {"Authorization": f"Bearer {_write_key(data_dir)}"}
    ids = asyncio.run(_dossiers(host, port, headers, INGEST_DOSSIERS))
    bare = OwnLists(host, port, [[httpload.request("GET", BARE)] * 10**6] * connections)
    return bare, OwnLists(host, port, _event_lists(ids, headers, connections))


def main() -> None:
    rng = random.Random(7)
    appointments = [_post("/v1/dossiers/appointment", _appointment(rng)) for _ in range(200)]
    live = [httpload.request("GET", "/health/live")]
    load = os.getloadavg()[0]
    data_dir = Path(tempfile.mkdtemp(prefix="vnd-bench-dossiers-"))
    try:
        with service(DATA_DIR=str(data_dir)) as (host, port):
            pid = service_pid(data_dir) if Path("/proc").is_dir() else None
            ingest = _compare(*ingest_loads(host, port, data_dir), pid)
            a_base, a_cand, a_ratio = compare.ratio(
                host, port, live, appointments, rounds=ROUNDS, seconds=SECONDS
            )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    def verdict(ratio: float, goal: float) -> str:
        return f"(goal ≥ {goal}: {'PASS' if ratio >= goal else 'MISS'})"

    def busy(share: float | None) -> str:
        return "   service busy " + (f"{share:4.0%}" if share is not None else " n/a")

    lines = [
        "HTTP dossier benchmark (uvicorn, 1 worker, embedded PostgreSQL on the same machine; "
        f"load from a separate process, {CONNECTIONS} connections; median of {ROUNDS} "
        f"alternating {SECONDS:.0f} s rounds)",
        f"load average before the run: {load:.2f} on {os.cpu_count()} CPUs",
        "",
        compare.line("GET /health/live", a_base),
        compare.line("POST /v1/dossiers/appointment", a_cand),
        f"ratio appointment / live: {a_ratio:.2f}  {verdict(a_ratio, APPOINTMENT_GOAL)}",
        "",
        "service busy: its CPU time over the round's span (read from /proc)",
        compare.line("GET /health/db (bare)", ingest.base) + busy(ingest.base_busy),
        compare.line(INGEST, ingest.cand) + busy(ingest.cand_busy),
        f"ratio ingest / bare: {ingest.ratio:.2f}  {verdict(ingest.ratio, INGEST_GOAL)}",
        "each round: " + " ".join(f"{r:.2f}" for r in ingest.rounds),
        "bare: one database round trip (SELECT 1, no transaction); ingest: one event a request, "
        f"write key, no Idempotency-Key; {INGEST_DOSSIERS} dossiers, at most {EVENTS_EACH + 1} "
        "events each",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (Path(__file__).parent / "results" / "http_dossiers.txt").write_text(text)


if __name__ == "__main__":
    main()
