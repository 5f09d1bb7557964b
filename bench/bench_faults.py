"""Outage drill: the real service (python -m app serve) on its own throw-away embedded
PostgreSQL, reached through a TCP proxy the drill controls.

1. paused: every PostgreSQL process of the drill's own server is SIGSTOPped for 12 s under 30
   concurrent readers (and a few writers): latency, statuses, time to ready 503, time to the
   first successful read after SIGCONT, acknowledged writes against rows;
2. stopped: the proxy cuts every connection and refuses new ones for 10 s under read + write
   load: statuses, Retry-After, acknowledged writes against rows, log lines of the outage;
3. started with the database down: time from the database coming to ready, and the exit
   (status and last line) when it never comes;
4. hostile bodies: a 100 MB anonymous body, declared and streamed; 8 at once, and the
   service's memory before and after;
5. idle: transactions per second of an idle replica (pg_stat_database).

Writes results to bench/results/faults.txt.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from app.db.embedded import ensure_database, start_embedded
from tests.pgproxy import PgProxy

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "faults.txt"
DATABASE = "drill"
READERS = 30
WRITERS = 4
PAUSE_SECONDS = 12.0
STOP_SECONDS = 10.0
lines: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    lines.append(text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the drill's own PostgreSQL and proxy ------------------------------------------------------


class ProxyThread:
    """The proxy on an event loop of its own, so the load generator cannot slow it down."""

    def __init__(self, admin_dsn: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.proxy = PgProxy(admin_dsn)
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.call(self.proxy.start())

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def stop(self) -> None:
        self.call(self.proxy.stop())

    def start(self) -> None:
        self.call(self.proxy.start())

    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.proxy.port}/{DATABASE}"


def server_pids(pgdata: Path) -> list[int]:
    postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
                    children.append(int(entry.name))
    return [postmaster, *children]


def pause(pgdata: Path, sig: signal.Signals) -> None:
    for pid in server_pids(pgdata):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


# -- the service ---------------------------------------------------------------------------------


@dataclass
class Service:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_lines(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                out.append(json.loads(line))
        return out

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def start_service(folder: Path, url: str, name: str, root: Path = ROOT, **env: str) -> Service:
    port = free_port()
    log = folder / f"{name}.log"
    environ = os.environ | {
        "DATABASE_URL": url,
        "DATA_DIR": str(folder / "data"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SCANNER_INTERVAL_SECONDS": "60",
        # 30 readers from one address: the drill is about the database, not the rate limiter
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0",
        "RATE_LIMIT_KEY_PER_MINUTE": "0",
        **env,
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve"],
            cwd=root,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Service(proc, port, log)


def wait_ready(service: Service, limit: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(service.base + "/health/ready", timeout=2).status_code == 200:
                return time.monotonic() - started
        if service.proc.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"{service.log.name}: not ready")


def wait_live(service: Service, limit: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(service.base + "/health/live", timeout=2).status_code == 200:
                return time.monotonic() - started
        if service.proc.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError(f"{service.log.name}: not serving\n{service.log.read_text()[-3000:]}")


def api_key(url: str) -> str:
    environ = os.environ | {"DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "app", "apikey", "create", "--name", "drill", "--scope", "write"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode().strip().splitlines()[-1]


# -- load ------------------------------------------------------------------------------------------


@dataclass
class Answer:
    started: float
    ended: float
    status: int  # 0: no answer (transport error)
    problem: str | None = None
    retry_after: bool = False


@dataclass
class Load:
    reads: list[Answer] = field(default_factory=list)
    writes: list[Answer] = field(default_factory=list)
    ready: list[Answer] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    stop: asyncio.Event = field(default_factory=asyncio.Event)


async def _call(http: httpx.AsyncClient, method: str, path: str, **kw: Any) -> Answer:
    started = time.monotonic()
    try:
        r = await http.request(method, path, **kw)
    except httpx.HTTPError:
        return Answer(started, time.monotonic(), 0)
    problem = None
    if r.headers.get("content-type") == "application/problem+json":
        problem = r.json().get("type")
    return Answer(started, time.monotonic(), r.status_code, problem, "retry-after" in r.headers)


async def reader(http: httpx.AsyncClient, load: Load) -> None:
    while not load.stop.is_set():
        load.reads.append(await _call(http, "GET", "/v1/dossiers?limit=5"))


async def writer(http: httpx.AsyncClient, load: Load, key: str, who: int) -> None:
    n = 0
    while not load.stop.is_set():
        n += 1
        code = f"W{who}-{n}-{time.monotonic_ns()}"
        body = {
            "office": "drill",
            "code": code,
            "procedure_code": "1.001234",
            "processing": {"amount": 3, "unit": "working_days"},
            "received_at": "2025-03-04T09:00:00+07:00",
        }
        answer = await _call(http, "POST", "/v1/dossiers", json=body, headers={"X-API-Key": key})
        load.writes.append(answer)
        if 200 <= answer.status < 300:
            load.acknowledged.add(code)
        await asyncio.sleep(0.05)


async def ready_poller(http: httpx.AsyncClient, load: Load) -> None:
    while not load.stop.is_set():
        load.ready.append(await _call(http, "GET", "/health/ready"))
        await asyncio.sleep(0.1)


async def run_load(service: Service, key: str, fault: Any, recover: Any, hold: float) -> Load:
    load = Load()
    limits = httpx.Limits(max_connections=READERS + WRITERS + 4)
    async with httpx.AsyncClient(base_url=service.base, timeout=60, limits=limits) as http:
        tasks = [asyncio.create_task(reader(http, load)) for _ in range(READERS)]
        tasks += [asyncio.create_task(writer(http, load, key, i)) for i in range(WRITERS)]
        tasks.append(asyncio.create_task(ready_poller(http, load)))
        await asyncio.sleep(3)
        load.fault_at = time.monotonic()  # type: ignore[attr-defined]
        await asyncio.to_thread(fault)
        await asyncio.sleep(hold)
        await asyncio.to_thread(recover)
        load.recovered_at = time.monotonic()  # type: ignore[attr-defined]
        await asyncio.sleep(8)
        load.stop.set()
        await asyncio.gather(*tasks)
    return load


async def rows_present(dsn: str) -> set[str]:
    conn = await asyncpg.connect(dsn)
    try:
        return {r[0] for r in await conn.fetch("SELECT code FROM dossiers WHERE office = 'drill'")}
    finally:
        await conn.close()


def report(load: Load, dsn: str, service: Service, log_from: int) -> None:
    fault_at: float = load.fault_at  # type: ignore[attr-defined]
    recovered_at: float = load.recovered_at  # type: ignore[attr-defined]
    window = [a for a in load.reads + load.writes if a.ended >= fault_at]
    statuses = Counter(a.status for a in load.reads + load.writes)
    during = Counter((a.status, a.problem) for a in window if a.status != 200)
    worst = max(a.ended - a.started for a in load.reads + load.writes)
    not_problem = sum(1 for a in window if a.status >= 400 and a.problem is None)
    unavailable = [a for a in window if a.status == 503]
    ready_503 = next((a.ended for a in load.ready if a.started >= fault_at and a.status == 503), 0)
    ready_ok = next(
        (a.ended for a in load.ready if a.started >= recovered_at and a.status == 200), 0
    )
    first_read = next(
        (
            a.ended
            for a in sorted(load.reads, key=lambda a: a.ended)
            if a.ended > recovered_at and a.status == 200
        ),
        0,
    )
    present = asyncio.run(rows_present(dsn))
    say(
        f"  requests: {len(load.reads)} reads, {len(load.writes)} writes; statuses {dict(statuses)}"
    )
    say(f"  non-200 from the fault on: {dict(during)}")
    say(
        f"  max latency: {worst:.2f} s; 500s: {statuses.get(500, 0)}; "
        f"4xx/5xx not problem+json: {not_problem}"
    )
    say(f"  503 with Retry-After: {sum(a.retry_after for a in unavailable)}/{len(unavailable)}")
    say(
        f"  /health/ready 503 after {ready_503 - fault_at:.2f} s; 200 again "
        f"{ready_ok - recovered_at:.2f} s after recovery"
    )
    say(f"  first successful read {first_read - recovered_at:.2f} s after recovery")
    missing = load.acknowledged - present
    kept = len(load.acknowledged & present)
    say(
        f"  acknowledged writes {len(load.acknowledged)}, present {kept}, "
        f"missing {len(missing)} (rows in the table: {len(present)})"
    )
    entries = service.log_lines()[log_from:]
    outage = [e for e in entries if e.get("logger") != "app.access"]
    tracebacks = sum(1 for e in outage if "exception" in e)
    say(
        f"  log lines from the fault to the end: {len(outage)} (+{len(entries) - len(outage)} "
        f"access lines, one a request); with a traceback: {tracebacks}"
    )
    for entry in outage[:12]:
        extra = {k: v for k, v in entry.items() if k not in ("time", "level", "logger", "message")}
        say(f"    {entry['level']:7} {entry['logger']}: {entry['message']} {extra}")


# -- bodies ----------------------------------------------------------------------------------------


def hostile_body(port: int, size: int, declared: bool) -> tuple[float, int, int]:
    """Send up to `size` bytes as fast as the service takes them; (seconds to the answer,
    status, bytes sent before it came)."""
    head = "POST /v1/decisions HTTP/1.1\r\nHost: drill\r\nContent-Type: application/json\r\n"
    head += f"Content-Length: {size}\r\n" if declared else "Transfer-Encoding: chunked\r\n"
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall((head + "\r\n").encode())
        s.setblocking(False)
        chunk = b" " * 65536
        framed = chunk if declared else b"10000\r\n" + chunk + b"\r\n"
        sent = 0
        answer = b""
        while time.monotonic() - started < 30:
            with contextlib.suppress(BlockingIOError):
                answer += s.recv(65536)
                if b"\r\n\r\n" in answer:
                    break
            if sent < size:
                with contextlib.suppress(BlockingIOError, BrokenPipeError, ConnectionResetError):
                    sent += s.send(framed)
            else:
                time.sleep(0.001)
        status = int(answer.split(b" ", 2)[1]) if answer else 0
        return time.monotonic() - started, status, sent


# -- the drill -------------------------------------------------------------------------------------


@contextlib.contextmanager
def drill_server() -> Iterator[tuple[Path, str, str, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="vnd-drill-"))
    embedded = start_embedded(folder / "pg-root")
    try:
        asyncio.run(ensure_database(embedded.admin_dsn, DATABASE))
        yield folder, embedded.admin_dsn, embedded.dsn(DATABASE), Path(embedded.server.pgdata)
    finally:
        pause(Path(embedded.server.pgdata), signal.SIGCONT)
        embedded.stop()
        shutil.rmtree(folder, ignore_errors=True)


def export(revision: str, into: Path) -> Path:
    """The tree of another revision, to measure alongside."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", revision], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


