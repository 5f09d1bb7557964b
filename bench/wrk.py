"""Load from wrk (Debian's `wrk` package), the C load generator, cycling through a list of
POST bodies: a few microseconds of client CPU a request, where the Python client
(bench/httpload.py) takes about a third of what the service itself takes, so on a 2-core
machine it would hold back a second worker. None when wrk is not installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.httpload import LoadResult

_SCRIPT = """
local bodies = {%s}
local requests = {}
local i = 0
init = function(args)
  -- every request formatted once, so that sending one costs a table lookup
  for n, body in ipairs(bodies) do
    requests[n] = wrk.format("POST", "%s", {["Content-Type"] = "application/json"}, body)
  end
end
request = function()
  i = i %% #requests + 1
  return requests[i]
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99), 0))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def run(
    host: str, port: int, path: str, bodies: list[bytes], *, connections: int, seconds: float
) -> LoadResult:
    """One wrk thread (one core at most) on `connections` keep-alive connections."""
    quoted = ",".join(json.dumps(b.decode()) for b in bodies)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_SCRIPT % (quoted, path))
    try:
        done = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds:g}s",
                "-s",
                script.name,
                f"http://{host}:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(script.name).unlink()
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if found is None:
        raise RuntimeError(f"wrk printed no result: {done.stdout}{done.stderr}")
    requests, errors, micros, p50, p99 = map(int, found.groups())
    return LoadResult(
        requests=requests,
        errors=errors,
        seconds=micros / 1e6,
        p50_ms=p50 / 1000,
        p99_ms=p99 / 1000,
    )
