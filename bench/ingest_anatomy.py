"""Where event ingest's time goes under bench_http_dossiers' load, beside `/health/db`'s.

For alternating rounds of both loads: the CPU each party spends a request (the service process,
the embedded PostgreSQL's backends, the load generator), how busy the service is, the WAL written
a request, and, sampled from pg_stat_activity every few ms during ingest, what the grouped append
statement's backends are doing (running, or waiting on the WAL flush, a lock…). Reads /proc
(Linux only) and the embedded PostgreSQL's files (BENCH_DATABASE_URL is not for this one). The
numbers explain the ratio bench_http_dossiers reports; they are not a goal.

Run: python -m bench.ingest_anatomy [connections]  (default: bench_http_dossiers' 16)
"""

from __future__ import annotations

import asyncio
import collections
import os
import resource
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bench import bench_http_dossiers as dossiers
from bench.server import ROOT, TICK, process_stat, service, service_pid

ROUNDS = 3
PARTIES = ("service", "postgres", "load", "other", "stolen")  # as each round's line names them
SAMPLE_SECONDS = 0.003
# A phrase of the grouped append statement (app/db/repositories/dossier_appends.py).
_APPEND = "WITH updated AS"


@dataclass(frozen=True)
class Server:
    """The embedded PostgreSQL of the service: its postmaster and where to reach it."""

    postmaster: int
    socket_dir: str
    port: int

    @classmethod
    def of(cls, data_dir: Path) -> Server:
        lines = (data_dir / "pg" / "postmaster.pid").read_text().splitlines()
        return cls(int(lines[0]), lines[4], int(lines[3]))

    async def connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(
            host=self.socket_dir, port=self.port, user="postgres", database="vn_deadlines"
        )


def _machine() -> tuple[float, float]:
    """(busy, stolen) CPU seconds so far of the whole machine, all cores: busy counts every
    state but idle and I/O wait; stolen is the time the hypervisor gave the cores to others."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(n) / TICK for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return user + nice + system + irq + softirq + steal, steal


def _cpu(server: Server, pid: int) -> dict[str, float]:
    """CPU seconds so far of the service, of the postmaster's backends (client connections) and
    of the whole machine."""
    machine, stolen = _machine()
    seconds = {
        "service": process_stat(pid)[1],
        "postgres": 0.0,
        "machine": machine,
        "stolen": stolen,
    }
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parent, used = process_stat(int(entry))
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        if parent == server.postmaster and command.startswith(b"postgres: postgres "):
            seconds["postgres"] += used
    return seconds


async def _wal(server: Server) -> int:
    connection = await server.connect()
    try:
        return int(await connection.fetchval("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"))
    finally:
        await connection.close()


class Activity:
    """Samples, in a thread of its own, what the append statement's backends are doing."""

    def __init__(self, server: Server, counts: collections.Counter[str]) -> None:
        self.server, self.counts = server, counts
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._sample()))

    def __enter__(self) -> Activity:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    async def _sample(self) -> None:
        connection = await self.server.connect()
        try:
            while not self._stop.is_set():
                rows = await connection.fetch(
                    "SELECT coalesce(wait_event_type || ':' || wait_event, 'running') AS doing"
                    " FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()"
                    " AND position($1 in query) > 0",
                    _APPEND,
                )
                self.counts.update(row["doing"] for row in rows)
                await asyncio.sleep(SAMPLE_SECONDS)
        finally:
            await connection.close()


@dataclass(frozen=True)
class Round:
    rps: float
    cpu_us: dict[str, float]  # a request's, by party
    busy: float  # the service's share of the round
    wal_bytes: float  # a request's


def _round(load: dossiers.OwnLists, server: Server, pid: int) -> Round:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wal = asyncio.run(_wal(server))
    before = _cpu(server, pid)
    result = load.run(dossiers.SECONDS)
    after = _cpu(server, pid)
    wal = asyncio.run(_wal(server)) - wal
    done = resource.getrusage(resource.RUSAGE_CHILDREN)  # the load process, joined by now
    used = {party: after[party] - before[party] for party in after}
    used["load"] = done.ru_utime + done.ru_stime - children.ru_utime - children.ru_stime
    # The rest of the machine's busy time: the kernel's threads (writing back the WAL and the
    # data files, among others), PostgreSQL's own processes, and anything else running.
    used["other"] = (
        used["machine"] - used["service"] - used["postgres"] - used["load"] - used["stolen"]
    )
    return Round(
        rps=result.rps,
        cpu_us={party: used[party] / result.requests * 1e6 for party in PARTIES},
        busy=used["service"] / result.seconds,  # the load's own span (not its start-up)
        wal_bytes=wal / result.requests,
    )


def _line(name: str, r: Round) -> str:
    cpu = "  ".join(f"{party} {us:4.0f}" for party, us in r.cpu_us.items())
    return (
        f"{name:10s} {r.rps:6.0f} req/s   CPU µs a request: {cpu}   "
        f"service busy {r.busy:4.0%}   WAL {r.wal_bytes:5.0f} B a request"
    )


def main() -> None:
    if os.environ.get("BENCH_DATABASE_URL"):
        raise SystemExit("bench.ingest_anatomy measures the embedded PostgreSQL only")
    connections = int(sys.argv[1]) if len(sys.argv) > 1 else dossiers.CONNECTIONS
    load = os.getloadavg()[0]
    data_dir = Path(tempfile.mkdtemp(prefix="vnd-bench-anatomy-"))
    rounds: list[str] = []
    doing: collections.Counter[str] = collections.Counter()
    try:
        with service(DATA_DIR=str(data_dir)) as (host, port):
            bare, ingest = dossiers.ingest_loads(host, port, data_dir, connections)
            server, pid = Server.of(data_dir), service_pid(data_dir)
            bare.run(1.0)  # warm-up
            ingest.run(1.0)
            for _ in range(ROUNDS):
                rounds.append(_line(dossiers.BARE, _round(bare, server, pid)))
                with Activity(server, doing):
                    rounds.append(_line("ingest", _round(ingest, server, pid)))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    total = sum(doing.values()) or 1
    lines = [
        "Where event ingest's time goes (bench/ingest_anatomy.py): bench_http_dossiers' loads, "
        f"{connections} connections, {ROUNDS} alternating {dossiers.SECONDS:.0f} s "
        "rounds; CPU from /proc, the load generator's from its process's usage; other: the rest "
        "of the machine's busy time (kernel threads writing back the WAL and data files, "
        "PostgreSQL's own processes...; stolen: given by the hypervisor to other guests); in "
        "ingest rounds PostgreSQL's and other include the sampler's backend and thread",
        f"load average before the run: {load:.2f} on {os.cpu_count()} CPUs",
        "",
        *rounds,
        "",
        f"the append statement's backends, sampled every {SAMPLE_SECONDS * 1000:.0f} ms during "
        f"ingest ({total} samples):",
        *(f"  {what:24s} {n / total:4.0%}" for what, n in doing.most_common()),
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    name = "" if connections == dossiers.CONNECTIONS else f"_{connections}"
    (ROOT / "bench" / "results" / f"ingest_anatomy{name}.txt").write_text(text)


if __name__ == "__main__":
    main()
