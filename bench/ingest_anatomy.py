"""Where event ingest's time goes under bench_http_dossiers' load, beside `/health/db`'s.

For alternating rounds of both loads: the CPU each party spends a request (the service process,
the embedded PostgreSQL's backends, the load generator), how busy the service is, the WAL written
a request, and, sampled from pg_stat_activity every few ms during ingest, what the grouped append
statement's backends are doing (running, or waiting on the WAL flush, a lock…). Reads /proc
(Linux only) and the embedded PostgreSQL's files (BENCH_DATABASE_URL is not for this one). The
numbers explain the ratio bench_http_dossiers reports; they are not a goal.

Run: python -m bench.ingest_anatomy
"""

from __future__ import annotations

import asyncio
import collections
import os
import resource
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bench import bench_http_dossiers as dossiers
from bench.server import ROOT, service

ROUNDS = 3
SAMPLE_SECONDS = 0.003
_TICK = os.sysconf("SC_CLK_TCK")
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


def _stat(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _cpu(server: Server, service_pid: int) -> dict[str, float]:
    """CPU seconds so far of the service and of the postmaster's backends (client connections)."""
    seconds = {"service": _stat(service_pid)[1], "postgres": 0.0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parent, used = _stat(int(entry))
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        if parent == server.postmaster and command.startswith(b"postgres: postgres "):
            seconds["postgres"] += used
    return seconds


def _service_pid(data_dir: Path) -> int:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
            environ = Path(f"/proc/{entry}/environ").read_bytes()
        except OSError:
            continue
        if b"app\0serve" in command and f"DATA_DIR={data_dir}\0".encode() in environ:
            return int(entry)
    raise RuntimeError("the service process was not found")


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


def _round(load: dossiers.OwnLists, server: Server, service_pid: int) -> Round:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wal = asyncio.run(_wal(server))
    before = _cpu(server, service_pid)
    result = load.run(dossiers.SECONDS)
    after = _cpu(server, service_pid)
    wal = asyncio.run(_wal(server)) - wal
    done = resource.getrusage(resource.RUSAGE_CHILDREN)  # the load process, joined by now
    used = {party: after[party] - before[party] for party in after}
    used["load"] = done.ru_utime + done.ru_stime - children.ru_utime - children.ru_stime
    return Round(
        rps=result.rps,
        cpu_us={party: s / result.requests * 1e6 for party, s in used.items()},
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
    load = os.getloadavg()[0]
    data_dir = Path(tempfile.mkdtemp(prefix="vnd-bench-anatomy-"))
    rounds: list[str] = []
    doing: collections.Counter[str] = collections.Counter()
    try:
        with service(DATA_DIR=str(data_dir)) as (host, port):
            bare, ingest = dossiers.ingest_loads(host, port, data_dir)
            server, service_pid = Server.of(data_dir), _service_pid(data_dir)
            bare.run(1.0)  # warm-up
            ingest.run(1.0)
            for _ in range(ROUNDS):
                rounds.append(_line(dossiers.BARE, _round(bare, server, service_pid)))
                with Activity(server, doing):
                    rounds.append(_line("ingest", _round(ingest, server, service_pid)))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    total = sum(doing.values()) or 1
    lines = [
        "Where event ingest's time goes (bench/ingest_anatomy.py): bench_http_dossiers' loads, "
        f"{dossiers.CONNECTIONS} connections, {ROUNDS} alternating {dossiers.SECONDS:.0f} s "
        "rounds; CPU from /proc, the load generator's from its process's usage; in ingest "
        "rounds PostgreSQL's includes the sampler's own backend",
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
    (ROOT / "bench" / "results" / "ingest_anatomy.txt").write_text(text)


if __name__ == "__main__":
    main()
