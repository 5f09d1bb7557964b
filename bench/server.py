"""Start the real service (python -m app serve) on a throw-away embedded PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def service_pid(data_dir: Path) -> int:
    """The pid of the service started on `data_dir` (Linux: read from /proc)."""
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


TICK = os.sysconf("SC_CLK_TCK")  # /proc's unit of CPU time, a second's fraction


def process_stat(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds so far) of a process (Linux: read from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def service(
    root: Path = ROOT, python: str = sys.executable, **env: str
) -> Iterator[tuple[str, int]]:
    """Yield (host, port) of a ready service of the checkout `root` (run by `python`);
    BENCH_DATABASE_URL overrides the embedded one."""
    data_dir = tempfile.mkdtemp(prefix="vnd-bench-")
    port = _free_port()
    environ = os.environ | {
        "DATA_DIR": data_dir,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SCANNER_INTERVAL_SECONDS": "0",
        # The limiter runs (its cost is measured) but never refuses the load generator.
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "1000000000",
        "RATE_LIMIT_KEY_PER_MINUTE": "1000000000",
        **env,
    }
    environ.pop("DATABASE_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    proc = subprocess.Popen(
        [python, "-m", "app", "serve"],
        cwd=root,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/health/ready", timeout=2
                ) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the service did not become ready")
            time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
