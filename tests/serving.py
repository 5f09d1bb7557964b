"""Helpers for the tests that run the real service, `python -m app serve`, as a process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_serve(env: Mapping[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """`python -m app serve` of this checkout on a free port, with the environment `env` (and
    that port), its output discarded: the process and the port."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "serve"],
        cwd=ROOT,
        env={**env, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, port


def wait_ready(base: str, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    """Until `base`/health/ready answers 200; fails if the process exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not become ready (exit code {proc.poll()})")
