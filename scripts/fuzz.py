"""Fuzz the live service against its own OpenAPI document with schemathesis.

Starts `python -m app serve` on a throw-away embedded PostgreSQL (a free port, a temporary
DATA_DIR), creates an admin API key there, and runs `st run` on /openapi.json with a fixed
seed: every response must be declared (status, content type, headers), match its schema, and no
request may get a 5xx. Bounded by --max-examples per operation and --max-time.

    python scripts/fuzz.py                        # the bounded run of .ci/run
    python scripts/fuzz.py --max-examples 160 --max-time 1800    # a long run
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the service did not become ready")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20240305)
    parser.add_argument("--max-examples", type=int, default=12)
    parser.add_argument("--max-time", type=int, default=240, help="seconds for the whole run")
    parser.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    # One worker: schemathesis' workers are threads, and on CPython 3.11/3.12 two threads
    # parsing source at once (hypothesis describes its lambdas by parsing them) can raise
    # "SystemError: AST constructor recursion depth mismatch" (CPython issue 106905 and kin),
    # a failure of the tool, not of the service.
    parser.add_argument("--workers", default="1")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="vnd-fuzz-")
    port = int(os.environ.get("FUZZ_PORT") or _free_port())
    env = os.environ | {
        "DATA_DIR": data_dir,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SCANNER_INTERVAL_SECONDS": "0",
        "WEBHOOK_CONCURRENCY": "0",
        # the fuzzer is one caller sending thousands of requests: unlimited, or most of its
        # cases would only see 429s
        "RATE_LIMIT_KEY_PER_MINUTE": "0",
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0",
    }
    env.pop("DATABASE_URL", None)
    log = Path(data_dir) / "service.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        _wait_ready(port, proc)
        key = (
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "app",
                    "apikey",
                    "create",
                    "--name",
                    "fuzz",
                    "--scope",
                    "admin",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        st = Path(sys.executable).with_name("st")
        command = [
            str(st),
            "run",
            f"http://127.0.0.1:{port}/openapi.json",
            "--checks",
            CHECKS,
            "--phases",
            args.phases,
            "--seed",
            str(args.seed),
            "--max-examples",
            str(args.max_examples),
            "--max-time",
            str(args.max_time),
            "--workers",
            args.workers,
            "--request-timeout",
            "30",
            "--header",
            f"Authorization: Bearer {key}",
            "--no-color",
        ]
        done = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 (our own st)
        if done.returncode:
            tail = log.read_text(errors="replace").splitlines()[-40:]
            print("\n-- the service's last log lines --\n" + "\n".join(tail))
        return done.returncode
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
