"""Benchmark of reading a plan: a 200-row plan's text into a draft profile.

    python -m bench.bench_plan_import

The plan is built from the real rows of the five source plans (tests/fixtures/plans/): every
deadline phrase of the hand profiles, with its rule's title as the task, cycled to 200 rows of
a tab-separated table whose long cells are broken over two lines, as pasted from a PDF. Goal:
well under a second (100 ms). The floor measured alongside is the text's folding alone
(text.fold of every line: NFC, tone marks, spaces), which any reading has to do, so the ratio
holds on any machine. Times are the best of several repeats. Writes
bench/results/plan_import.txt.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import time
from collections.abc import Callable
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.data.rules import load_profiles  # noqa: E402
from app.domain.deadlines import Level  # noqa: E402
from app.domain.plans.profile import PlanHeader, draft_profile  # noqa: E402
from app.domain.plans.text import fold  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "plan_import.txt"
ROWS = 200
REPEAT = 15
GOAL = 0.100  # seconds for the 200-row plan
HEADER = PlanHeader("bench-2025", "UBND tỉnh", Level.PROVINCE, 2025)


def plan_text(rows: int) -> str:
    phrases = [
        (rule.title_vi, phrase)
        for profile in load_profiles()
        if profile.code != "national"
        for rule in profile.rules
        for phrase in rule.phrases_vi
    ]
    lines = ["STT\tNội dung công việc\tCơ quan chủ trì\tThời gian thực hiện"]
    for number, (task, phrase) in enumerate(islice(cycle(phrases), rows), start=1):
        if len(phrase) > 40:  # a long cell continues on the next line
            cut = phrase.rfind(" ", 0, len(phrase) // 2)
            lines.append(f"{number}\t{task}\tVăn phòng UBND tỉnh\t{phrase[:cut]}")
            lines.append(f"\t\t\t{phrase[cut + 1 :]}")
        else:
            lines.append(f"{number}\t{task}\tVăn phòng UBND tỉnh\t{phrase}")
    return "\n".join(lines)


def best(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    text = plan_text(ROWS)
    draft = draft_profile(text, HEADER)
    summary = draft.summary
    assert summary.rows == ROWS, summary
    whole = best(lambda: draft_profile(text, HEADER))
    floor = best(lambda: [fold(line) for line in text.splitlines()])
    passed = whole < GOAL
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = "\n".join(
        [
            "Plan import benchmark (python -m bench.bench_plan_import)",
            f"run {now}; Python {platform.python_version()}, {platform.machine()}; "
            "machine shared with other test runs: absolute times are noisy, the ratio holds",
            f"plan: {ROWS} rows, {len(text.splitlines())} lines, {len(text)} characters; "
            f"read: {summary.parsed} parsed, {summary.interpreted} interpreted, "
            f"{summary.not_understood} not understood, {summary.rules} rules",
            "",
            "measure                                   best of 15",
            "----------------------------------------------------",
            f"draft profile of the 200-row plan         {whole * 1e3:8.2f} ms",
            f"  per row                                 {whole / ROWS * 1e6:8.1f} µs",
            f"floor: fold every line                    {floor * 1e3:8.2f} ms",
            f"ratio to the floor                        {whole / floor:8.1f}x",
            f"goal: under {GOAL * 1e3:.0f} ms                         "
            f"{'PASS' if passed else 'FAIL'}",
        ]
    )
    print(report)
    RESULTS.write_text(report + "\n", encoding="utf-8")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
