"""`python -m app calendar import|show`, run as an operator would, against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Databases

EXAMPLE = Path(__file__).parents[2] / "examples" / "notice-2027.toml"


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "app", "calendar", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_2027_example_is_already_in_force(database_url: str, tmp_path: Path) -> None:
    # the seed recorded Công văn 10065/VPCP-KGVX exactly as examples/notice-2027.toml says
    done = _cli(database_url, "import", str(EXAMPLE), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "10065/VPCP-KGVX v1 (decided, decides 2027): unchanged" in done.stdout
    # a half swap: Sat 9/3/2024 alone, named by its entry
    half = tmp_path / "half.toml"
    half.write_text(
        'number = "9/TB-THUNGHIEM"\nissuer = "x"\ntitle = "x"\nstatus = "proposed"\n'
        "decides_years = [2024]\n[[working_days]]\ndate = 2024-03-09\n"
        'name_vi = "x"\nname_en = "x"\n',
        encoding="utf-8",
    )
    refused = _cli(database_url, "import", str(half))
    assert refused.returncode == 1
    assert "working_days[0].date" in refused.stderr


def test_a_year_as_month_grids(database_url: str) -> None:
    shown = _cli(database_url, "show", "2026")
    assert shown.returncode == 0, shown.stderr
    # Thông báo 9441/TB-BNV: Fri 2/1/2026 off (~), Sat 10/1/2026 worked (w); 1/1 a holiday (*)
    january = shown.stdout.split("January 2026")[1].split("February")[0]
    assert "  1*  2~" in january and " 10w" in january
    assert "(provisional" not in shown.stdout.splitlines()[0]
    assert "provisional" in _cli(database_url, "show", "2029").stdout.splitlines()[0]
    assert _cli(database_url, "show", "2031").returncode == 2


async def test_a_database_not_yet_migrated_is_named_not_a_traceback(databases: Databases) -> None:
    # an empty database (the service never started on it): the commands say what to do
    empty = await databases.create()
    for args in (("import", str(EXAMPLE), "--dry-run"), ("show", "2027")):
        done = _cli(empty, *args)
        assert done.returncode == 2, done.stderr
        assert "start the service once" in done.stderr
        assert "Traceback" not in done.stderr
