"""`python -m app serve` with WORKERS=2: one port, two worker processes, one embedded PostgreSQL
started by the parent and stopped by it at exit; with one worker (the default), the embedded
PostgreSQL is stopped on SIGTERM too."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil

from tests.serving import start_serve, wait_ready


def _serve(data_dir: Path, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    """`python -m app serve` on the embedded PostgreSQL under `data_dir`; the process and port."""
    return start_serve(
        {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        | {"DATA_DIR": str(data_dir), "WORKERS": str(workers), "SCANNER_INTERVAL_SECONDS": "0"}
    )


def test_two_workers_share_one_port_and_one_embedded_postgres(tmp_path: Path) -> None:
    proc, port = _serve(tmp_path, workers=2)
    try:
        wait_ready(f"http://127.0.0.1:{port}", proc, seconds=90)
        workers = [
            child
            for child in psutil.Process(proc.pid).children()
            if "spawn_main" in " ".join(child.cmdline())
        ]
        assert len(workers) == 2
        # The workers were handed the parent's server, so none of them starts one of its own.
        for worker in workers:
            assert worker.environ()["DATABASE_URL"].startswith("postgresql+asyncpg://postgres@/")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/version", timeout=5) as r:
            assert b'"postgresql":"18.' in r.read()

        # Requests land on either worker; each writes its counters to the folder `serve` gave
        # them, and a scrape adds them up, whichever worker answers it.
        counters = {worker.environ()["PROMETHEUS_MULTIPROC_DIR"] for worker in workers}
        assert len(counters) == 1
        folder = Path(counters.pop())
        assert folder.is_dir()
        for _ in range(20):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=5).close()
        live = 'http_requests_total{method="GET",route="/health/live",status="200"}'
        # A request is counted once its response has been sent, so the last one may land a
        # moment after the client has its answer: scrape until all 20 are there (or 5 s).
        deadline = time.monotonic() + 5
        while True:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
                scraped = r.read().decode()
            counted = [line for line in scraped.splitlines() if line.startswith(live)]
            totals = [float(line.split()[-1]) for line in counted]
            if totals == [20.0] or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert totals == [20.0]
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    assert code == 0
    assert not folder.exists()
    # The parent stopped the embedded server on its way out; the data stays.
    assert not (tmp_path / "pg" / "postmaster.pid").exists()
    assert (tmp_path / "pg" / "PG_VERSION").read_text().strip() == "18"


def test_one_worker_stops_its_embedded_postgres_on_sigterm(tmp_path: Path) -> None:
    # What `docker stop` or a service manager sends. uvicorn re-raises the signal after its
    # graceful shutdown; with the default handler that killed `serve` before it stopped the
    # embedded server, which kept running after the service had gone.
    proc, port = _serve(tmp_path, workers=1)
    try:
        wait_ready(f"http://127.0.0.1:{port}", proc, seconds=90)
        postmaster = int((tmp_path / "pg" / "postmaster.pid").read_text().split()[0])
        assert psutil.pid_exists(postmaster)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    assert code == 0
    assert not (tmp_path / "pg" / "postmaster.pid").exists()
    deadline = time.monotonic() + 10  # pg_ctl's wait ends with the pid file; the process next
    while _running(postmaster) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(postmaster)


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
