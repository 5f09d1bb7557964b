"""HTTP conventions: what gzip, conditional requests and the rate limiter cost on the hot routes.

Each line pair is measured alternately on one server (uvicorn, 1 worker, rate limiter on with
limits the load never reaches, gzip from GZIP_MINIMUM_BYTES, 4 KB by default):
- a small hot answer asked with and without `Accept-Encoding: gzip` (below the threshold: passed
  through untouched, so the ratio should be 1);
- the working-days add answer likewise (browsers always send the header);
- a year of days (51 KB) plain and gzip'd: the trade of CPU for bytes;
- the add answer revalidated with `If-None-Match` (a 304) against the plain 200.

Run: python -m bench.bench_http_conventions
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

from bench import compare, httpload
from bench.server import service

GZIP = {"Accept-Encoding": "gzip"}
ADD = "/v1/calendar/working-days/add?start=2024-04-26&days=3"
YEAR = "/v1/calendar/days?from=2024-01-01&to=2024-12-31"


def _size(host: str, port: int, path: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(f"http://{host}:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return len(r.read())
    except urllib.error.HTTPError as answer:  # a 304: no body
        return len(answer.read())


def _etag(host: str, port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=5) as r:
        return str(r.headers["ETag"])


def main() -> None:
    load = os.getloadavg()[0]
    lines = [
        "HTTP conventions benchmark (uvicorn, 1 worker; rate limiter on, never reached; gzip "
        f"from {os.environ.get('GZIP_MINIMUM_BYTES', '4096')} B; load from a separate process, "
        "16 connections; median of 5 alternating 4 s rounds)",
        f"load average before the run: {load:.2f} on {os.cpu_count()} CPUs "
        "(a shared machine: compare ratios, not absolute numbers)",
        "",
    ]
    with service() as (host, port):
        pairs: list[tuple[str, str, dict[str, str], str, dict[str, str], str]] = [
            ("GET /health/live", "/health/live", {}, "/health/live", GZIP, "gzip accepted"),
            ("GET add", ADD, {}, ADD, GZIP, "gzip accepted"),
            ("GET days of a year", YEAR, {}, YEAR, GZIP, "gzip accepted"),
            ("GET add", ADD, {}, ADD, {"If-None-Match": _etag(host, port, ADD)}, "304"),
        ]
        for name, path, headers, other_path, other_headers, label in pairs:
            plain = [httpload.request("GET", path, headers=headers)]
            other = [httpload.request("GET", other_path, headers=other_headers)]
            base, cand, ratio = compare.ratio(host, port, plain, other, rounds=5)
            sizes = (_size(host, port, path, headers), _size(host, port, path, other_headers))
            lines += [
                compare.line(f"{name} ({sizes[0]} B)", base),
                compare.line(f"{name}, {label} ({sizes[1]} B)", cand),
                f"ratio {label} / plain: {ratio:.2f}",
                "",
            ]
    text = "\n".join(lines)
    print(text, end="")
    (Path(__file__).parent / "results" / "http_conventions.txt").write_text(text)


if __name__ == "__main__":
    main()
