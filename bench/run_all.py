"""Run every benchmark (bench/bench_*.py) in turn; each writes its results to bench/results/.

Benchmarks compare against anchors measured in the same run (holidays' own functions, the
service's /health/live), so the ratios hold on any machine; run them on a quiet one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    failed = []
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        module = f"bench.{script.stem}"
        print(f"== {module}", flush=True)
        if subprocess.run([sys.executable, "-m", module], cwd=ROOT, check=False).returncode:
            failed.append(module)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