BASELINE = sys.argv[1] if len(sys.argv) > 1 else ""  # a revision to compare the idle cost with


def main() -> int:
    say(
        "Outage drill (python -m app serve, 1 worker; its own embedded PostgreSQL behind a TCP "
        "proxy; load from this process)"
    )
    say(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} "
        "(shared with other work: latencies are noisy)"
    )
    with drill_server() as (folder, admin_dsn, dsn, pgdata):
        proxy = ProxyThread(admin_dsn)
        service = start_service(folder, proxy.url(), "service")
        try:
            wait_ready(service)
            key = api_key(proxy.url())

            say("\n5. idle replica: transactions per second on its database (pg_stat_database)")
            # Backends report their counters up to 10 s late: let start-up's settle first.
            time.sleep(15)
            say(
                f"  this revision: {asyncio.run(idle_tps(dsn, 30)):.2f} transactions/s over 30 s "
                "(scanner every 60 s, fallback check every 5 s; goal ≤ 1)"
            )
            if BASELINE:
                service.stop()
                old = export(BASELINE, folder / "baseline")
                # The schema is a revision ahead of the baseline's: it must not migrate.
                baseline = start_service(
                    folder, proxy.url(), "baseline", root=old, MIGRATE_ON_START="false"
                )
                try:
                    wait_live(baseline)
                    time.sleep(15)
                    tps = asyncio.run(idle_tps(dsn, 30))
                    say(f"  {BASELINE} (before): {tps:.2f} transactions/s over 30 s")
                finally:
                    baseline.stop()
                service = start_service(folder, proxy.url(), "service")
                wait_ready(service)

            say(
                f"\n1. PostgreSQL paused (SIGSTOP) {PAUSE_SECONDS:g} s under {READERS} readers "
                f"and {WRITERS} writers"
            )
            log_from = len(service.log_lines())
            load = asyncio.run(
                run_load(
                    service,
                    key,
                    lambda: pause(pgdata, signal.SIGSTOP),
                    lambda: pause(pgdata, signal.SIGCONT),
                    PAUSE_SECONDS,
                )
            )
            report(load, dsn, service, log_from)

            say(
                f"\n2. PostgreSQL stopped {STOP_SECONDS:g} s (connections cut, new ones refused) "
                f"under {READERS} readers and {WRITERS} writers"
            )
            log_from = len(service.log_lines())
            load = asyncio.run(run_load(service, key, proxy.stop, proxy.start, STOP_SECONDS))
            report(load, dsn, service, log_from)

            say("\n4. hostile bodies, anonymous POST /v1/decisions")
            for declared in (True, False):
                seconds, status, sent = hostile_body(service.port, 100 * 1024 * 1024, declared)
                how = "declared Content-Length" if declared else "chunked"
                say(
                    f"  100 MB, {how}: {status} after {seconds * 1000:.0f} ms, "
                    f"{sent / 1e6:.1f} MB sent before the answer"
                )
            before = service.rss_kib()
            with contextlib.ExitStack():
                threads = [
                    threading.Thread(
                        target=hostile_body, args=(service.port, 100 * 1024 * 1024, i % 2 == 0)
                    )
                    for i in range(8)
                ]
                for t in threads:
                    t.start()
                peak = before
                while any(t.is_alive() for t in threads):
                    peak = max(peak, service.rss_kib())
                    time.sleep(0.01)
            say(
                f"  8 at once (4 declared, 4 chunked): service RSS {before / 1024:.1f} MiB before,"
                f" peak {peak / 1024:.1f} MiB (+{(peak - before) / 1024:.1f} MiB)"
            )
        finally:
            service.stop()

        say("\n3. started with PostgreSQL down")
        proxy.stop()
        late = start_service(folder, proxy.url(), "late", MIGRATE_ON_START="true")
        try:
            up = wait_live(late)
            time.sleep(2)
            live = httpx.get(late.base + "/health/live", timeout=2).status_code
            ready = httpx.get(late.base + "/health/ready", timeout=5).status_code
            say(
                f"  serving {up:.1f} s after the start; 2 s later: /health/live {live}, "
                f"/health/ready {ready}"
            )
            proxy.start()
            say(f"  ready {wait_ready(late):.2f} s after PostgreSQL came")
        finally:
            late.stop()
        proxy.stop()
        never = start_service(folder, proxy.url(), "never", DB_START_WAIT_SECONDS="5")
        started = time.monotonic()
        code = never.proc.wait(timeout=60)
        last = [e for e in never.log_lines() if e.get("level") == "CRITICAL"]
        say(
            f"  never comes (DB_START_WAIT_SECONDS=5): exit status {code} after "
            f"{time.monotonic() - started:.1f} s; the line: {last[-1]['message'] if last else '?'}"
        )
    RESULTS.write_text("\n".join(lines) + "\n")
    return 0


async def idle_tps(dsn: str, seconds: float) -> float:
    conn = await asyncpg.connect(dsn)
    try:
        query = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1"
        await conn.execute("SELECT pg_stat_clear_snapshot()")
        first = await conn.fetchval(query, DATABASE)
        await asyncio.sleep(seconds)
        await conn.execute("SELECT pg_stat_clear_snapshot()")
        last = await conn.fetchval(query, DATABASE)
        # this connection's own three statements are not the replica's
        return float(last - first - 3) / seconds
    finally:
        await conn.close()


if __name__ == "__main__":
    raise SystemExit(main())
